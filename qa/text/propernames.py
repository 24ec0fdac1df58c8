"""Names: finding them in a text (capitalised runs) and deciding whether a text mentions or
states one (surname, acronym, possessive, other spelling of a country, demonym).

One notion of "the same name" for the answerer, chat and the fact check.
"""

from __future__ import annotations

import re
import unicodedata

from qa.text.tokens import (
    NAME_PARTICLES,
    STOPWORDS,
    UPPER,
    bare,
    initials,
    is_stopword,
    word_list,
    words,
)

# Letters after a name ("Nadia Farooq KC", "Anna Reid MP").
POST_NOMINALS = frozenset("KC QC SC MP MEP MSP TD OBE MBE CBE Jr Sr".split())  # noqa: SIM905


def names(text: str, *, particles: bool = True) -> list[str]:
    """Names in `text`: runs of capitalised words past the first word, distinct, in order.

    With `particles`, lower-case particles before a capitalised word join the run ("von der
    Leyen"). The first word is skipped because every sentence starts with a capital.
    """
    ws = words(text)
    found: list[str] = []
    run: list[str] = []
    for i, w in enumerate(ws):
        clean = w.strip("'’.-")
        cap = i > 0 and len(clean) > 1 and clean[0].isupper() and not is_stopword(clean)
        particle = particles and clean.lower() in NAME_PARTICLES and _name_follows(ws, i + 1)
        if run and clean in POST_NOMINALS:
            continue  # "Nadia Farooq KC": the letters after a name are not its surname
        if cap or particle:
            run.append(clean)
            continue
        if run:
            found.append(" ".join(run))
        run = []
    if run:
        found.append(" ".join(run))
    # A run must end on a capitalised word ("von der" alone is not a name).
    return [n for n in dict.fromkeys(found) if n.split()[-1][:1].isupper()]


def _name_follows(ws: list[str], i: int) -> bool:
    while i < len(ws) and ws[i].lower() in NAME_PARTICLES:
        i += 1
    return i < len(ws) and ws[i][:1].isupper()


def name_words(name: str) -> list[str]:
    """The words of a name that identify it (particles dropped): "von der Leyen" -> Leyen."""
    return [w for w in name.split() if w.lower() not in NAME_PARTICLES]


# A whole name may be plural where the text uses it ("the Social Democrats'"); a surname
# alone may not ("Okafors" is no mention of Tom Okafor).
_PLURAL = r"(?:e?s)?(?!\w)"


def name_in(name: str, text: str) -> bool:
    """Does `text` mention `name`? The full name, or its surname alone ("Okafor" for "Tom
    Okafor"), or its acronym ("FT" for "Financial Times"), as whole words, case-sensitive."""
    if not name.strip():
        return False
    if re.search(r"(?<!\w)" + _particles_either_case(name) + _PLURAL, text):
        return True
    parts = name_words(name)
    if len(parts) > 1 and re.search(r"(?<!\w)" + re.escape(parts[-1]) + r"(?!\w)", text):
        return True
    acronym = "".join(w[0] for w in parts if w[:1].isupper())
    return len(acronym) > 1 and re.search(r"(?<!\w)" + acronym + r"(?!\w)", text) is not None


def _particles_either_case(name: str) -> str:
    """`name` as a pattern whose particles match either case: "Van Damme-Kessler" at a
    sentence's start is the article's "van Damme-Kessler", and the reverse."""
    # (a plural's apostrophe may be dropped: "Rail Users Alliance" is "Rail Users' Alliance")
    return r"['’]?\s+".join(
        f"(?i:{re.escape(w)})" if w.lower() in NAME_PARTICLES else re.escape(w)
        for w in name.split()
    )


def full_name(short: str, text: str) -> str:
    """The longest name in `text` that ends with `short` ("Okafor" -> "Tom Okafor"), else
    `short`: a quote that only says the surname still lets the answer name the person."""
    best = short
    pattern = re.compile(
        rf"((?:[{UPPER}][\w'’-]+[ \t]+|(?:"
        + "|".join(NAME_PARTICLES)
        + r")[ \t]+){1,3})"
        + re.escape(short)
        + r"(?!\w)"
    )
    for m in pattern.finditer(text):
        parts = (m.group(1) + short).split()
        # "Substitute Jamie Pruitt", "Health Minister Sofie Berg": drop through the last title.
        cut = max((i + 1 for i, w in enumerate(parts[:-1]) if w in _TITLE_WORDS), default=0)
        parts = parts[cut:]
        while len(parts) > 1 and bare(parts[0]) in STOPWORDS:
            parts = parts[1:]
        cand = " ".join(parts)
        if len(cand) > len(best) and cand[:1].isupper():
            best = cand
    return best


# Words that precede a name but are not part of it.
_TITLE_WORDS = frozenset(
    word_list(
        "Mr Mrs Ms Dr Prof President Minister Chancellor Governor Senator Judge Sir Dame Lord "
        "Lady Captain Coach Manager Striker Midfielder Defender Goalkeeper Substitute Referee "
        "Chief Director Spokesman Spokeswoman Spokesperson Officer Inspector Detective Mayor "
        "Premier Prime Secretary General Colonel Lieutenant Sergeant Pope Bishop Rev King Queen "
        "Prince Princess Founder Author Novelist Director Skipper Captain When After Before "
        "Then But And As While Meanwhile"
    )
)


# What qa.facts needs to decide whether a sentence states a statement's names: accents
# folded, other spellings of a country, demonyms.

_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ı": "i", "ß": "ss",
     "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'",
     "“": '"', "”": '"', "–": "-", "—": "-"}
)  # fmt: skip


def fold(text: str) -> str:
    """`text` in plain ASCII letters ("Bjørg" -> "Bjorg", "Lousã" -> "Lousa", curly quotes
    straightened), so the ASCII word rules (`words`, `names`) read accented names whole."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return _COMBINING.sub("", decomposed)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


_US_STATES = """
    Alabama|Ala. Arizona|Ariz. Arkansas|Ark. California|Calif. Colorado|Colo. Connecticut|Conn.
    Delaware|Del. Florida|Fla. Georgia|Ga. Illinois|Ill. Indiana|Ind. Kansas|Kan. Kentucky|Ky.
    Louisiana|La. Maryland|Md. Massachusetts|Mass. Michigan|Mich.
    Minnesota|Minn. Mississippi|Miss. Missouri|Mo. Montana|Mont. Nebraska|Neb. Nevada|Nev.
    New_Hampshire|N.H. New_Jersey|N.J. New_Mexico|N.M. New_York|N.Y. North_Carolina|N.C.
    North_Dakota|N.D. Oklahoma|Okla. Oregon|Ore. Pennsylvania|Pa. Rhode_Island|R.I.
    South_Carolina|S.C. South_Dakota|S.D. Tennessee|Tenn. Vermont|Vt. Virginia|Va.
    Washington_state|Wash. West_Virginia|W.Va. Wisconsin|Wis. Wyoming|Wyo.
"""
# Spellings of one place or body that share no words: a statement may use either.
_SAME_NAMES = [
    frozenset(form.replace("_", " ") for form in group.split("|"))
    for group in (
        "UK|U.K.|Britain|British|United_Kingdom",
        # US states as AP datelines write them: "WINSTON-SALEM, N.C." is in North Carolina.
        *_US_STATES.split(),
        "US|U.S.|USA|United_States|American|America",
        "EU|European_Union",
        "UN|United_Nations",
        "Netherlands|Dutch|Holland",
        "Poland|Polish",
        "Norway|Norwegian",
        "Portugal|Portuguese",
        "Switzerland|Swiss",
        "France|French",
        "Denmark|Danish|Dane",
        "Sweden|Swedish|Swede",
        "Finland|Finnish|Finn",
        "Spain|Spanish",
        "Ireland|Irish",
        "Wales|Welsh",
        "Scotland|Scottish|Scots",
        "Greece|Greek",
        "Czechia|Czech",
        "Turkey|Turkish|Turkiye",
        "Philippines|Filipino|Philippine",
        "Belgium|Belgian",
    )
]


def same_name_forms(name: str) -> list[str]:
    """The other spellings of `name` that share no word with it ("N.C." for "North
    Carolina", "Dutch" for "Netherlands")."""
    for group in _SAME_NAMES:
        if name in group:
            return [g for g in group if g != name]
    return []


def _demonym_matches(name: str, text: str) -> bool:
    """ "Kenyan" / "Kenya", "Brazilian" / "Brazil", "Japanese" / "Japan": one capitalised word
    of `text` is the country the other names (its stem is the country without its ending)."""
    if " " in name or not name[:1].isupper():
        return False
    for word in set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)):
        if word == name:
            continue
        # name is a demonym of `word`, or `word` a demonym of name.
        for demonym, country in ((name, word), (word, name)):
            d = re.fullmatch(r"([A-Z][a-z]+?)(?:ish|ese|ian|ean|an|n|i)", demonym)
            if d is None:
                continue
            bases = {country, re.sub(r"(?:ia|a|y|e|ey)$", "", country)}
            if demonym in bases or d.group(1) in bases:
                return True
    return False


# First words of a body's name that do not identify it ("New York Times", "National Trust").
_GENERIC_FIRST = frozenset(
    word_list(
        "New National United General Royal Great North South East West Northern Southern "
        "Eastern Western European International First Central Federal State Social Christian "
        "Democratic Liberal People's Public Free Green Red Black White Golden Silver"
    )
)


def name_stated(name: str, text: str) -> bool:
    """Does `text` state `name`? `name_in`'s rules (full name, surname, acronym), plus a
    possessive ("Germany's"), an acronym written out ("FT" for "Financial Times"), another
    spelling of the same country ("UK" / "Britain"), or its demonym ("Kenyan" / "Kenya").
    Both sides should be `fold`ed when they may hold accents."""
    parts = [re.sub(r"['’]s$", "", w) for w in name.split()]
    # "Von der Leyen" at the start of a statement is "von der Leyen" in the article.
    name = " ".join(
        w.lower() if w.lower() in NAME_PARTICLES and w is not parts[-1] else w for w in parts
    )
    if not name.strip():
        return False
    from qa.lexicon import ORG_CUES, PLACE_CUES  # here: qa.lexicon imports qa.text

    kept = name_words(name)
    if kept and (kept[-1] in ORG_CUES or kept[-1] in PLACE_CUES):
        # "Stenhouse Rovers" is not "Wexley Rovers": a body or place is named whole, by its
        # acronym, or by its distinctive first word ("Corvane" for "Corvane Logistics").
        distinctive = len(kept) == 2 and kept[0] not in ORG_CUES and kept[0] not in _GENERIC_FIRST
        shorter = [name, kept[0]] if distinctive else [name]
        if any(
            re.search(r"(?<!\w)" + _particles_either_case(n) + r"(?!\w)", text) for n in shorter
        ):
            return True
        acronym = "".join(w[0] for w in kept if w[:1].isupper())
        if len(acronym) > 1 and re.search(r"(?<!\w)" + acronym + r"(?!\w)", text):
            return True
    elif name_in(name, text):
        return True
    if re.fullmatch(r"[A-Z]{2,6}", name) and name.lower() in initials(text):
        return True
    if any(name_in(other, text) for other in same_name_forms(name)):
        return True
    return _demonym_matches(name, text)

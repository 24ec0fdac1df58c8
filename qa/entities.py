"""What kind of answer a question wants, and which spans of a sentence are of that kind.

"Which striker scored the late winner?" wants a person; a sentence can only answer it if it
names a person the question does not already name. The extractive answerer uses that to
prefer the sentence that holds the answer over one that is merely about the same event, to
lead with the short answer, and to refuse when no retrieved sentence holds a fact of the
asked-for kind.

Rules over capitalisation, cue words and number and date patterns, not a statistical model:
spaCy's small English pipeline, the smallest packaged NER we could use offline, took 3.6 s to
import and load and tagged about 3,400 words/s on these 2-core machines (about +60% ingest
time if run at ingest, 50-100 ms per question if run at query time, ~350 MB installed), while
the answerer only needs to know whether a sentence holds a candidate of the asked-for kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from qa.asked import answer_kind, asked_noun, asked_role, asked_unit, noun_kind
from qa.lexicon import (
    COUNTRIES,
    EVENT_CUES,
    FACILITIES,
    HEAD_NOUNS,
    ORG_CUES,
    ORG_POSSESSIONS,
    PERSON_TITLES,
    PLACE_CUES,
    PLACE_PREPOSITIONS,
    Kind,
    Span,
    is_demonym,
)
from qa.text import NAME_PARTICLES, STOPWORDS, bare, name_words, numbers_in, sentences, word_list
from qa.text.tokens import UPPER  # one line where qa.text's would take ten
from qa.units import SCORE, fits_unit, full_span, noun_after

# Re-exported: callers read a question's kind and a span's unit from here.
__all__ = [
    "DATE_WORD",
    "Kind",
    "Profile",
    "Span",
    "answer_kind",
    "asked_noun",
    "asked_role",
    "asked_unit",
    "fits_unit",
    "full_span",
    "owner_names",
    "profile",
    "spans",
]

# --------------------------------------------------------------------------- spans

_PERSON_VERBS = re.compile(
    r"^\s*(?:,\s*\d{1,3},\s*)?(?:said|says|told|added|wrote|argued|warned|insisted|explained|"
    r"noted|replied|stated|announced|confirmed|scored|struck|fired|won|lost|resigned|died)\b"
)
_ROLE_BEFORE = re.compile(
    r"\b(?:minister|chancellor|governor|mayor|president|chief|manager|coach|captain|striker|"
    r"goalkeeper|keeper|midfielder|defender|substitute|spokesman|spokeswoman|spokesperson|"
    r"director|founder|author|novelist|officer|secretary|leader|negotiator|ceo|chairman|"
    r"chairwoman|executive|economist|epidemiologist|researcher|scientist|analyst|curator|"
    r"commissioner|coordinator|mep|mp|referee|winner|judge|lawyer|prosecutor|rider|runner|"
    r"champion|reporter|correspondent|writer|colleague|deputy|head|boss|organi[sz]er|campaigner|"
    r"activist|representative),?\s+$",
    re.IGNORECASE,
)
# A capitalised run: capitalised words joined by name particles or "of"/"the"/"and"/"for"
# inside organisation names ("Bank of England", "Lagos Institute of Public Health").
_CAP_RUN = re.compile(
    rf"(?<![\w'’-])(?:[{UPPER}][\w'’.&-]*|[A-Z]{{2,}})(?:(?:\s+(?:(?:"
    + "|".join(NAME_PARTICLES)
    + rf"|of|the|for|and|de|des|du|la|le)\s+)*|\s+)(?:[{UPPER}][\w'’.&-]*|\d+(?![-–]\d)))*"
)  # (a number may end a name, "Channel 4", but a score is no part of one: "Wexley Rovers 3-0")
_QUOTED_TITLE = re.compile(rf"[\"“‘']([{UPPER}][^\"”’'\n]{{1,80}}?)[\"”’'](?!\w)")
_ITALIC_TITLE = re.compile(rf"(?<![\w*_])[*_]([{UPPER}][^*_\n]{{1,80}}?)[*_](?![\w*_])")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|"
    rf"(?:early|mid|late)[- ]{_MONTH}|(?:in|since|by|until|from)\s+{_MONTH}|{_WEEKDAY}|"
    r"(?:19|20)\d\d-\d\d-\d\d|(?:in|since|by|until|from|of)\s+(?:19|20)\d\d|"
    r"(?:last|next|this)\s+(?:week|month|year|weekend|spring|summer|autumn|winter)|"
    r"(?:yesterday|today|tomorrow|tonight))\b"
)
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result of|after|amid|following|in order to|so that|"
    r"caused by|blamed|attributed|citing|cited|over concerns?|in protest|to protest|to avoid|"
    r"to prevent|to protect|to reduce|to cut|to save|to meet|to allow|to ensure|so as to|"
    r"reason|led to|triggered|prompted|linked to|traced to|the cause)\b",
    re.IGNORECASE,
)
_WORK_LEAD = re.compile(
    r"(?:novel|book|film|movie|album|song|painting|paintings|play|opera|documentary|series|"
    r"exhibition|collection|poem|memoir|debut|mission|programme|program|titled|entitled|called)"
    r",?\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Profile:
    """What one article tells about its names: words that are proper nouns there (capitalised
    mid-sentence, never lower-case), and names typed by a strong cue somewhere in it ("the
    ransomware gang Grey Lynx"), so a sentence that says just "Grey Lynx published ..." is
    still read right."""

    proper: frozenset[str] = frozenset()
    kinds: tuple[tuple[str, Kind], ...] = ()
    # Names no cue typed: the kind most of their mentions suggest ("in Pará" three times).
    guesses: tuple[tuple[str, str], ...] = ()

    def kind_of(self, name: str) -> Kind | None:
        for known, kind in self.kinds:
            if name == known or (kind == "person" and name == known.split()[-1]):
                return kind
            if kind == "org" and len(known.split()) == 2 and name == known.split()[0]:
                return kind  # "Corvane" for "Corvane Logistics"
        return None

    def has_full_name(self, surname: str) -> bool:
        """Does the article name someone by a longer name ending in `surname`?"""
        known = (*self.kinds, *self.guesses)
        return any(" " in n and n.split()[-1] == surname and k == "person" for n, k in known)

    def guess_of(self, name: str) -> str | None:
        """The guessed kind; a surname alone is a person when the article gives a person's
        full name ending in it ("Okafor", "Tom Okafor")."""
        if " " not in name and self.has_full_name(name):
            return "person"
        return next((kind for known, kind in self.guesses if known == name), None)


def profile(text: str) -> Profile:
    """Read an article once for `spans` (cheap: regexes over the text)."""
    cap: set[str] = set()
    low: set[str] = set()
    for w in re.findall(rf"(?<=[a-z,;] )[{UPPER}][\w'’-]+|\b[a-z][\w'’-]+", text):
        (cap if w[0].isupper() else low).add(w.strip("'’"))
    proper = frozenset(w for w in cap if w.lower() not in low)
    kinds: dict[str, Kind] = {}
    votes: dict[str, Counter[str]] = {}
    for s, e in sentences(text):
        sent = text[s:e]
        for start, end, name in _runs(sent, proper):
            kind = _strong_kind(sent, start, end, name)
            if kind is not None:
                kinds.setdefault(name, kind)
            else:
                votes.setdefault(name, Counter())[_weak_kind(sent, start, end, name)] += 1
    guesses = tuple(
        (name, c.most_common(1)[0][0]) for name, c in votes.items() if name not in kinds
    )
    return Profile(proper, tuple(kinds.items()), guesses)


def spans(sentence: str, kind: Kind, prof: Profile | None = None) -> list[Span]:
    """The spans of `sentence` that could answer a question wanting `kind`."""
    prof = prof or Profile()
    if kind == "number":
        found = [
            Span(n.text, "number", n.start, n.end)
            for n in numbers_in(sentence)
            if not _is_year_or_date_part(sentence, n.start, n.end)
        ]
        # A result ("2-1") is two numbers the number reader splits; it counts as one.
        scores = [Span(m.group(0), "number", m.start(), m.end()) for m in SCORE.finditer(sentence)]
        found = [n for n in found if not any(sc.start <= n.start < sc.end for sc in scores)]
        found += scores
        return found
    if kind == "date":
        return [Span(m.group(0), "date", m.start(), m.end()) for m in _DATE.finditer(sentence)]
    if kind == "reason":
        m = _REASON.search(sentence)
        if m is None:
            return []
        return [Span(sentence[m.start() :].rstrip(" ."), "reason", m.start(), len(sentence))]
    if kind == "work":
        return _works(sentence)
    out: list[Span] = []
    for start, end, text in _runs(sentence, prof.proper):
        found = _typed(sentence, start, end, text, prof)
        if found is None:
            continue
        if (
            found == kind
            or (found == "the" and kind == "org")
            or (kind == "place" and found == "org" and _is_facility(text))
        ):
            out.append(Span(text, kind, start, end))
    return out


def _typed(sentence: str, start: int, end: int, text: str, prof: Profile) -> str | None:
    """The kind of a capitalised run: stated in the sentence, known from the article, guessed
    from its mentions, or read from its shape; None for adjectives of place ("English"),
    storms, and one word that nothing marks as a person ("Interior")."""
    if is_demonym(text) or text.split()[0] in EVENT_CUES:
        return None  # "English", "Russian-occupied": adjectives; "Storm Hilde": a storm
    strong = _strong_kind(sentence, start, end, text) or prof.kind_of(text)
    found = strong or prof.guess_of(text) or _weak_kind(sentence, start, end, text)
    if found == "person" and not strong and " " not in text and not prof.has_full_name(text):
        return None  # one word, no title or role, and no given name anywhere
    return found


def owner_names(sentence: str, prof: Profile | None = None) -> list[tuple[int, int, str]]:
    """The names in `sentence` that could own an age, a birth date or a profit (start, end,
    text): people and organisations, and names read as neither by shape ("Bernhof made a
    net profit"), but not places, dates or adjectives of place."""
    prof = prof or Profile()
    return [
        (start, end, text)
        for start, end, text in _runs(sentence, prof.proper)
        if _typed(sentence, start, end, text, prof) in ("person", "org", "the", "other")
        and " and " not in text  # a list ("Birmingham and Edinburgh") owns nothing
    ]


_CLOCK = re.compile(r"^(?::\d\d|\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w))", re.IGNORECASE)


def _is_year_or_date_part(sentence: str, start: int, end: int) -> bool:
    """A year or a day of the month is a date, not a count ("on 4 June", "in 2025", "its
    pay offer for 2025"); a time of day ("at 6am", "5:52 p.m.") is not one either."""
    if _CLOCK.match(sentence[end:]) or sentence[:start].endswith(":"):
        return True
    if re.fullmatch(r"(?:19|20)\d\d", sentence[start:end]) and noun_after(sentence[end:]) is None:
        return True
    return any(m.start() <= start and end <= m.end() for m in _DATE.finditer(sentence))


_ARTICLE_START = frozenset(word_list("The A An Le La Les Il El Der Die Das De"))


def _works(sentence: str) -> list[Span]:
    """Titles: quoted or italic, after a work noun ("the novel X"), after a possessive
    ("Moyo's A Map of Lesser Rivers"), or a capitalised run that starts with an article."""
    out = [
        Span(m.group(1).strip(" ,."), "work", m.start(1), m.end(1))
        for m in (*_QUOTED_TITLE.finditer(sentence), *_ITALIC_TITLE.finditer(sentence))
        if len(m.group(1).split()) <= 10
    ]
    for m in _TITLE_RUN.finditer(sentence):
        for start, text in _split_possessive(m.start(), m.group(0)):
            text, before, after = (
                text.rstrip(" ,."),
                sentence[:start],
                sentence[start + len(text) :],
            )
            if re.match(r"['’]s\s", after):
                # An owner is no title ("paintings, Giulia Neri's Il Mercato"); in "X's Title
                # and Y's Other Title", Y owns the next title and ends this one.
                if " and " not in text:
                    continue
                text = text[: text.rindex(" and ")]
            lead = _WORK_LEAD.search(before) or re.search(r"\w['’]s\s+$", before)
            mid_article = bool(before.strip()) and text.split()[0] in _ARTICLE_START
            appositive = re.match(r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?([a-z-]+)\b", after)
            named = appositive and noun_kind(appositive.group(1), guess=False) == "work"
            if (lead or mid_article or named) and len(text.split()) >= 2:
                out.append(Span(text, "work", start, start + len(text)))
            elif not mid_article and (inner := re.search(r"\s(?:The|A|An)\s", text)):
                cut = inner.start() + 1  # "Sales of The Salt Ledger" -> "The Salt Ledger"
                out.append(Span(text[cut:], "work", start + cut, start + len(text)))
    return out


# A title: capitalised words, with the small words titles keep inside ("A Map of Lesser
# Rivers", "Le Pont de la Guillotière au crépuscule").
_TITLE_SMALL = r"(?:of|the|a|an|and|in|on|at|to|for|de|la|le|les|du|des|au|aux|et|von|der|di|del|y)"
_TITLE_RUN = re.compile(
    rf"(?<![\w'’])[{UPPER}][\w'’-]*(?:(?:\s+" + _TITLE_SMALL + r")+\s+[^\W\d_][\w'’-]*"
    rf"|\s+[{UPPER}][\w'’-]*){{0,8}}"
)


def _runs(sentence: str, proper: frozenset[str]) -> list[tuple[int, int, str]]:
    """Capitalised runs, split at possessives ("Kenya's Felix Rotich" -> Kenya, Felix
    Rotich), without a sentence-initial word that is no name and without leading titles."""
    out: list[tuple[int, int, str]] = []
    skip = _metadata_spans(sentence)
    for m in _CAP_RUN.finditer(sentence):
        if any(a <= m.start() < b for a, b in skip):
            continue
        for start, text in _split_possessive(m.start(), m.group(0)):
            text = text.rstrip(".'’,")
            ws = text.split()
            if not ws or ws[0][0].isdigit():
                continue
            at_start = not sentence[:start].strip(" \"'“‘(")
            if bare(ws[0]) in STOPWORDS or (at_start and ws[0] not in proper and len(ws) == 1):
                if len(ws) < 2:
                    continue
                start, text = _drop_first(start, text)
            start, text = _drop_titles(start, text)
            if text and not DATE_WORD.fullmatch(text.split()[0]):
                out.append((start, start + len(text), text))
    return out


# Weekdays and months are capitalised but name no one ("Friday", "March").
DATE_WORD = re.compile(rf"{_WEEKDAY}|{_MONTH}|Today|Tonight|Yesterday|Tomorrow")
# A wire dateline ("LYON, France, Jan 6 (Reuters) -") is where the story was filed, and
# quoted text ("The Salt Orchard") is a title: neither is a person, organisation or place
# that answers a question about the story.
_DATELINE = re.compile(
    r"^[\s\"“]*[A-Z][A-Z .'’-]{2,}(?:,[^,()\n–—-]{1,30}){0,3}(?:\([^)]*\))?\s*[-–—]"
)
_QUOTED = re.compile(r"[\"“][^\"”]{1,80}[\"”]")


def _metadata_spans(sentence: str) -> list[tuple[int, int]]:
    out = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence) if m.end() - m.start() < 60]
    m = _DATELINE.match(sentence)
    if m:
        out.append((0, m.end()))
    return out


def _split_possessive(start: int, run: str) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\s]+(?:\s+|$)", run):
        tok = m.group(0).rstrip()
        if not pieces or pieces[-1][1].endswith(("'s", "’s")):
            pieces.append((start + m.start(), tok))
        else:
            pieces[-1] = (pieces[-1][0], run[pieces[-1][0] - start : m.start() + len(tok)])
    return [(s, t[:-2] if t.endswith(("'s", "’s")) else t) for s, t in pieces if t]


def _drop_first(start: int, text: str) -> tuple[int, str]:
    rest = text.split(None, 1)[1]
    return start + len(text) - len(rest), rest


def _drop_titles(start: int, text: str) -> tuple[int, str]:
    """ "Health Minister Sofie Kjærgaard" -> "Sofie Kjærgaard": drop through the last title."""
    ws = text.split()
    last = max((i for i, w in enumerate(ws[:-1]) if _is_title(w)), default=-1)
    for _ in range(last + 1):
        start, text = _drop_first(start, text)
    while text.split() and text.split()[0] in ("of", "the", "for", "and") and " " in text:
        start, text = _drop_first(start, text)  # "President of the European Commission"
    return start, text


def _is_title(word: str) -> bool:
    return word in PERSON_TITLES or word.lower() in HEAD_NOUNS["person"]


def _is_facility(text: str) -> bool:
    return text.split()[-1] in FACILITIES


_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|according to|by)\s+$", re.IGNORECASE)


def _noun_before(before: str) -> Kind | None:
    """The kind of a common noun right before the name ("the campaign group Clean Freight
    Europe", "the company, Polarbyte,", "the province of Bingöl", "a gang calling itself
    Grey Lynx"), looking past "the", a comma, "of" and "called"."""
    m = re.search(
        r"([A-Za-z-]+)[\s,]*(?:(?:of|calling itself|calling themselves|called|named|known as)"
        r"\s+)?(?:the\s+)?$",
        before,
    )
    if not m:
        return None
    noun = m.group(1).lower()
    kind = noun_kind(noun, guess=False)
    if kind == "person" and noun.endswith("s") and noun[:-1] in HEAD_NOUNS["person"]:
        return "org"  # a plural before one name is a team: "Swedish champions Malmö Kvarn"
    return kind


def _strong_kind(sentence: str, start: int, end: int, text: str) -> Kind | None:
    """A kind the sentence states outright: cue words, titles, appositive nouns."""
    ws = text.split()
    before, after = sentence[:start], sentence[end:]
    prev = re.findall(r"[A-Za-z]+", before[-25:])
    if (prev and prev[-1] in PERSON_TITLES) or _ROLE_BEFORE.search(before):
        return "person"
    if any(w in ORG_CUES for w in ws):
        return "org"
    if ws[0] in COUNTRIES or ws[-1] in PLACE_CUES or ws[0] in PLACE_CUES:
        return "place"
    noun = _noun_before(before)
    if noun in ("person", "org", "place"):
        return noun
    m = re.match(r",\s+(?:the|a|an|one of(?: the)?)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", after)
    # "Erik Nygaard, the Halden partner", "Ecolario, a Como-based waste firm": the first
    # noun of the appositive that names a kind.
    found = [noun_kind(w, guess=False) for w in re.findall(r"\b[a-z-]+\b", m.group(1))] if m else []
    if any(found):
        return next(k for k in found if k is not None)
    m = re.match(r"['’]s\s+([a-z]+(?: executive)?)\b", after)
    if m and m.group(1) in ORG_POSSESSIONS:
        return "org"
    m = re.match(r"\s+([a-z]+)\b", after)
    if m and noun_kind(m.group(1), guess=False) in ("place", "org"):
        return noun_kind(m.group(1), guess=False)  # "Chile's Coquimbo region"
    m = _COPULA.match(after)
    if m and noun_kind(m.group(1), guess=False) is not None:
        return noun_kind(m.group(1), guess=False)  # "Pará was again the state with ..."
    return None


_COPULA = re.compile(
    r"\s+(?:is|was|are|were|remains|remained|became|becomes)\s+(?:again\s+|also\s+|still\s+)?"
    r"(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}?([a-z-]+)\b(?=\s+(?:with|that|which|to|of|in|where|"
    r"behind|for)\b|[,.])"
)


def _weak_kind(sentence: str, start: int, end: int, text: str) -> Kind | Literal["the", "other"]:
    """A guess from the shape and the words around the name."""
    ws = name_words(text)
    before, after = sentence[:start], sentence[end:]
    if len(ws) == 1 and ws[0].isupper() and len(ws[0]) > 1:
        return "org"  # an acronym
    prev = re.findall(r"[A-Za-z]+", before[-25:])
    if prev and prev[-1].lower() == "the":
        return "the"  # "the Heimatliste", "the Golden Lion": an organisation, or a thing
    if len(ws) == 1 and re.search(r"\bthe\s+(?:[a-z-]+\s+){1,2}$", before):
        return "the"  # "the nationalist Heimatliste": a one-word name no one is called
    if _PERSON_VERBS.match(after) or _SPEECH_BEFORE.search(before):
        return "person"
    if prev and prev[-1].lower() in PLACE_PREPOSITIONS:
        return "place"
    if len(ws) > 3:
        return "org"
    # By shape a short name reads as a person's ("Ross Delaney"), but not a run with "and"
    # ("Caithness and Sutherland") or a letter ("Series B"), and not one word alone: without
    # a title, a role, a verb of speech or a given name, "Interior" or "Heimatliste" is no
    # one ("Okafor then fired" is typed by "striker Tom Okafor" elsewhere in the article).
    if " and " not in text and all(len(w) > 1 for w in ws) and len(ws) > 1:
        return "person"
    return "other"

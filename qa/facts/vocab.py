"""The words the fact check reads statements and sentences with: negators, reporting verbs,
number words, opposites, currencies, synonyms, and the small tokenising helpers every part of
the check shares (tokens, content-word stems, names clause by clause)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import TypeVar

from qa.text import STOPWORDS, bare, name_stated, names, stem

_UNIT_AFTER, _UNIT_BEFORE = 7, 5

# Words that say who spoke or how, or hedge ("around", "the latest"), not what happened
# ("the article states that ..."): no evidence either way.
_REPORTING = frozenset(
    """reported reports announced announces stated states added adds noted notes explained
    explains confirmed confirms claimed claims according told tells says said say told
    statement statements article articles source sources text provided mentioned mentions
    mention report around nearly almost roughly approximately reportedly recent recently
    latest current currently""".split()  # noqa: SIM905
)
# Number words are numbers (checked as numbers), not content words.
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million billion trillion dozen dozens hundreds thousands
    millions billions bn mn""".split()  # noqa: SIM905
)
# Opposites a near-miss swaps in: a statement saying one, its window the other.
_OPPOSITES = [
    ("accept", "reject"),
    ("approve", "reject"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("increase", "decrease"),
    ("raise", "lower"),
    ("win", "lose"),
    ("won", "lost"),
    ("include", "exclude"),
    ("open", "close"),
    ("profit", "loss"),
    ("allow", "ban"),
    ("higher", "lower"),
    ("gain", "loss"),
    ("strengthen", "weaken"),
    ("expand", "shrink"),
    ("support", "oppose"),
    ("guilty", "innocent"),
    ("alive", "dead"),
    ("unanimous", "split"),
    ("agree", "refuse"),
    ("accept", "refuse"),
    ("confirm", "deny"),
    ("cut", "keep"),
    ("most", "least"),
    ("largest", "smallest"),
    ("biggest", "smallest"),
    ("oldest", "youngest"),
    ("best", "worst"),
    ("start", "stop"),
    ("earlier", "later"),
    ("early", "late"),
    ("increase", "reduce"),
    ("increased", "reduced"),
    ("cut", "raise"),
    ("east", "west"),
    ("north", "south"),
    ("eastern", "western"),
    ("northern", "southern"),
    ("offer", "deny"),
    ("grant", "deny"),
    ("offered", "denied"),
    ("granted", "denied"),
    ("started", "stopped"),
    # a change against no change: "will be raised above 65" / "will remain at 65"
    ("raise", "remain"),
    ("rise", "remain"),
    ("increase", "remain"),
    ("cut", "remain"),
    ("lower", "remain"),
    ("lift", "remain"),  # "the ban has been lifted" / "remains in effect"
    ("minimum", "maximum"),
    ("minimum", "most"),
    ("lowest", "highest"),
    ("convict", "acquit"),
    ("convicted", "cleared"),
    ("guilty", "acquitted"),  # "was found guilty" / "was acquitted"
    # a request is not its grant: "has applied for EUR 1.2 million" / "has been awarded"
    ("awarded", "applied"),
    ("buy", "sell"),
    ("bought", "sold"),
    ("dead", "missing"),  # "was found dead" / "was reported missing"
    ("discharged", "treated"),  # "is still being treated" / "was discharged"
]
_CURRENCIES = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "¥": "JPY",
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "crown": "CRN",
    "crowns": "CRN",
    "krone": "CRN",
    "kroner": "CRN",
    "peso": "PESO",
    "pesos": "PESO",
    "shilling": "KES",
    "shillings": "KES",
    "naira": "NGN",
    "yen": "JPY",
    "franc": "CHF",
    "francs": "CHF",
    "rupee": "INR",
    "rupees": "INR",
}


_SCALE_WORDS = frozenset("hundred thousand million billion trillion bn mn m b".split())  # noqa: SIM905
# A month, whole or abbreviated; not a name that begins like one ("Marchetti", "Junior").
_MONTH_NAME = (
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|May|"
    r"June|July|August|September|October|November|December)(?![a-z])\.?"
)
_DATE_NAME = re.compile(_MONTH_NAME + r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def month_number(name: str) -> int | None:
    """The month (1-12) `name` writes ("February", "Feb.", "Sept"), else None ("Marchetti",
    "Monday")."""
    name = name.strip()
    if not _DATE_NAME.fullmatch(name):
        return None
    key = name[:3].lower()
    return next((k + 1 for k, m in enumerate(_MONTH_NAMES) if m[:3].lower() == key), None)


def month_written(month: int, folded: str) -> bool:
    """Does `folded` write the month (1-12), whole or abbreviated ("February", "Feb 9")?"""
    whole = _MONTH_NAMES[month - 1]
    return re.search(rf"\b(?:{whole}|{whole[:3]}\.?)(?![a-z])", folded) is not None


# A byline: "Arjun Menon | SPS", "By Anna Reid".
_BYLINE = re.compile(
    r"\s*(?:By\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*|(?:[A-Z][\w.'’-]*\s+){1,3}"
    r"[A-Z][\w.'’-]*\s*[|/]\s*[A-Z][\w .&'’-]*)\s*$"
)
# (a comma in a figure is none: "1,400 apartments")
_CLAUSE = re.compile(r"(?<!\d),|,(?!\d)|[;:()\"!?]|\s-\s|\.\s")
# Words that point back to someone named earlier: "he", "the company", "the government".
_REFERS = re.compile(
    r"\b(?:he|she|it|they|his|her|its|their|him|them|the (?:company|firm|group|government|"
    r"club|minister|chancellor|bank|union|utility|agency|ministry|council|city|town|country|"
    r"network|operator|party|coalition|team|side|court|committee|president|mayor|governor))\b",
    re.IGNORECASE,
)
_HE = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.]*|[€$£¥%]")


# Words news writes for the same thing: a statement may use any of a group (each word's
# stem maps to the group's first).
_SAME_WORDS = [
    "strike walkout stoppage",
    "killed dead died death deaths fatal toll",
    "win won victory beat",
    "rise rose risen increase increased climbed grow grew grown growth higher",
    "fall fell fallen drop dropped decline declined decrease slump slip slipped lower",
    "approve approved back backed endorse endorsed pass passed adopt adopted",
    "leave left evacuate evacuated evacuation evacuees flee fled displaced",
    "company firm",
    "buy bought acquire acquired purchase",
    "cancel cancelled scrap scrapped axe halt halted",
    "job jobs post posts position positions",
    "worker workers staff employee employees crew crews",
    "arrest arrested detain detained",
    "begin began start started launch launched",
    "accord deal agreement pact treaty",
    "talks negotiations",
    "ship ships vessel vessels ferry ferries",
    "lorry lorries truck trucks",
    "rail train trains railway railways",
    "quake earthquake tremor",
    "blaze fire wildfire",
    "missing unaccounted",
    "injured wounded hurt",
    "pay salary wage wages",
    "announce announced unveil unveiled",
    "dispute row",
    "steal stole stolen theft thieves",
    "children kids",
    "author authors novelist novelists writer writers",
    "money funds funding",
    "plan plans intend aim",
    "home homes house houses",
    "postpone postponed delay delayed",
    "sack sacked dismiss dismissed fire fired",
    "fine fined penalty",
    "let allow allowed permit permitted enable enabled",
    "oppose opposed resist resisted",
    "abstain abstained abstaining abstention abstentions",
]


# Irregular verbs, which the stemmer leaves apart ("gave" / "give"): one group each.
_IRREGULAR = (  # noqa: SIM905
    "give gave given|take took taken|go went gone|sell sold|pay paid|hold held|meet met|"
    "run ran|lose lost|bring brought|build built|send sent|spend spent|keep kept|make made|"
    "find found|choose chose chosen|draw drew drawn|drive drove driven|fly flew flown|"
    "lead led|seek sought|shoot shot|sink sank sunk|speak spoke spoken|stand stood|"
    "teach taught|think thought|throw threw thrown|write wrote written|fight fought|"
    "catch caught|break broke broken|freeze froze frozen|hide hid hidden|shake shook shaken|"
    "sit sat|feel felt|deal dealt|mean meant|lend lent|withdraw withdrew withdrawn|"
    "overtake overtook overtaken|swear swore sworn|wear wore worn|tear tore torn|"
    "forgive forgave forgiven|rebuild rebuilt|know knew known|see saw seen|come came|"
    "become became|eat ate eaten|hang hung|strike struck|buy bought|begin began begun|"
    "win won|leave left|steal stole stolen|sweep swept|flee fled|bid|light lit|"
    "ride rode ridden|rise rose risen|fall fell fallen"
).split("|")


def _canonical_stems() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in [*_SAME_WORDS, *_IRREGULAR]:
        ws = group.split()
        for w in ws:
            out.setdefault(stem(w), stem(ws[0]))
    return out


_CANON = _canonical_stems()


def _canon(s: str) -> str:
    return _CANON.get(s, s)


def _inflected(word: str) -> set[str]:
    """The stems of a word's regular inflections ("agree": agree, agrees, agreed,
    agreeing), which the stemmer does not always bring together."""
    base = word[:-1] if word.endswith("e") else word
    forms = {word, word + "s", word + "d", word + "ed", base + "ed", base + "ing"}
    return {_canon(stem(f)) for f in forms} | {stem(f) for f in forms}


def _opposite_stems() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in _OPPOSITES:
        for x, y in ((a, b), (b, a)):
            for s in _inflected(x):
                out.setdefault(s, set()).update(_inflected(y))
    return out


_OPPOSITE = _opposite_stems()
_REPORTING_STEMS = frozenset(stem(w) for w in _REPORTING)


@lru_cache(maxsize=65536)
def _stated(name: str, text: str) -> bool:
    """`name_stated`, remembered: the same names are looked up in the same sentences for
    every window and every statement."""
    return name_stated(name, text)


_stem = stem  # cached in qa.text


def _names(folded: str) -> list[str]:
    """`qa.text.names`, clause by clause: "Eirik Lunde, Halden's chief executive" names two
    people, not one "Eirik Lunde Halden's"."""
    out: list[str] = []
    pos = 0
    for k, m in enumerate([*_CLAUSE.finditer(folded), None]):
        chunk = folded[pos : m.start() if m else len(folded)]
        pos = m.end() if m else len(folded)
        # (a plural's possessive too, before a name of its own: "Glenmure Rovers' Tayview
        # Park" is the Rovers' ground; the "Irish Nurses' Guild" stays one name)
        chunk = re.sub(r"(?<=[a-z]s)'(?=\s+[A-Z][\w-]*\s+[A-Z])", "'s", chunk)
        # After the first clause, a clause's first word is mid-sentence: let names() see it.
        found = names(chunk) if k == 0 else names("x " + chunk)
        # A possessive ends a name: "Vilhelm Aagaard's Frost" is Aagaard's work, and
        # "Lysen's" is Lysen (the run reader keeps the "'s" on the word).
        parts = [p for n in found for p in re.split(r"'s\s+", re.sub(r"'s$", "", n))]
        out += [p for p in parts if p[:1].isupper() and p not in out]
    return out


T = TypeVar("T")


def pair_union(pairs: Iterable[tuple[AbstractSet[T], AbstractSet[T]]]) -> tuple[set[T], set[T]]:
    """The unions of each side of (a, b) readings, one per window sentence."""
    left: set[T] = set()
    right: set[T] = set()
    for a, b in pairs:
        left |= a
        right |= b
    return left, right


def _tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


def _content(tok: str) -> str | None:
    """The stem of a content word (None for function words, numbers, units of money)."""
    low = bare(tok)
    if len(low) < 3 or not low[:1].isalpha() or low in STOPWORDS or low in _NUMBER_WORDS:
        return None
    if low in _SCALE_WORDS or low in _CURRENCIES or low in _REPORTING:
        return None
    return _stem(low)


# "Declined to comment" refuses; it is no fall (the synonym group of "declined").
_DECLINED_TO = re.compile(r"\bdeclin(?:e|es|ed|ing)\s+to\b", re.IGNORECASE)


def _as_meant(folded: str) -> str:
    """The text with words whose sense their neighbours fix rewritten: "declined to" as
    "refused to"."""
    return _DECLINED_TO.sub("refused to", folded)


def _with_canon(found: set[str]) -> set[str]:
    return found | {_canon(s) for s in found}


def _term_in(term: str, have: frozenset[str]) -> bool:
    """A content word is stated by the same stem, or a stem sharing its first five letters
    ("evacuated" / "evacuees", "invited" / "invitation")."""
    if term in have:
        return True
    if len(term) >= 5 and any(s[:5] == term[:5] for s in have if len(s) >= 5):
        return True
    # "voted" / "vote", "votes": an inflection the stemmer left on a short word.
    return len(term) >= 4 and any(
        _ENDING.fullmatch(long[len(short) :]) is not None
        for s in have
        if len(s) >= 4
        for short, long in ((term, s), (s, term))
        if long.startswith(short)
    )


_ENDING = re.compile(r"e?[ds]")


# A back-reference to a body: "the company said", "is carrying us this year".
_BODY_REF = re.compile(
    r"\b(?:the (?:company|firm|group|carrier|airline|operator|club|side|port|harbour|project|"
    r"museum|gallery|school|hospital|council|bank|union|trust|charity)|its|us|we|our)\b"
)


# A sentence whose subject is a body it does not name: "The group demanded", "The
# Rotterdam-based company employs", "DUBLIN - A consortium led by Nordvind has won",
# "Councillors backed".
_BODY_SUBJECT = re.compile(
    r"(?:[A-Z][\w ,.()'-]*\s[-\u2013\u2014]\s+)?(?:(?:the|a|an)\s+(?:[\w'-]+\s+){0,2}"
    r"(?:company|firm|group|consortium|venture|carrier|airline|operator|club|side|team|"
    r"council|board|committee|union|trust|charity|bank|utility|developer|gang|network|"
    r"agency|authority|party|government|ministry|retailer|supplier|maker|manufacturer|"
    r"publisher|museum|gallery|school|hospital|university|port|project|owner|buyer)|"
    r"councillors|members|shareholders|we)\b",
    re.IGNORECASE,
)

"""Fact-level support: does a cited article *state* what a generated statement says?

Topical similarity is not support: "the fund raised 40 million" is about the same thing as
"the fund raised 14 million", and a ferry strike in Orkney is about the same thing as one in
Shetland. So a statement is read for its specific content, and that content must be stated by
one sentence of the article or its immediate neighbours (the *window*):

- every name it gives (the surname for a full name, an acronym, "Britain" for "UK" and
  "Kenya" for "Kenyan" allowed: `qa.text.name_stated`); names the question already gives
  need only be somewhere in the article;
- every number ("thirty" = 30, "1.2 million" = 1,200,000, rounding as news rounds:
  `qa.text.states_number`), in the same currency, and next to the same noun when the window
  uses that noun ("300 staff" is not stated by "214 staff ... 300 passengers");
- its polarity: a statement with "not" / "no" / "never" / "without" needs a negation in the
  window, and a word the window only ever negates ("not unanimous") cannot be asserted;
  nor may the window say the opposite word ("rejected" for "accepted");
- most of its other content words, weighted (`MIN_COVERAGE`); words the question already
  uses count half, so the answer's own content decides.

Similarity may rank windows (the caller passes the embedder's scores) but never makes an
unsupported statement supported. A statement with several citations is supported when the
union of the cited windows states its content and each cited article states some of it
(`check_cited`). Both answerers' citations and the uncited-statement attribution go through
this one check (qa.validate); the eval judge (evals/judges.py) keeps its own, independent
implementation on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import product

from qa.entities import answer_kind, is_demonym
from qa.lexicon import COUNTRIES, ORG_CUES, PERSON_TITLES, PLACE_CUES
from qa.text import (
    QUESTION_WORDS,
    STOPWORDS,
    Number,
    bare,
    fold,
    name_stated,
    names,
    numbers_in,
    sentences,
    states_number,
    stem,
    stems,
    words,
)

# Share of a statement's weighted content words its window must state (tuned on the
# labelled pairs' tuning half, evals/data/judge_pairs.jsonl; never on the holdout).
MIN_COVERAGE = 0.65
# Words of the question restated by the statement weigh this much in the coverage.
QUESTION_WEIGHT = 0.5
# Sentences on each side of the quoted one that may state part of the content.
NEIGHBOURS = 1
# Words after a negation it governs ("will not deploy American troops").
_NEG_SCOPE = 4
# A noun counts as a number's when it is this many words after it, or before it.
_UNIT_AFTER, _UNIT_BEFORE = 7, 5

_NEGATORS = frozenset(
    "not no never none nor neither without cannot nobody nothing n't".split()  # noqa: SIM905
)
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


def _symbol_currency(before: str) -> str | None:
    """The currency of a symbol written just before a number ("$48", "C$4.5", "€2bn")."""
    return next((c for sym, c in _CURRENCIES.items() if len(sym) == 1 and sym in before), None)


_SCALE_WORDS = frozenset("hundred thousand million billion trillion bn mn m b".split())  # noqa: SIM905
_DATE_NAME = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
)
# A statement's window must hold at least this share of its content words in the quoted
# sentence itself: neighbours complete a statement (who "he" is), they do not make it.
MIN_ANCHOR = 0.4
# Nouns that name a count: the number a statement gives for one is checked against the
# number the article gives for it.
_COUNT_NOUNS = frozenset(
    stem(w)
    for w in "toll tally total number count figure deaths dead injured missing".split()  # noqa: SIM905
)
_CLAUSE = re.compile(r"[,;:()\"!?]|\s-\s|\.\s")
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
    "killed dead died death deaths fatal",
    "win won victory beat",
    "rise rose increase increased climbed grew growth",
    "fall fell drop dropped decline declined decrease slump",
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
    "quake earthquake tremor",
    "blaze fire wildfire",
    "missing unaccounted",
    "injured wounded hurt",
    "pay salary wage wages",
    "announce announced unveil unveiled",
    "dispute row",
    "steal stole stolen theft thieves",
    "children kids",
    "money funds funding",
    "plan plans intend aim",
    "home homes house houses",
    "postpone postponed delay delayed",
    "sack sacked dismiss dismissed fire fired",
    "fine fined penalty",
]


def _canonical_stems() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in _SAME_WORDS:
        ws = group.split()
        for w in ws:
            out.setdefault(stem(w), stem(ws[0]))
    return out


_CANON = _canonical_stems()


def _canon(s: str) -> str:
    return _CANON.get(s, s)


def _opposite_stems() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in _OPPOSITES:
        out.setdefault(stem(a), set()).add(stem(b))
        out.setdefault(stem(b), set()).add(stem(a))
    return out


_OPPOSITE = _opposite_stems()
_REPORTING_STEMS = frozenset(stem(w) for w in _REPORTING)


@dataclass(frozen=True)
class Quantity:
    """A number of a statement or sentence, with what it counts and its currency."""

    number: Number
    unit: str | None  # stem of the first content word after it ("214 staff" -> staff)
    currency: str | None
    # Stems of the content words just before and after it ("rises to 91.1 billion euros,
    # from 89.3 billion": "rises" belongs to 91.1).
    context: tuple[str, ...] = ()
    also: str | None = None  # the word after `unit`, which may be the real noun


@dataclass(frozen=True)
class Claim:
    """What a statement asserts, read once (all text folded to ASCII)."""

    text: str
    names: tuple[str, ...]  # names the window must state
    given_names: tuple[str, ...]  # names the question gives: somewhere in the article
    quantities: tuple[Quantity, ...]
    terms: Mapping[str, float]  # content-word stems -> weight
    first: str | None  # the first word, a name if the article writes it as one
    negative: bool  # says "not", "no", "never", ...
    negated: frozenset[str] = frozenset()  # the stems it negates
    # Per name, the content words right before and after it in its clause ("the call
    # centre in Bergen": centre), to tell whose slot a name fills in the window.
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Per name, the verb right after it ("Heimatliste finished second": finish), to tell
    # who does what when the window names several.
    verbs: Mapping[str, str] = field(default_factory=dict)
    leads: bool = False  # its first name opens it (the subject)

    @property
    def specific(self) -> int:
        """How many names and numbers it states (what "states some of it" counts)."""
        return len(self.names) + len(self.quantities)


class _Sentence:
    """One sentence of an article. What the shortlist needs (words, numbers) is read at
    once; polarity and names only when a window around it is checked."""

    def __init__(self, article: Article, start: int, end: int) -> None:
        self.article = article
        self.start, self.end = start, end
        self.text = article.text[start:end]  # as written (the quote)
        self.folded = fold(self.text)
        self.tokens = _tokens(self.folded)  # in order, for number/noun proximity
        self.stems = frozenset(_with_canon(stems(self.folded)))
        self.quantities = _quantities(self.folded)  # (token index, quantity)

    @cached_property
    def _polarity(self) -> tuple[frozenset[str], frozenset[str], bool]:
        neg, pos, negative = _polarity(self.folded)
        return frozenset(neg), frozenset(pos), negative

    @property
    def negated(self) -> frozenset[str]:
        """Stems under a negation in this sentence."""
        return self._polarity[0]

    @property
    def asserted(self) -> frozenset[str]:
        """Stems outside any negation."""
        return self._polarity[1]

    @property
    def negative(self) -> bool:
        return self._polarity[2]

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Who and what it names (dates left out), its first word included when the article
        writes that word as a name."""
        found = _names(self.folded)
        first = re.sub(r"'s$", "", (words(self.folded)[:1] or [""])[0].strip("'.-"))
        if first in self.article.proper and bare(first) not in STOPWORDS:
            found.insert(0, first)
        return tuple(n for n in found if not _DATE_NAME.fullmatch(n))

    @cached_property
    def places(self) -> tuple[str, ...]:
        """The names it puts after "in", "at" or "near": where things happen."""
        return tuple(
            n for n in self.names if re.search(r"\b(?:in|at|near)\s+" + re.escape(n), self.folded)
        )

    @cached_property
    def people(self) -> tuple[str, ...]:
        """The names among them that are people's."""
        people = self.article.people
        return tuple(n for n in self.names if re.sub(r"'s$", "", n.split()[-1]) in people)


class Article:
    """An article read for fact checks: its sentences, the words it writes as names
    mid-sentence (so a statement's first word can be recognised as a name) and the surnames
    of the people it names."""

    def __init__(self, text: str, title: str = "", year: int | None = None) -> None:
        self.text, self.title = text, title
        self.year = year  # the year it was published: "December 16, 2025" in a 2025 article
        self.folded = fold(f"{title}\n{text}") if title else fold(text)
        lower = set(re.findall(r"\b[a-z][a-z'-]+", self.folded))
        mid = re.findall(r"(?<=[a-z0-9,;:] )[A-Z][A-Za-z'-]+", self.folded)
        self.proper = frozenset(
            w for w in (re.sub(r"'s$", "", m) for m in mid) if w.lower() not in lower
        )
        runs = re.findall(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){1,3}", self.folded)
        self.people = _surnames(
            [" ".join(w for w in r.split() if bare(w) not in STOPWORDS) for r in runs]
        )
        self.sentences = [_Sentence(self, s, e) for s, e in sentences(text)]
        # What the article is about: its headline and its most mentioned person.
        counts: dict[str, int] = {}
        for w in re.findall(r"\b[A-Z][a-z'-]{2,}", self.folded):
            if w in self.people:
                counts[w] = counts.get(w, 0) + 1
        main = max(counts, key=lambda w: counts[w]) if counts else ""
        self.main = main if main and counts[main] >= 3 else ""  # its most mentioned person
        self.topic = fold(title) + f" {self.main}"

    @classmethod
    def read(cls, text: str, title: str = "", year: int | None = None) -> Article:
        """The article read for checks (remembered: questions keep citing the same ones)."""
        return _read_article(text, title, year)


@dataclass
class Verdict:
    """The check of one statement against one article: the window that states the most of
    it, whether that is all of it, and what it lacks."""

    supported: bool
    quote: str | None = None  # the window's middle sentence, verbatim from the article
    start: int = -1
    index: int = -1  # that sentence's index in the article
    coverage: float = 0.0
    stated: frozenset[str] = frozenset()  # the names, numbers and terms the window states
    missing: tuple[str, ...] = ()  # what it lacks ("number 241", "name Gilchrist", "not")
    clash: str | None = None  # a contradiction: a negation or an opposite word


# --------------------------------------------------------------------------- reading


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
        # After the first clause, a clause's first word is mid-sentence: let names() see it.
        found = names(chunk) if k == 0 else names("x " + chunk)
        out += [n for n in found if n not in out]
    return out


def _surnames(runs: list[str]) -> set[str]:
    """Surnames of the people an article names: the last word of each two- or three-word
    name none of whose words marks a place, a body or a country ("Matthias Grubauer", not
    "Logan Lake", "Limfjord Hospital Network" or "British Columbia")."""
    out: set[str] = set()
    for run in runs:
        parts = [re.sub(r"'s$", "", w) for w in run.split() if w not in PERSON_TITLES]
        if any(w.isupper() for w in parts):
            continue  # a dateline ("LOGAN LAKE, B.C.") or an acronym, not a person
        if not 2 <= len(parts) <= 3 or not all(w[:1].isupper() for w in parts):
            continue
        if any(w in ORG_CUES or w in PLACE_CUES or w in COUNTRIES or is_demonym(w) for w in parts):
            continue
        if any(_DATE_NAME.fullmatch(w) for w in parts):
            continue
        out.add(parts[-1])
    return out


def _tokens(folded: str) -> list[str]:
    return _TOKEN.findall(folded)


def _negation(tokens: list[str]) -> tuple[set[str], set[str], bool]:
    """(stems under a negation, stems asserted, any negation) of a token list."""
    neg: set[str] = set()
    pos: set[str] = set()
    left = 0
    negative = False
    for tok in tokens:
        low = tok.lower()
        if low in _NEGATORS or low.endswith("n't"):
            left, negative = _NEG_SCOPE, True
            continue
        if not tok[:1].isalnum() or low in STOPWORDS:
            continue
        (neg if left > 0 else pos).add(_stem(low))
        left = max(0, left - 1)
    return neg, pos, negative


def _quantities(folded: str) -> list[tuple[int, Quantity]]:
    """The numbers of a text, each with its token index, the noun right after it, its
    currency ("%" counts as one: 12% is not twelve months) and the content word before it."""
    found = numbers_in(folded) + _ordinals_and_fractions(folded)
    if not found:
        return []
    spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
    out: list[tuple[int, Quantity]] = []
    for num in found:
        if num.text.lower() == "one":
            continue  # "one of them", "a one-off payment": rarely a count
        if re.match(r"[A-Za-z]-?$", folded[max(0, num.start - 2) : num.start][-2:].lstrip(" ")) or (
            re.match(r"[A-Z]", folded[num.end : num.end + 1])
        ):
            continue  # part of a name: "SagarNetra-1", "Highway 97D", "A22"
        idx = next((i for i, (s, e, _) in enumerate(spans) if s <= num.start < e), -1)
        before = folded[max(0, num.start - 3) : num.start]
        currency = next(
            (c for sym, c in _CURRENCIES.items() if len(sym) == 1 and sym in before), None
        )
        # The words that run on from the number, up to punctuation: "214 deck", "60-tonne",
        # "4.5 million US dollars", "85 million Danish crowns", "6.5% rise".
        run: list[str] = []
        pos = num.end
        for s, e, tok in spans[idx + 1 : idx + 6] if idx >= 0 else ():
            if s < num.end:
                continue
            if folded[pos:s].strip(" -"):
                break
            run.append(tok)
            pos = e
        unit = also = None
        for k, tok in enumerate(run):
            low = bare(tok) or tok
            if low in ("%", "percent", "per", "cent"):
                currency = "%"
                continue
            if low in _CURRENCIES:
                currency = currency or _CURRENCIES[low]
                continue
            if low in _SCALE_WORDS or (
                k < 2
                and tok[:1].isupper()
                and any(bare(w) in _CURRENCIES for w in run[k + 1 : k + 2])
            ):
                continue  # "million", or "Danish" before "crowns"
            bare_count = currency is None and not any(w in _SCALE_WORDS for w in run[:k])
            if (
                (tok[:1].islower() or bare_count)
                and low not in STOPWORDS
                and low not in _NUMBER_WORDS
            ):
                unit = _stem(low)  # "214 staff", "380 Corvane trucks"
                nxt = bare(run[k + 1]) if k + 1 < len(run) else ""
                if nxt[:1].isalpha() and nxt not in STOPWORDS and tok[:1].islower():
                    also = _stem(nxt)  # "31,000 old batteries": the noun may be the second
            break  # only the word right after the number (and its scale) is its noun
        context: tuple[str, ...] = ()
        if idx > 0:
            # The content word before it in the same clause ("rises to 91.1", not
            # "clear-cutting, down from 6,240").
            clause_start = max((m.end() for m in _CLAUSE.finditer(folded, 0, num.start)), default=0)
            prev = (
                c
                for s, _, tok in reversed(spans[max(0, idx - 3) : idx])
                if s >= clause_start and (c := _content(tok))
            )
            context = tuple(c for c in (next(prev, None),) if c)
            # The count's own noun, earlier in the clause: "the death toll ... is 58".
            counts: list[str] = []
            for s, _, tok in spans[max(0, idx - 10) : idx]:
                if s < clause_start:
                    continue
                if any(n.start <= s < n.end for n in found):
                    counts = []  # "the toll rose to nine after searchers found five": nine's
                elif (c := _content(tok)) in _COUNT_NOUNS:
                    counts.append(c)
            context += tuple(c for c in counts[-1:] if c not in context)
        out.append((idx, Quantity(num, unit, currency, context, also)))
    return out


_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()  # noqa: SIM905
    )
}
_FRACTION = re.compile(
    r"\b(a|one|two|three|four)[- ](half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\b",
    re.IGNORECASE,
)
# An ordinal counts after "the"/"its"/...: "the fifth woman", not "first evacuated".
_ORDINAL = re.compile(
    r"\b(?:the|its|his|her|their|a)\s+(?:only\s+)?(" + "|".join(_ORDINALS) + r")\b",
    re.IGNORECASE,
)
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}


def _ordinals_and_fractions(folded: str) -> list[Number]:
    """ "the fifth woman", "a third of drivers": counts `numbers_in` leaves to the reader.
    Ordinals get values from 1001 up and fractions below 1, so neither matches a count."""
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _FRACTION.finditer(folded):
        k = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}[m.group(1).lower()]
        part = _PARTS[m.group(2).lower().rstrip("s")]
        out.append(Number(k / part, m.start(), m.end(), m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _ORDINAL.finditer(folded):
        if not any(s <= m.start() < e for s, e in taken):
            out.append(
                Number(1000 + _ORDINALS[m.group(1).lower()], m.start(1), m.end(1), m.group(1))
            )
    return out


def _content(tok: str) -> str | None:
    """The stem of a content word (None for function words, numbers, units of money)."""
    low = bare(tok)
    if len(low) < 3 or not low[:1].isalpha() or low in STOPWORDS or low in _NUMBER_WORDS:
        return None
    if low in _SCALE_WORDS or low in _CURRENCIES or low in _REPORTING:
        return None
    return _stem(low)


def _with_canon(found: set[str]) -> set[str]:
    return found | {_canon(s) for s in found}


def _polarity(folded: str) -> tuple[set[str], set[str], bool]:
    """`_negation` clause by clause: a negation ends at punctuation ("which is not counted
    as clear-cutting, had risen" does not negate "risen")."""
    neg: set[str] = set()
    pos: set[str] = set()
    negative = False
    for clause in _CLAUSE.split(folded):
        n, p, any_neg = _negation(_tokens(clause))
        neg |= n
        pos |= p
        negative = negative or any_neg
    return neg, pos, negative


def read_claim(statement: str, article: Article | None = None, question: str = "") -> Claim:
    """Read a statement's names, numbers, negation and content words.

    `article` lets its first word count as a name when the article writes that word as one
    ("Okafor joined ..."); `question` marks what the statement merely restates.
    """
    folded = fold(statement)
    q = fold(question)
    toks = _tokens(folded)
    found = _names(folded)
    ws = words(folded)
    first = ws[0] if ws else None
    first_name = None
    if first and first[:1].isupper() and bare(first) not in STOPWORDS:
        clean = re.sub(r"'s$", "", first.strip("'.-"))
        second = ws[1].strip("'.-,") if len(ws) > 1 else ""
        if found and second and found[0].split()[0] == second:
            # "Fiona Gilchrist said ...": the first word begins the name found after it.
            first_name = clean
            found[0] = f"{clean} {found[0]}"
        elif (article is not None and clean in article.proper) or (
            clean in COUNTRIES or is_demonym(clean)
        ):
            # "Okafor joined ...": the article writes it as a name; "German chancellor ...".
            first_name = clean
            found.insert(0, clean)
    qnames = _names(q) + [w for w in words(q)[:1] if w[:1].isupper()]
    given = tuple(n for n in found if any(_stated(n, qn) for qn in qnames))
    required = tuple(n for n in found if n not in given)
    name_words = {bare(w) for n in found for w in n.split()}
    qstems = stems(q) if q else set()
    terms: dict[str, float] = {}
    for tok in toks:
        low = bare(tok)
        if (
            len(low) < 3
            or low in STOPWORDS
            or low in QUESTION_WORDS
            or low in _NEGATORS
            or low in _REPORTING
            or low in _NUMBER_WORDS
            or low in name_words
            or not low[:1].isalpha()
            or low.endswith("n't")
        ):
            continue
        s = _stem(low)
        terms[_canon(s)] = QUESTION_WEIGHT if s in qstems else 1.0
    negated, _, negative = _polarity(folded)
    quantities = tuple(q for _, q in _quantities(folded))
    slots = {n: _slot(folded, n) for n in required}
    verbs = {n: v for n in required if (v := _verb_after(folded, n))}
    return Claim(
        folded,
        required,
        given,
        quantities,
        terms,
        first_name,
        negative,
        frozenset(negated),
        slots,
        verbs,
        bool(required) and bool(re.match(r"\W*(?:the\s+)?" + re.escape(required[0]), folded, re.I)),
    )


def _verb_after(folded: str, name: str) -> str | None:
    """The verb a name is the subject of: the first lower-case word after it in its
    clause, past auxiliaries ("Reid said", "the Heimatliste finished", "Ndiaye would start")."""
    m = re.search(re.escape(name) + r"(?:'s)?(?!\w)", folded)
    if m is None or re.search(
        r"\b(?:of|at|from|for|with|by|in|on|to)\s+(?:the\s+)?$", folded[: m.start()]
    ):
        return None  # "Anders Holm of Nordvagt Security said": the firm is not the speaker
    hi = next((c.start() for c in _CLAUSE.finditer(folded, m.end())), len(folded))
    for tok in _tokens(folded[m.end() : hi])[:3]:
        low = bare(tok)
        if not tok[:1].islower():
            return None
        if low in STOPWORDS - _REPORTING:
            continue
        return _stem(low) if low[:1].isalpha() else None
    return None


def _slot(folded: str, name: str) -> tuple[str, ...]:
    """The noun a place-like name is attached to by a preposition ("the call centre in
    Bergen", "sold at auction in Paris", "a satellite from a Bengaluru college"): the
    content word just before "in/at/from/near/to (the/a)" and the name. () if none."""
    m = re.search(
        r"\b(?:in|at|from|near|to|including)\s+(?:the\s+|a\s+|an\s+)?"
        + re.escape(name)
        + r"(?!\w)",
        folded,
    )
    if m is None:
        # The verb a name is the object of: "plans to enter Kenya", "led by Savanna".
        v = re.search(
            r"\b([a-z][a-z'-]{2,})\s+(?:the\s+|a\s+|an\s+)?" + re.escape(name) + r"(?!\w)", folded
        )
        verb = _content(v.group(1)) if v else None
        return (verb, "object") if verb else ()
    before = _tokens(folded[: m.start()])[-3:]
    nouns = [c for tok in before if tok[:1].islower() and (c := _content(tok))]
    return tuple(nouns[-1:])


@lru_cache(maxsize=256)
def _read_article(text: str, title: str, year: int | None) -> Article:
    return Article(text, title, year)


# --------------------------------------------------------------------------- checking


def check(claim: Claim, article: Article, rank: Mapping[int, float] | None = None) -> Verdict:
    """The best window of `article` for `claim`: supported when it states every name and
    number, contradicts nothing, and covers `MIN_COVERAGE` of the content words.

    `rank` (sentence index -> similarity) orders windows that are equally good; it never
    turns a failing window into a passing one.
    """
    if not article.sentences:
        return Verdict(False, missing=("text",))
    if any(not _stated(n, article.folded) for n in claim.given_names):
        missing = tuple(f"name {n}" for n in claim.given_names if not _stated(n, article.folded))
        return Verdict(False, missing=missing)
    best: tuple[tuple[float, ...], Verdict] | None = None
    for v in _windows(claim, article):
        key = (float(v.supported), -float(len(v.missing)), v.coverage, (rank or {}).get(v.index, 0))
        if best is None or key > best[0]:
            best = (key, v)
    assert best is not None
    return best[1]


# Windows examined per article: those sharing the most words, names and numbers with the
# statement (the rest cannot state it; reading them all cost 30+ ms on a long feature).
SHORTLIST = 12


def _windows(claim: Claim, article: Article) -> list[Verdict]:
    """The verdicts of the article's windows that share most with the statement (a
    lexical shortlist; every shortlisted window gets the full check)."""
    keys = set(claim.terms) | {
        _canon(_stem(w.lower())) for n in claim.names for w in n.split() if len(w) > 2
    }
    values = {q.number.value for q in claim.quantities}
    sents = article.sentences
    overlap = [
        len(keys & s.stems) + sum(1 for _, q in s.quantities if q.number.value in values)
        for s in sents
    ]
    score = [
        sum(overlap[max(0, i - NEIGHBOURS) : i + NEIGHBOURS + 1]) + overlap[i]
        for i in range(len(sents))
    ]
    order = sorted((i for i in range(len(sents)) if overlap[i]), key=lambda i: -score[i])
    return [_window(claim, article, i) for i in order[:SHORTLIST]] or [_window(claim, article, 0)]


def _covered(claim: Claim, found: set[str]) -> tuple[float, bool]:
    """(coverage, enough): the weighted share of the content words stated, and whether the
    rest is within the slack. A word or so may be paraphrased beyond the synonyms ("scored"
    for "strike"): at most (1 - MIN_COVERAGE) of the weight, and never less than one word
    when there are two or more."""
    total = sum(claim.terms.values())
    got = sum(w for t, w in claim.terms.items() if t in found)
    slack = max(1.0 if total >= 2 else 0.0, (1 - MIN_COVERAGE) * total)
    return (got / total if total else 1.0), total - got <= slack + 1e-9


def _window(claim: Claim, article: Article, i: int) -> Verdict:
    sents = article.sentences
    lo, hi = max(0, i - NEIGHBOURS), min(len(sents), i + NEIGHBOURS + 1)
    window = sents[lo:hi]
    anchor = sents[i]
    have = frozenset().union(*(s.stems for s in window))
    stated: set[str] = set()
    missing: list[str] = []
    # A name may come from a neighbour ("He said ..." after "Euan Mackay ...") only when the
    # quoted sentence names no other person: "Grubauer will become vice-chancellor" does not
    # make Karin Lechner vice-chancellor because the next sentence names her.
    others = any(not _stated(n, claim.text) for n in anchor.people)
    tokens = [t for s in window for t in s.tokens]
    refers = bool(_REFERS.search(anchor.folded))
    # Likewise a place: "talks at Acas in Aberdeen" is not stated by "talks ... in Glasgow"
    # because the sentence before mentions Aberdeen.
    elsewhere = any(not _stated(n, claim.text) for n in anchor.places)
    for n in claim.names:
        place = re.search(r"\b(?:in|at|near|from|to)\s+(?:the\s+)?" + re.escape(n), claim.text)
        here = _stated(n, anchor.folded) or (
            not others
            and not (place and elsewhere)
            and (
                any(_stated(n, s.folded) for s in window)
                # "The government has pledged ..." in an article headlined about Brazil: the
                # statement's subject only ("Brazil's government ...", not "... enter Kenya").
                or (refers and n is claim.names[0] and claim.leads and _stated(n, article.topic))
                # "The new Austrian cabinet" under a headline about an Austrian coalition.
                or ((is_demonym(n) or n in COUNTRIES) and _stated(n, fold(article.title)))
                # "... since he took over" in an interview with Reid: the article's person.
                or (bool(_HE.search(anchor.folded)) and _stated(n, article.main))
            )
        )
        if (
            here
            and not _name_competes(claim, n, window, tokens)
            and not _subject_competes(claim, n, window)
        ):
            stated.add(f"name:{n}")
        else:
            missing.append(f"name {n}")
    for q in claim.quantities:
        if _quantity_stated(q, window) or _publication_year(q, claim, article):
            stated.add(f"number:{q.number.text}")
        else:
            missing.append(f"number {q.number.text}")
    total = sum(claim.terms.values())
    found = {t for t in claim.terms if _term_in(t, have)}
    own = sum(w for t, w in claim.terms.items() if t in found and _term_in(t, anchor.stems))
    stated.update(f"term:{t}" for t in found)
    coverage, enough = _covered(claim, found)
    clash = _clash(claim, window, have)
    if not enough:
        missing.append(f"content {coverage:.2f}")
    elif total and own / total < MIN_ANCHOR:
        missing.append("content in the quoted sentence")
    supported = not missing and clash is None
    return Verdict(
        supported,
        anchor.text,
        anchor.start,
        i,
        round(coverage, 4),
        frozenset(stated),
        tuple(missing),
        clash,
    )


_SLOT_PREPS = frozenset("in at from near to including".split())  # noqa: SIM905
_SLOT_REACH = 7
_DETERMINERS = frozenset("the a an its his her their our".split())  # noqa: SIM905  # tokens after the noun in which its place is named


def _name_competes(claim: Claim, name: str, window: list[_Sentence], tokens: list[str]) -> bool:
    """Is the noun the statement attaches `name` to attached to another name in the window
    ("close its call centre in Bergen" when the centre is "in Trondheim")? True when the
    noun is followed by "in/at/from/including ... <another name>" in some window sentence
    and never by "in/at/... <name>"."""
    context = claim.slots.get(name, ())
    if not context:
        return False
    keys = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    rival = False
    for s in window:
        for k, tok in enumerate(s.tokens):
            st = _content(tok)
            if st is None or not _term_in(context[0], frozenset((st,))):
                continue
            after = [
                re.sub(r"'s$", "", w.strip(".'")) for w in s.tokens[k + 1 : k + 1 + _SLOT_REACH]
            ]
            if context[1:] == ("object",):
                # "enter Tanzania" against "enter Kenya": the word right after the verb.
                obj = next(
                    (
                        w
                        for w in after[:3]
                        if w.lower() not in _DETERMINERS and w not in PERSON_TITLES
                    ),
                    "",
                )
                if obj in keys:
                    return False
                if obj[:1].isupper() and not _DATE_NAME.fullmatch(obj):
                    rival = rival or not _stated(obj, claim.text)
                continue
            preps = [j for j, w in enumerate(after) if w.lower() in _SLOT_PREPS]
            if not preps:
                continue
            if any(w in keys for w in after[preps[0] + 1 :]):
                return False  # the statement's own attachment is there
            for j in preps:
                nxt = next(
                    (w for w in after[j + 1 : j + 3] if w.lower() not in ("the", "a", "an")), ""
                )
                if nxt[:1].isupper() and not _DATE_NAME.fullmatch(nxt):
                    rival = rival or not _stated(nxt, claim.text)
    return rival


def _subject_competes(claim: Claim, name: str, window: list[_Sentence]) -> bool:
    """Does the verb the statement gives `name` have someone else as its subject in the
    window ("the Heimatliste finished second", not the Social Democratic Union), and never
    `name`? The subject is the last name before the verb in its clause; for "said"/"told"
    it must be a person."""
    verb = claim.verbs.get(name)
    if verb is None:
        return False
    keys = {re.sub(r"'s$", "", w) for w in name.split() if w[:1].isupper()}
    reporting = verb in _REPORTING_STEMS
    rival = False
    for s in window:
        if not any(_stated(n, s.folded) for n in claim.names):
            continue  # a sentence about others: its verbs say nothing of this statement
        people = {re.sub(r"'s$", "", p.split()[-1]) for p in s.people}
        name_words = {re.sub(r"'s$", "", w) for n in s.names for w in n.split()}
        for m in re.finditer(r"\b[a-z][a-z'-]*", s.folded):
            if not _term_in(verb, frozenset((_canon(_stem(m.group())),))):
                continue
            lo = max((c.end() for c in _CLAUSE.finditer(s.folded, 0, m.start())), default=0)
            caps = re.findall(r"\b[A-Z][\w'-]*", s.folded[lo : m.start()])
            if not caps:
                # "Priya Mistry, who chairs the alliance, said": the subject is the name
                # before the interruption, the sentence's first.
                caps = [w for w in re.findall(r"\b[A-Z][\w'-]*", s.folded[: m.start()])][:1]
            subject = re.sub(r"'s$", "", caps[-1]) if caps else ""
            if subject in keys:
                return False  # the statement's subject does it here
            # Someone else, or another name of the statement in the other role ("Brenner
            # accused Stadlmayr" when Stadlmayr accused Brenner).
            named = subject in name_words and not _DATE_NAME.fullmatch(subject)
            if named and not is_demonym(subject) and not _stated(subject, name):
                rival = rival or not reporting or subject in people
    return rival


def _term_in(term: str, have: frozenset[str]) -> bool:
    """A content word is stated by the same stem, or a stem sharing its first five letters
    ("evacuated" / "evacuees", "invited" / "invitation")."""
    if term in have:
        return True
    return len(term) >= 5 and any(s[:5] == term[:5] for s in have if len(s) >= 5)


def _publication_year(q: Quantity, claim: Claim, article: Article) -> bool:
    """A year a statement adds to a date the article gives without one ("sworn in on
    December 16, 2025" from "on December 16" in an article published in 2025)."""
    year = q.number.value
    return (
        article.year is not None
        and year == article.year
        and re.search(r"[A-Z][a-z]+\.? \d{1,2},? " + str(int(year)) + r"\b", claim.text) is not None
    )


def _quantity_stated(q: Quantity, window: list[_Sentence]) -> bool:
    """Is the number in the window, in the same currency, next to the noun it counts (when
    the window uses that noun), and not a figure the statement's own words tie to another
    number of the same kind ("the union sought 3.2%" when it sought 6.5% and was offered
    3.2%)?"""
    tokens: list[str] = []
    found: list[tuple[int, Quantity, _Sentence]] = []
    for s in window:
        found += [(len(tokens) + idx if idx >= 0 else -1, sq, s) for idx, sq in s.quantities]
        tokens += s.tokens
    units = [u for u in (q.unit, q.also) if u is not None]
    unit_used = [u for u in units if any(u in s.stems for s in window)]
    for pos, sq, _ in found:
        if not states_number(q.number, sq.number.value):
            continue
        if q.currency and sq.currency and q.currency != sq.currency:
            continue  # 85 million euros is not 85 million crowns
        if (q.currency == "%") != (sq.currency == "%"):
            continue  # 12% is not twelve months
        if unit_used and not any(_near(tokens, pos, u) for u in unit_used):
            continue
        if _competes(q, pos, found, tokens):
            continue
        return True
    return False


def _competes(
    q: Quantity, pos: int, found: list[tuple[int, Quantity, _Sentence]], tokens: list[str]
) -> bool:
    """Is a word the statement puts next to its number nearer another number of the same
    kind (same currency or same noun) in the window?"""
    if pos < 0:
        return False
    stems_at = [_content(t) for t in tokens]
    for c in q.context:
        places = [k for k, s in enumerate(stems_at) if s == c]
        if not places:
            continue
        mine = min(abs(k - pos) for k in places)
        for other, sq, _ in found:
            if other < 0 or other == pos or states_number(q.number, sq.number.value):
                continue
            if _date_part(tokens, other):
                continue  # "May 14", "in 2025": a date, not a rival count
            same_kind = (
                (q.currency is not None and sq.currency == q.currency)
                or (q.unit is not None and sq.unit == q.unit)
                # "the death toll to five" against "58" for a toll: two plain counts.
                or (c in _COUNT_NOUNS and not (q.currency or sq.currency or q.unit or sq.unit))
            )
            if same_kind and min(abs(k - other) for k in places) < mine:
                return True
    return False


def _date_part(tokens: list[str], idx: int) -> bool:
    """Is the number at `idx` a day of a month or a year?"""
    prev = tokens[idx - 1].strip(".,") if idx > 0 else ""
    return bool(_DATE_NAME.fullmatch(prev)) or bool(re.fullmatch(r"(?:19|20)\d\d", tokens[idx]))


def _near(tokens: list[str], idx: int, unit: str | None) -> bool:
    if idx < 0 or unit is None:
        return True
    around = tokens[max(0, idx - _UNIT_BEFORE) : idx + _UNIT_AFTER + 1]
    return any(_canon(_stem(bare(t))) == _canon(unit) for t in around)


def _clash(claim: Claim, window: list[_Sentence], have: frozenset[str]) -> str | None:
    """A contradiction between statement and window: an unstated negation, a word the
    window only negates, or an opposite word."""
    if claim.negative and not any(
        s.negative and (not claim.negated or claim.negated & s.negated) for s in window
    ):
        return "the article does not say 'not'"
    if not claim.negative:
        negated = frozenset().union(*(s.negated for s in window))
        asserted = frozenset().union(*(s.asserted for s in window))
        for t in claim.terms:
            if t in negated and t not in asserted:
                return f"the article says 'not {t}'"
    for t in claim.terms:
        if t in have:
            continue
        opposite = _OPPOSITE.get(t, set()) & have
        if opposite and not (opposite & claim.terms.keys()):
            return f"the article says '{sorted(opposite)[0]}', not '{t}'"
    return None


@dataclass
class Cited:
    """The check of a statement against all the articles it cites."""

    supported: bool
    verdicts: list[Verdict]  # per article: the window used (its quote)
    keep: list[bool]  # per article: does it keep its citation?


# Windows per article tried in combination when no single article states a statement.
_UNION_WINDOWS = 5


def _specific(v: Verdict) -> int:
    """How many names and numbers a window states."""
    return sum(1 for k in v.stated if k.startswith(("name:", "number:")))


def check_cited(claim: Claim, articles: Sequence[Article]) -> Cited:
    """A statement citing several articles. Supported when one of them states it (then the
    articles that state it alone keep their citations), or when windows of two or more
    together state every name and number and enough of the content words with no
    contradiction (then the articles whose window adds something the others do not state
    keep theirs). An article that states none of it, or only what another already states,
    loses its citation."""
    alone = [check(claim, a) for a in articles]
    if any(v.supported for v in alone) or len(articles) < 2:
        return Cited(any(v.supported for v in alone), alone, [v.supported for v in alone])
    pools = []
    for a in articles:
        if any(not _stated(n, a.folded) for n in claim.given_names):
            pools.append([])
            continue
        ws = [v for v in _windows(claim, a) if v.clash is None and v.stated]
        ws.sort(key=lambda v: (_specific(v), len(v.stated), v.coverage), reverse=True)
        pools.append(ws[:_UNION_WINDOWS] or [Verdict(False)])
    best: tuple[float, tuple[Verdict, ...]] | None = None
    for combo in product(*pools):
        union = frozenset().union(*(v.stated for v in combo))
        coverage, enough = _covered(claim, {t for t in claim.terms if f"term:{t}" in union})
        names_ok = all(f"name:{n}" in union for n in claim.names)
        numbers_ok = all(f"number:{q.number.text}" in union for q in claim.quantities)
        if names_ok and numbers_ok and enough and (best is None or coverage > best[0]):
            best = (coverage, combo)
    if best is None:
        return Cited(False, alone, [False] * len(articles))
    chosen = list(best[1])
    keep = []
    for k, v in enumerate(chosen):
        others = frozenset().union(*(w.stated for j, w in enumerate(chosen) if j != k))
        keep.append(bool(v.stated - others))
    return Cited(True, chosen, keep)


# --------------------------------------------------------------------------- answers

_RELATIVE_DATE = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|(?:last|next|this)\s+(?:week|month|year|weekend))\b",
    re.IGNORECASE,
)


# Share of the question's words (names counting double) the cited passage must hold for a
# supported statement to count as answering it.
MIN_RELEVANCE = 0.5


def answers_question(question: str, statement: str, passage: str | None = None) -> bool:
    """Does `statement` answer `question`? It gives the kind of fact asked for
    (qa.entities.answer_kind: a name the question does not already give for "who" / "which
    company" / "where", a number for "how many", a date for "when"; any statement for the
    rest), and, when `passage` (the article text it is cited to) is given, that passage is
    about what the question asks: it holds `MIN_RELEVANCE` of the question's words. A true
    sentence about something else (a model pasting the article) does not answer."""
    if not question.strip():
        return True
    q, s = fold(question), fold(statement)
    if passage is not None and _relevance(q, fold(passage)) < MIN_RELEVANCE:
        return False
    kind = answer_kind(question)
    if kind in ("person", "org", "place", "work"):
        found = _names(s)
        first = words(s)[:1]
        if first and first[0][:1].isupper() and bare(first[0]) not in STOPWORDS:
            found.append(re.sub(r"'s$", "", first[0].strip("'.-")))
        return any(not name_stated(n, q) for n in found if not _DATE_NAME.fullmatch(n))
    if kind in ("number", "date"):
        asked = [n.value for n in numbers_in(q)]
        if any(n.value not in asked for n in numbers_in(s) + _ordinals_and_fractions(s)):
            return True
        if kind == "date":
            dates = [n for n in _names(s) if _DATE_NAME.fullmatch(n.split()[0])]
            return any(not name_stated(d, q) for d in dates) or bool(_RELATIVE_DATE.search(s))
        return False
    return True


def _relevance(question: str, passage: str) -> float:
    """The weighted share of the question's content words (names double) in the passage."""
    have = frozenset(_with_canon(stems(passage)))
    weights: dict[str, float] = {}
    for i, w in enumerate(words(question)):
        low = bare(w)
        if len(low) < 3 or low in STOPWORDS or low in QUESTION_WORDS or low in _REPORTING:
            continue
        weights[_canon(_stem(low))] = 2.0 if w[:1].isupper() and i > 0 else 1.0
    if not weights:
        return 1.0
    return sum(wt for t, wt in weights.items() if _term_in(t, have)) / sum(weights.values())

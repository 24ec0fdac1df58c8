"""Articles read once for fact checks: their sentences (words, numbers, names, polarity),
the words they write as names mid-sentence, the surnames of the people they name and their
main person."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from qa.entities import Profile, profile
from qa.facts.quantities import _quantities
from qa.facts.vocab import (
    _BYLINE,
    _CLAUSE,
    _DATE_NAME,
    _NUMBER_WORDS,
    _as_meant,
    _canon,
    _names,
    _stem,
    _tokens,
    _with_canon,
    month_number,
    month_written,
)
from qa.lexicon import COUNTRIES, ORG_CUES, PERSON_TITLES, PLACE_CUES, is_demonym
from qa.text import NEGATORS, STOPWORDS, bare, fold, sentences, stems, words

# Where things happen: the names after "in", "at", "near" ("In Normandy, ...", "in the
# municipality of Gaspar"), with the places listed with the first ("in Castlebar and Ennis",
# "in Cork, Kerry or Clare"); for a statement, where things go too ("from", "to"). One
# pattern each, read once per text.
_LIST_SEP = r",\s+|\s+and\s+|\s+or\s+"
_RUN = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
_PLACE_LIST = rf"({_RUN}(?:(?:{_LIST_SEP}){_RUN})*)"
_PLACES_AT = re.compile(
    r"\b(?i:in|at|near)\s+(?:the\s+(?i:town|city|village|municipality|region|province|state|"
    r"county|district|port)\s+of\s+)?" + _PLACE_LIST
)
_PLACES_TO = re.compile(r"\b(?i:in|at|near|from|to)\s+(?:the\s+)?" + _PLACE_LIST)


@lru_cache(maxsize=8192)
def place_runs(folded: str, moving: bool = False) -> tuple[str, ...]:
    """The runs of capitalised words a text puts after "in", "at" or "near" (with `moving`,
    "from" and "to" too), list by list."""
    found = (_PLACES_TO if moving else _PLACES_AT).finditer(folded)
    return tuple(r for m in found for r in re.split(_LIST_SEP, m.group(1)))


def placed(name: str, folded: str, moving: bool = False) -> bool:
    """Does `folded` put `name` after "in", "at" or "near" (or in a list of places there)?"""
    return any(r == name or r.startswith(name + " ") for r in place_runs(folded, moving))


# A body's name that goes on after "of": "Journal of", "University of", "Institute of".
_OF_BODY = re.compile(r"\b(?:" + "|".join(sorted(ORG_CUES)) + r")\s+of\s+$")
# Words after a negation it governs ("will not deploy American troops").
_NEG_SCOPE = 4
# "At no charge", "at no cost": a price, not a denial ("free of charge" says the same).
_NO_PRICE = frozenset(("charge", "cost", "extra"))


# A measure written as one word: "101-seat", "eleven-minute", "23-year-old".
_MEASURE = re.compile(
    r"\b(?:\d[\d.,]*|" + "|".join(sorted(_NUMBER_WORDS)) + r")-([a-z]{3,})", re.IGNORECASE
)


class _Sentence:
    """One sentence of an article. What the shortlist needs (words, numbers) is read at
    once; polarity and names only when a window around it is checked."""

    def __init__(self, article: Article, start: int, end: int) -> None:
        self.article = article
        self.start, self.end = start, end
        self.text = article.text[start:end]  # as written (the quote)
        self.folded = fold(self.text)
        self.tokens = _tokens(self.folded)  # in order, for number/noun proximity
        # (with the noun of a measure, as a statement's words are read: "101-seat" is a
        # seat; "anti-war" stays whole)
        self.stems = frozenset(
            _with_canon(
                stems(_as_meant(self.folded))
                | {_stem(m) for m in _MEASURE.findall(self.folded)}
                | _compound_parts(self.folded)
            )
        )
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
        return tuple(n for n in self.names if placed(n, self.folded))

    @cached_property
    def people(self) -> tuple[str, ...]:
        """The names among them that are people's."""
        people = self.article.people
        return tuple(n for n in self.names if re.sub(r"'s$", "", n.split()[-1]) in people)


class Article:
    """An article read for fact checks: its sentences, the words it writes as names
    mid-sentence (so a statement's first word can be recognised as a name) and the surnames
    of the people it names."""

    def __init__(
        self, text: str, title: str = "", year: int | None = None, month: int | None = None
    ) -> None:
        self.text, self.title = text, title
        self.year = year  # the year it was published: "December 16, 2025" in a 2025 article
        self.month = month  # and the month (1-12): a syndicated copy may drop its dateline
        self.folded = fold(f"{title}\n{text}") if title else fold(text)
        lower = set(re.findall(r"\b[a-z][a-z'-]+", self.folded))
        mid = re.findall(r"(?<=[a-z0-9,;:] )[A-Z][A-Za-z'-]+", self.folded)
        self.proper = frozenset(
            w for w in (re.sub(r"'s$", "", m) for m in mid) if w.lower() not in lower
        )
        runs = [
            m.group()
            for m in re.finditer(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){1,3}", self.folded)
            # "the Journal of Dryland Crop Science", "University of East Anglia": a body's name
            if not _OF_BODY.search(self.folded, max(0, m.start() - 40), m.start())
        ]
        self.people = _surnames(
            [" ".join(w for w in r.split() if bare(w) not in STOPWORDS) for r in runs]
        )
        self.sentences = [_Sentence(self, s, e) for s, e in sentences(text)]
        # Its most mentioned person (whom "he" refers to when no one is named before it).
        counts: dict[str, int] = {}
        for w in re.findall(r"\b[A-Z][a-z'-]{2,}", self.folded):
            if w in self.people:
                counts[w] = counts.get(w, 0) + 1
        main = max(counts, key=lambda w: counts[w]) if counts else ""
        self.main = main if main and counts[main] >= 3 else ""  # its most mentioned person

    def described_as(self, name: str) -> str | None:
        """The common noun the article also calls `name` by, when only that name has it:
        "the trust" for Pennine Crest (named "Pennine Crest Academy Trust"), "the port" for
        Esbjerg ("the port of Esbjerg"). A window that says "the trust" speaks of it."""
        return _description(name, self.folded)

    @cached_property
    def top(self) -> list[_Sentence]:
        """Its first three sentences past the headline (the lede and the byline's lines):
        where a story names what it is about."""
        title = self.title.strip()
        return [s for s in self.sentences if s.text.strip() != title][:3]

    @cached_property
    def kinds(self) -> Profile:
        """What each name is (person, org, place ...), read once per article."""
        return profile(self.folded)

    @classmethod
    def read(
        cls, text: str, title: str = "", year: int | None = None, month: int | None = None
    ) -> Article:
        """The article read for checks (remembered: questions keep citing the same ones)."""
        return _read_article(text, title, year, month)

    def around(self, i: int, reach: int) -> list[_Sentence]:
        """Sentence `i` with `reach` sentences each side, past bylines ("Arjun Menon | SPS"
        between a headline and its lead keeps neither from the other)."""
        sents = self.sentences
        before = [j for j in range(i - 1, -1, -1) if not _BYLINE.match(sents[j].text)][:reach]
        after = [j for j in range(i + 1, len(sents)) if not _BYLINE.match(sents[j].text)][:reach]
        return [sents[j] for j in sorted([*before, i, *after])]

    def published_in(self, name: str) -> bool:
        """Was the article published in the month `name` ("February", "Feb.")?"""
        month = month_number(name)
        return month is not None and month == self.month

    def gives_month(self, name: str) -> bool:
        """Does the article give the month `name` ("February", "Feb."): in its text, or as
        the month it was published?"""
        month = month_number(name)
        return month is not None and (month == self.month or month_written(month, self.folded))


# A compound's words, as a statement reads them ("first-half pre-tax profit": half, tax);
# not after a prefix that turns the word round ("anti-war" states no war).
_COMPOUND = re.compile(r"\b[a-z]{2,}(?:-[a-z]+)+\b", re.IGNORECASE)
_TURNING_PREFIX = frozenset("anti non ex counter un mis de dis".split())  # noqa: SIM905


def _compound_parts(folded: str) -> set[str]:
    out: set[str] = set()
    for m in _COMPOUND.finditer(folded):
        parts = m.group().lower().split("-")
        if parts[0] not in _TURNING_PREFIX:
            out |= {_stem(p) for p in parts if len(p) >= 3}
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
        if parts[0] in _REGION_FIRST or parts[-1] in _THING_LAST:
            continue  # "West Yorkshire", "New Zealand"; "Ashby Vale", "Halvergate Homes"
        out.add(parts[-1])
    return out


# Last words of places' and firms' names that the shared cue lists leave out (they would
# read a surname as a place elsewhere: "Lane", "Wood" and "Green" are kept for people).
_THING_LAST = frozenset(
    "Vale Trench Ridge Moor Moors Fjord Glacier Plateau Reef Dam Homes Foods Brands "  # noqa: SIM905
    "Developments Properties Estates Construction Farms Water Power Energy Motors".split()
)
# First words of places' two-word names, which no person's name begins with.
_REGION_FIRST = frozenset(
    "North South East West New Northern Southern Eastern Western Upper Lower Greater".split()  # noqa: SIM905
)


def _negation(tokens: list[str]) -> tuple[set[str], set[str], bool]:
    """(stems under a negation, stems asserted, any negation) of a token list. Besides "not"
    and its kin, a verb that denies what follows it ("refused to back", "decided against
    capping", "for lack of drivers") is a negation; what follows "whether" is not asserted
    ("asked whether Okafor had a release clause"), a verb against it ("resist more
    lorries") or a request ("asked for a sentence of four years"), though not denied either."""
    neg: set[str] = set()
    pos: set[str] = set()
    left = 0
    negative = False
    for k, tok in enumerate(tokens):
        low = tok.lower()
        nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if _negator(low, nxt) or low == "whether":
            left, negative = _NEG_SCOPE, negative or low != "whether"
            continue
        if low == "no":
            continue  # "rebooked at no charge": free, no denial
        if _unasserting(tokens, k):
            # The verb itself is said (or denied) as the words before it decide; what it
            # asks for or stands against is neither.
            (neg if left > 0 else pos).add(_stem(low))
            left = _NEG_SCOPE
            continue
        if low in _NEGATING_AFTER.get(nxt, ()):
            left, negative = _NEG_SCOPE, True  # "decided against": did not decide (to ...)
        elif low in _NEGATING_AFTER and any(
            t.lower() in _NEGATING_AFTER[low] for t in tokens[max(0, k - 3) : k - 1]
        ):
            left, negative = _NEG_SCOPE, True  # "voted in July against his motion to ..."
        if left and left < _NEG_SCOPE and low in _SCOPE_ENDS:
            left = 0  # "did not hide his frustration with the sending-off": not the sending-off
        if tok[:1].isalnum() and low not in STOPWORDS:
            if left > 0:
                neg.add(_stem(low))
            elif not (k and tok[:1].isupper()):
                pos.add(_stem(low))  # (a name's word asserts no noun: "the Frontiers Fund")
            left = max(0, left - 1)
        if _negating(low, nxt):
            left, negative = _NEG_SCOPE, True  # "refused to back": refused, did not back
    return neg, pos, negative


# Prepositions after a denied verb and its object, where the denial ends.
_SCOPE_ENDS = frozenset("with at about over during despite".split())  # noqa: SIM905


# Verbs against what follows them: "would resist more lorries", "opposed the cut" assert
# neither the lorries nor the cut (nor deny them: they are no "not").
_OPPOSING = frozenset(
    f"{v}{e}"
    for v in ("resist", "oppos", "reject", "block", "prevent")
    for e in ("", "s", "ed", "ing", "e", "es")
)
# ... and a request: "had asked for a sentence of four years", "sought 3.2%" assert neither.
_REQUESTING = frozenset(
    "sought seek seeks seeking demanded demand demands demanding proposed propose proposes "  # noqa: SIM905
    "requested request requests urged urge urges want wants wanted wanting should".split()
)
_ASKING = frozenset("ask asks asked asking call calls called calling".split())  # noqa: SIM905
_TELLING = frozenset("tell tells told telling".split())  # noqa: SIM905
# "turned down the offer" is "rejected the offer".
_TURNING = frozenset("turn turns turned turning".split())  # noqa: SIM905
# "from borrowing rather than from cuts", "instead of a strike": the cuts are not asserted.
_INSTEAD = frozenset((("rather", "than"), ("instead", "of")))


def _unasserting(tokens: list[str], k: int) -> bool:
    """Is token k a verb against, or a request for, what follows it ("would resist",
    "sought", "asked the White House for", "turned down"), or a "rather than"?"""
    low = tokens[k].lower()
    nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
    return (
        low in _OPPOSING
        or low in _REQUESTING
        or (low in _TURNING and nxt == "down")
        or (low, nxt) in _INSTEAD
        or (low in _ASKING and "for" in (t.lower() for t in tokens[k + 1 : k + 5]))
        # "told him to expect": an instruction, as "he should expect" is
        or (low in _TELLING and "to" in (t.lower() for t in tokens[k + 2 : k + 4]))
    )


# Verbs that deny what follows "to": "refused to", "declined to", "failed to" ...
_NEGATING_TO = frozenset(
    "refuse refused refuses refusing decline declined declines declining fail failed fails "  # noqa: SIM905
    "failing".split()
)
# ... and "decided against", "voted against", "ruled out"; "lack of".
_NEGATING_AFTER = {
    "against": frozenset("decide decided decides vote voted votes".split()),  # noqa: SIM905
    "out": frozenset(("ruled", "rule", "rules")),
}


def _negator(low: str, nxt: str) -> bool:
    """Is the word `low`, followed by `nxt`, a "not", "no", "never" ...? ("At no charge" is
    a price, no denial.)"""
    if low == "no" and nxt.rstrip(".") in _NO_PRICE:
        return False
    # ("unless" is "if not": "unless an improved offer is made", "if no improved offer is made")
    return low in NEGATORS or low.endswith("n't") or low == "unless"


def _negating(low: str, nxt: str) -> bool:
    """Does the word `low`, followed by `nxt`, begin a negation?"""
    if low in _NEGATING_TO:
        return nxt == "to"
    return low in ("lack", "lacked", "lacking")


def _negation_heads(folded: str) -> frozenset[str]:
    """The first content word after each negation ("has not destroyed six structures ...
    but no homes": destroy, home): what a statement denies, each of which its window must
    deny too."""
    heads: set[str] = set()
    for clause in _CLAUSE.split(folded):
        tokens = _tokens(clause)
        waiting = False
        for k, tok in enumerate(tokens):
            low = tok.lower()
            nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
            if _negator(low, nxt):
                waiting = True
                continue
            if low == "whether":
                continue  # "would not say whether more money ...": what is not said is the money
            if tok[:1].isalnum() and low not in STOPWORDS:
                if waiting or low in _NEGATING_AFTER.get(nxt, ()):  # "ruled out": rule
                    heads.add(_canon(_stem(low)))
                waiting = False
            waiting = waiting or _negating(low, nxt)
    return frozenset(heads)


def requested(folded: str) -> set[str]:
    """The stems a statement puts under a request or a verb against, to the end of each
    clause ("asked the White House for more context about the assurances given to European
    allies"): what it does not assert, however far the window's own request reaches."""
    out: set[str] = set()
    for clause in _CLAUSE.split(folded):
        tokens = _tokens(clause)
        for k in range(len(tokens)):
            if _unasserting(tokens, k):
                rest = [t.lower() for t in tokens[k + 1 :]]
                out |= _with_canon(
                    {_stem(t) for t in rest if t[:1].isalnum() and t not in STOPWORDS}
                )
                break
    return out


def _polarity(folded: str) -> tuple[set[str], set[str], bool]:
    """`_negation` clause by clause: a negation ends at punctuation ("which is not counted
    as clear-cutting, had risen" does not negate "risen")."""
    neg: set[str] = set()
    pos: set[str] = set()
    negative = False
    for clause in _CLAUSE.split(folded):
        n, p, any_neg = _negation(_tokens(clause))
        neg |= _with_canon(n)  # "back" is "approve": statements use either
        pos |= _with_canon(p)
        negative = negative or any_neg
    return neg, pos, negative


@lru_cache(maxsize=256)
def _read_article(text: str, title: str, year: int | None, month: int | None) -> Article:
    return Article(text, title, year, month)


@lru_cache(maxsize=4096)
def _description(name: str, folded: str) -> str | None:
    """`Article.described_as`, read from the article's text (remembered per name and text)."""
    of = re.finditer(r"\bthe ([a-z]{3,}) of " + re.escape(name) + r"\b", folded)
    heads = {m.group(1) for m in of}
    for m in re.finditer(re.escape(name) + r"((?:\s+[A-Z][\w'-]+){1,3})", folded):
        heads.add(m.group(1).split()[-1].lower())
    if len(name.split()) >= 2 and name in folded:
        heads.add(name.split()[-1].lower())  # "the trust" for the Scottish Seabird Trust
    found = [
        h
        for h in heads
        if h not in STOPWORDS
        and re.search(rf"\bthe {h}\b", folded, re.IGNORECASE)
        # one thing of that kind: not "the school" in an article that names two schools
        and len(set(re.findall(rf"((?:[A-Z][\w'-]+\s+){{1,3}}){h.title()}\b", folded))) <= 1
    ]
    return found[0] if len(found) == 1 else None

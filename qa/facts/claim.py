"""What a statement asserts, read once: the names it gives (and those the question already
gives), its quantities, its content words weighted, its negation, and for each name the noun
or verb it is attached to (its slot) and the verb it is the subject of."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from qa.facts.article import Article, _negation_heads, _polarity, requested
from qa.facts.quantities import Quantity, _quantities
from qa.facts.vocab import (
    _CLAUSE,
    _NUMBER_WORDS,
    _REPORTING,
    _as_meant,
    _canon,
    _content,
    _names,
    _stated,
    _stem,
    _tokens,
)
from qa.lexicon import COUNTRIES, HEAD_NOUNS, is_demonym
from qa.text import (
    NEGATORS,
    QUESTION_WORDS,
    STOPWORDS,
    bare,
    fold,
    numbers_in,
    stems,
    word_list,
    words,
)

# Words of the question restated by the statement weigh this much in the coverage.
QUESTION_WEIGHT = 0.5
# What a number must lie between to be read as a year.
_YEARS = (1900, 2100)


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
    denied: frozenset[str] = frozenset()  # the first word after each of its negations
    # Years the question gives ("the Golden Lion in 2025"): a time frame, like a given name,
    # stated by the article's own year or anywhere in it.
    given_years: frozenset[float] = frozenset()

    @property
    def specific(self) -> int:
        """How many names and numbers it states (what "states some of it" counts)."""
        return len(self.names) + len(self.quantities)


def read_claim(statement: str, article: Article | None = None, question: str = "") -> Claim:
    """Read a statement's names, numbers, negation and content words.

    `article` lets its first word count as a name when the article writes that word as one
    ("Okafor joined ..."); `question` marks what the statement merely restates.
    """
    folded = fold(statement)
    q = fold(question)
    found, first_name = _statement_names(folded, article)
    # "Perth-based", "the Tromso-led study": the place is the name.
    found = list(dict.fromkeys(p for n in found for p in _of_place(n)))
    qnames = _names(q) + [w for w in words(q)[:1] if w[:1].isupper()]
    given = tuple(n for n in found if any(_stated(n, qn) for qn in qnames))
    given += _long_forms(folded, found, given, article)
    required = tuple(n for n in found if n not in given)
    # A name's words are no content words, hyphenated ones included ("Winston-Salem").
    name_words = {bare(w) for n in found for w in re.split(r"[\s-]+", n)}
    # The question's words read as the statement's are ("eleven-minute": eleven, minute).
    qstems = stems(q) | {_stem(bare(t)) for t in _tokens(q)} if q else set()
    qstems |= {_canon(t) for t in qstems}
    terms = _terms(_as_meant(folded), name_words, qstems)
    negated, _, negative = _polarity(folded)
    negated |= requested(folded)  # (not asserted either: "asked for ...", "would resist ...")
    quantities = tuple(q for _, q in _quantities(folded))
    slots = {n: _slot(folded, n) for n in required}
    verbs = {n: v for n in required if (v := _verb_after(folded, n))}
    # The question's name the statement opens with does its verb as well ("Lysen made a
    # profit of 310 million" for "How much profit did Lysen make?").
    verbs |= {
        n: v
        for n in given[:1]
        if re.match(r"\W*(?:the\s+)?" + re.escape(n), folded) and (v := _verb_after(folded, n))
    }
    leads = bool(required) and bool(
        re.match(r"\W*(?:the\s+)?" + re.escape(required[0]), folded, re.I)
    )
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
        leads,
        _negation_heads(folded) if negative else frozenset(),
        frozenset(
            n.value
            for n in numbers_in(q)
            if n.value.is_integer() and _YEARS[0] <= n.value <= _YEARS[1]
        ),
    )


def _long_forms(
    folded: str, found: list[str], given: tuple[str, ...], article: Article | None
) -> tuple[str, ...]:
    """Names the statement joins to a question's name by "for" or "of" where the article
    writes the two joined too: "the Calloway Prize for Fiction" is the question's "Calloway
    Prize" by its full title (qa.text.names splits a run at "for" and "of"), not a new name."""
    if article is None or not given:
        return ()
    return tuple(
        n
        for n in found
        if n not in given
        and any(
            joined in folded and joined in article.folded
            for g in given
            for joined in (f"{g} for {n}", f"{g} of {n}")
        )
    )


def _statement_names(folded: str, article: Article | None) -> tuple[list[str], str | None]:
    """The names a statement gives, and its first word when that is one (a sentence's first
    word is capitalised anyway: it is a name only when the name runs on after it, the
    article writes it as a name, or it is a country or demonym)."""
    found = _names(folded)
    ws = words(folded)
    first = ws[0] if ws else None
    if not first or not first[:1].isupper() or bare(first) in STOPWORDS:
        return found, None
    clean = re.sub(r"'s$", "", first.strip("'.-"))
    second = ws[1].strip("'.-,") if len(ws) > 1 else ""
    if found and second and found[0].split()[0] == second:
        # "Fiona Gilchrist said ...": the first word begins the name found after it.
        found[0] = f"{clean} {found[0]}"
        return found, clean
    if (article is not None and clean in article.proper) or (
        clean in COUNTRIES or is_demonym(clean)
    ):
        # "Okafor joined ...": the article writes it as a name; "German chancellor ...".
        found.insert(0, clean)
        return found, clean
    return found, None


def _terms(folded: str, name_words: set[str], qstems: set[str]) -> dict[str, float]:
    """The content-word stems of a statement (canonical synonyms), weighted: words the
    question already uses weigh `QUESTION_WEIGHT`; names, numbers, negators and reporting
    words are checked otherwise or not at all."""
    terms: dict[str, float] = {}
    for tok in _tokens(folded):
        low = bare(tok)
        if (
            len(low) < 3
            or low in _FOCUS
            or low in STOPWORDS
            or low in QUESTION_WORDS
            or low in NEGATORS
            or low in _REPORTING
            or low in _NUMBER_WORDS
            or low in _PER_CENT  # a figure's unit, checked with its figure
            or re.sub(r"'s$", "", low) in name_words
            or not low[:1].isalpha()
            or low.endswith("n't")
        ):
            continue
        s = _canon(_stem(low))  # ("took" is the question's "take")
        terms[s] = QUESTION_WEIGHT if s in qstems else 1.0
    return terms


_PER_CENT = frozenset(("per", "cent", "percent"))
# Words that point at what follows and claim nothing themselves ("specifically in the
# Camargue").
_FOCUS = frozenset("specifically particularly notably especially namely".split())  # noqa: SIM905
# Head nouns of people, bodies, places and works: no verb after a name.
_NOUN_HEADS = frozenset().union(*(HEAD_NOUNS[k] for k in ("person", "org", "place", "work")))
# Workers named by their work ("drivers", "nurses"), which the head-noun lists leave out.
_PEOPLE = frozenset(
    "driver nurse doctor teacher pilot staff member worker employee passenger pupil student "  # noqa: SIM905
    "resident fan shareholder customer tenant farmer".split()
)


def _verb_after(folded: str, name: str) -> str | None:
    """The verb a name is the subject of: the first lower-case word after it in its
    clause, past auxiliaries ("Reid said", "the Heimatliste finished", "Ndiaye would start")."""
    m = re.search(re.escape(name) + r"(?:'s)?(?!\w)", folded)
    if m is None or _AFTER_PREPOSITION.search(folded[: m.start()]):
        return None  # "Anders Holm of Nordvagt Security said": the firm is not the speaker
    if (v := _OBJECT_AFTER.search(folded[: m.start()])) and v.group(1) not in _CLAUSE_OPENERS:
        return None  # "to reach the Northern Counties Cup final": the verb's object
    if m.group().endswith("'s"):
        return None  # "Bernhof's offer": the word after a possessive is what it owns
    if is_demonym(name) or folded[m.end() : m.end() + 1] == "-":
        return None  # "a Lithuanian haulier", "the Tromso-led study": the word is its noun
    hi = next((c.start() for c in _CLAUSE.finditer(folded, m.end())), len(folded))
    for tok in _tokens(folded[m.end() : hi])[:3]:
        low = bare(tok)
        if not tok[:1].islower() or low in _COORDINATORS:
            return None  # "near Lodz and drives": the verb is the earlier subject's
        if low in _BE:
            return None  # "Lysen is being bought", "Lepp is the first woman": no deed of hers
        if low in _NOUN_HEADS or low.rstrip("s") in _PEOPLE:
            # "Kestrel chief executive Richard Ashcombe said", "the Maumee Valley school
            # board voted", "Avonline drivers rejected": a noun the name describes
            return None
        if low in STOPWORDS - _REPORTING or low in NEGATORS or low in _WHEN_WORDS:
            continue  # "would", "has", "never"; "this year" is when, not a deed
        return _stem(low) if low[:1].isalpha() else None
    return None


_HYPHENED = re.compile(r"^(.+?)-(?:based|born|headquartered|registered|led)(?:\s+(.+))?$")


def _of_place(name: str) -> list[str]:
    """The place in "Perth-based", "Dundee-based Glenbrae Bakery" (and the name after it);
    a demonym's stays whole ("American-led" is not stated by "US ... European-led")."""
    m = _HYPHENED.match(name)
    if m is None or is_demonym(m.group(1)):
        return [name]
    return [m.group(1), *([m.group(2)] if m.group(2) else [])]


_WHEN_WORDS = frozenset(
    word_list(
        "year years week weeks month months today yesterday tomorrow ago earlier later "
        "morning afternoon evening night season quarter"
    )
)
# A name right after one of these is no subject ("lives near Lodz", "talks in Paris").
# A name after a verb and "the" is its object, unless the word opens a clause.
_OBJECT_AFTER = re.compile(r"\b([a-z]+)\s+the\s+$")
_CLAUSE_OPENERS = frozenset(
    "and but or while whereas that when as because after before since if unless said says "  # noqa: SIM905
    "told added warned where so".split()
)
_AFTER_PREPOSITION = re.compile(
    r"\b(?:of|at|from|for|with|by|in|on|to|near|into|onto|over|under|against|about|after|"
    r"before|between|across|behind|beside|via|than|its|his|her|their|our|a|an)\s+(?:the\s+)?$"
)  # ("its Venlo depot", "a Lithuanian haulier": the word after the name is its noun)
_COORDINATORS = frozenset(("and", "or", "but"))
_BE = frozenset(("is", "was", "are", "were", "be", "been", "being"))


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

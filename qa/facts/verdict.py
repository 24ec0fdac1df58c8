"""The verdict on a statement: against all the articles it cites (`check_cited`: which keep
their citations), and whether a supported statement answers the question asked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from qa.entities import answer_kind
from qa.facts.article import Article
from qa.facts.claim import Claim
from qa.facts.quantities import _ordinals_and_fractions
from qa.facts.vocab import (
    _DATE_NAME,
    _REPORTING,
    _canon,
    _names,
    _stated,
    _stem,
    _term_in,
    _with_canon,
)
from qa.facts.window import Verdict, _covered, _windows, check
from qa.text import QUESTION_WORDS, STOPWORDS, bare, fold, name_stated, numbers_in, stems, words


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


def answers_question(
    question: str, statement: str, passage: str | None = None, title: str = ""
) -> bool:
    """Does `statement` answer `question`? It gives the kind of fact asked for
    (qa.entities.answer_kind: a name the question does not already give for "who" / "which
    company" / "where", a number for "how many", a date for "when"; any statement for the
    rest), and, when `passage` (the article text it is cited to) is given, that passage is
    about what the question asks: with the article's `title`, it holds `MIN_RELEVANCE` of
    the question's words. A true sentence about something else (a model pasting the
    article) does not answer; a feature's paragraph that does not repeat what its headline
    says ("Reid, 44, grew up in Paisley" under "Callum Reid: the Aldervale manager ...")
    does."""
    if not question.strip():
        return True
    q, s = fold(question), fold(statement)
    if passage is not None and _relevance(q, fold(f"{title}\n{passage}")) < MIN_RELEVANCE:
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
    """The weighted share of the question's content words (names double) in the passage. A
    name counts when the passage states it as a name ("Turkish" by "Turkey"); months, days
    and years do not count (a passage seldom repeats the date its article is about)."""
    have = frozenset(_with_canon(stems(passage)))
    weights: dict[str, float] = {}
    named: set[str] = set()
    for i, w in enumerate(words(question)):
        low = bare(w)
        if len(low) < 3 or low in STOPWORDS or low in QUESTION_WORDS or low in _REPORTING:
            continue
        if _DATE_NAME.fullmatch(w) or re.fullmatch(r"(?:19|20)\d\d", low):
            continue
        key = _canon(_stem(low))
        weights[key] = 2.0 if w[:1].isupper() and i > 0 else 1.0
        if w[:1].isupper() and i > 0 and _stated(re.sub(r"'s$", "", w), passage):
            named.add(key)
    if not weights:
        return 1.0
    got = sum(wt for t, wt in weights.items() if t in named or _term_in(t, have))
    return got / sum(weights.values())

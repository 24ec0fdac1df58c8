"""What the dated answers (qa/latest.py, qa/timeline.py) share: dates as a reader writes them,
the articles' dates, and the Answer they build from numbered, cited pieces."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from datetime import date
from typing import TYPE_CHECKING

from qa.answer_types import SPAN_KINDS, type_candidates
from qa.evidence import Candidate, candidates_from_hits, group_by_article, score_candidates
from qa.types import Answer, Citation, CitationEvent, Event, Final, Hit, Status, TextDelta

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.extractive import ExtractiveAnswerer
    from qa.retrieve import Retrieval

Pieces = list[tuple[str, Candidate]]


class DatedAnswerer:
    """An answer of dated, cited pieces (the latest report, a timeline); the extractive answer
    when `pieces` finds too little to date. Subclasses give `status`, `joiner`, `pieces`."""

    mode = "extractive"
    status = ""
    joiner = " "

    def __init__(self, base: ExtractiveAnswerer) -> None:
        self.base = base

    def pieces(self, question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
        raise NotImplementedError

    def stream(
        self, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> Iterator[Event]:
        t0 = time.perf_counter()
        yield Status(self.status)
        pieces = self.pieces(question, retrieval, context)
        if not pieces:
            yield from self.base.stream(question, retrieval, context)
            return
        answer = yield from cited_answer(question, pieces, retrieval.hits, self.joiner)
        answer.timings_ms["answer"] = (time.perf_counter() - t0) * 1e3
        yield Final(answer)


# Where a piece's citation number goes (filled in by `cited_answer`).
N = "\x00n\x00"


def day(iso: str | None) -> str:
    """2025-06-03 -> '3 Jun 2025' ('undated' without a date)."""
    if not iso:
        return "undated"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%b %Y}"


def dates_of(hits: list[Hit]) -> dict[str, str]:
    """Each retrieved article's publication date ('' when undated)."""
    return {h.article_id: h.published_at or "" for h in hits}


def best_per_article(cands: list[Candidate]) -> list[Candidate]:
    """The first (best-ranked) candidate of each article, in the order given."""
    seen: dict[str, Candidate] = {}
    for c in cands:
        seen.setdefault(c.article_id, c)
    return list(seen.values())


def article_bests(
    question: str,
    retrieval: Retrieval,
    context: AnswerContext,
    typed: bool = True,
    own_vector: bool = False,
    every: bool = False,
) -> list[Candidate]:
    """Each retrieved article's best sentence for the question, best article first, kept only
    when it passes the floor an extractive answer must pass (qa/extractive.py `select`): the
    score `min_support`, and the question's words in the sentence itself or, for a question
    asking for a name, number or date, a span of that kind (with `typed=False`, either will
    do: a newer report that answers in other words still supersedes). With `own_vector`, the
    question is not the one retrieved with, and is embedded itself. With `every`, all the
    sentences that pass, best first."""
    cands = candidates_from_hits(retrieval.hits, context.article_text)
    qv = None if own_vector else retrieval.query_vector
    score_candidates(question, cands, context.embedder, qv)
    kind = type_candidates(question, cands, context.article_text)
    floor = context.settings.min_support
    good = [
        c
        for c in cands
        if c.score >= floor
        and (
            c.answer is not None
            if kind in SPAN_KINDS and typed
            else c.answer is not None or c.own_lexical >= 0.3
        )
    ]
    ranked = sorted(good, key=lambda c: (-c.score, c.article_id, c.start))
    return ranked if every else best_per_article(ranked)


def cited_answer(
    question: str, pieces: list[tuple[str, Candidate]], hits: list[Hit], joiner: str = " "
) -> Generator[Event, None, Answer]:
    """Stream `pieces` (text with an `N` slot, the candidate it cites), numbering articles in
    order of first citation, then the citations; returns the Answer (as the generator value)."""
    sources = {s.article_id: s for s in group_by_article(hits)}
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    out: list[str] = []
    for text, c in pieces:
        if c.article_id not in numbers:
            numbers[c.article_id] = len(numbers) + 1
            citations.append(sources[c.article_id].citation(c.text, numbers[c.article_id]))
        piece = text.replace(N, str(numbers[c.article_id]))
        yield TextDelta(piece if not out else joiner + piece)
        out.append(piece)
    for cit in citations:
        yield CitationEvent(cit)
    return Answer(question=question, text=joiner.join(out), refused=False, citations=citations)

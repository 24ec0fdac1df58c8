"""The extractive answerer: the sentences that best answer the question, quoted verbatim with
one `[n]` per article, or a refusal.

It refuses when no sentence carries the question's key terms and meaning, rather than
quoting something merely on-topic. It needs no model, so it is also what the LLM answerer
falls back to when the model cannot be reached.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from qa.answer_types import SPAN_KINDS, type_candidates
from qa.asked import question_parts
from qa.config import Settings
from qa.entities import Span, full_span
from qa.evidence import (
    Candidate,
    candidates_from_hits,
    coverage,
    group_by_article,
    key_terms,
    missing_names,
    refusal,
    score_candidates,
)
from qa.text import full_name
from qa.types import Answer, Citation, CitationEvent, Event, Final, Status, TextDelta

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.retrieve import Retrieval

MAX_CANDIDATES = 20
# Another article's sentence is quoted beside the best one (corroboration) when it scores
# within this much of it (`select`); the latest-report answer holds newer reports to the same.
CORROBORATION_BAND = 0.08


class ExtractiveAnswerer:
    """Quotes the best-supported sentences with [n] per article, or refuses."""

    mode = "extractive"

    def stream(
        self, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> Iterator[Event]:
        t0 = time.perf_counter()
        yield Status("selecting the sentences that answer the question")
        chosen, missing = choose_sentences(question, retrieval, context)
        if chosen:
            lead = None
            if chosen[0].answer is not None and len(question_parts(question)) == 1:
                text = context.article_text(chosen[0].article_id) or ""
                lead = short_answer(chosen[0].answer, chosen[0].text, text)
            answer = yield from self._quote(question, chosen, retrieval, lead)
        else:
            answer = self._answer(question, refusal(question, missing), refused=True)
            yield TextDelta(answer.text)
        answer.timings_ms["answer"] = (time.perf_counter() - t0) * 1e3
        yield Final(answer)

    def quoted(
        self, question: str, chosen: list[Candidate], retrieval: Retrieval, lead: str
    ) -> Iterator[Event]:
        """The answer `lead`, then `chosen` quoted and cited: what `stream` gives for its own
        choice, for a choice made elsewhere (qa/agreed.py)."""
        answer = yield from self._quote(question, chosen, retrieval, lead)
        yield Final(answer)

    def _quote(
        self, question: str, chosen: list[Candidate], retrieval: Retrieval, lead: str | None
    ) -> Generator[Event, None, Answer]:
        """Stream the short answer (when there is one, cited to the article it comes from),
        then the quotes with their markers, then the citations; returns the Answer."""
        sources = {s.article_id: s for s in group_by_article(retrieval.hits)}
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        pieces: list[str] = []
        if lead:
            pieces.append(f"{lead} [1].")
            yield TextDelta(pieces[0])
        for c in chosen:
            if c.article_id not in numbers:
                numbers[c.article_id] = len(numbers) + 1
                citations.append(sources[c.article_id].citation(c.text, numbers[c.article_id]))
            quote = f'"{c.text}"' if lead else c.text
            piece = f"{quote} [{numbers[c.article_id]}]"
            yield TextDelta(piece if not pieces else " " + piece)
            pieces.append(piece)
        for cit in citations:
            yield CitationEvent(cit)
        return self._answer(question, " ".join(pieces), refused=False, citations=citations)

    def _answer(
        self, question: str, text: str, *, refused: bool, citations: list[Citation] | None = None
    ) -> Answer:
        return Answer(
            question=question,
            text=text,
            refused=refused,
            citations=citations or [],
            mode=self.mode,
            model=None,
        )


def choose_sentences(
    question: str, retrieval: Retrieval, context: AnswerContext
) -> tuple[list[Candidate], list[str]]:
    """The sentences to quote, in answer order, and the question's names no article has.

    A question of several parts ("What did X say, and what did Y do?") is answered part by
    part; a part naming someone no article mentions is skipped.
    """
    hits, article_text, settings = retrieval.hits, context.article_text, context.settings
    cands = shortlist(question, candidates_from_hits(hits, article_text))
    texts = {a: article_text(a) or "" for a in {h.article_id for h in hits}}
    parts = question_parts(question)
    missing = missing_names(question, texts) if len(parts) == 1 else []
    chosen: list[Candidate] = []
    vecs = None
    for part in parts if cands and not missing else []:
        if len(parts) > 1 and missing_names(part, texts):
            continue
        pv = retrieval.query_vector if len(parts) == 1 else None
        vecs = score_candidates(part, cands, context.embedder, pv, vecs)
        kind = type_candidates(part, cands, article_text)
        # A question that wants a name, a place, a date or a number is answered only by
        # sentences that hold one it does not already state.
        pool = [c for c in cands if c.answer is not None] if kind in SPAN_KINDS else cands
        limit = settings.max_quotes if len(parts) == 1 else 2
        for c in select(pool, settings, limit):
            if all(c is not o for o in chosen):
                chosen.append(c)
    return _answer_order(chosen), missing


def bound_answers(question: str, retrieval: Retrieval, context: AnswerContext) -> list[Candidate]:
    """The sentences that offer an answer of the kind asked (a name, place, date or number,
    bound to the question as `type_candidates` binds it) and pass the answer floor, best
    first, when the best does. qa/agreed.py looks among them for the model's answer. Empty
    for a question of several parts or one no article can answer."""
    if len(question_parts(question)) != 1:
        return []
    hits, article_text = retrieval.hits, context.article_text
    cands = shortlist(question, candidates_from_hits(hits, article_text))
    texts = {a: article_text(a) or "" for a in {h.article_id for h in hits}}
    if not cands or missing_names(question, texts):
        return []
    score_candidates(question, cands, context.embedder, retrieval.query_vector)
    if type_candidates(question, cands, article_text) not in SPAN_KINDS:
        return []
    found = sorted(
        (c for c in cands if c.answer is not None), key=lambda c: (-c.score, c.article_id, c.start)
    )
    return [c for c in found if c.score >= context.settings.min_support]


def shortlist(question: str, cands: list[Candidate]) -> list[Candidate]:
    """At most MAX_CANDIDATES sentences go to the embedder: the best by key-term overlap, then
    the rest in retrieval order. Embedding is the answerer's only costly step."""
    if len(cands) <= MAX_CANDIDATES:
        return cands
    terms = key_terms(question)
    for c in cands:
        c.lexical = coverage(terms, c.text)
    by_terms = sorted(range(len(cands)), key=lambda i: (-cands[i].lexical, i))
    keep = set(by_terms[: MAX_CANDIDATES * 3 // 4])
    for i in range(len(cands)):  # the rest of the places go in retrieval order
        if len(keep) >= MAX_CANDIDATES:
            break
        keep.add(i)
    return [cands[i] for i in sorted(keep)]


def select(cands: list[Candidate], settings: Settings, limit: int) -> list[Candidate]:
    """The best sentence, plus close runners-up; none when the best is no answer."""
    # The floor asks the sentence itself to carry the question's words: its headline may
    # name the story, but a sentence that says nothing the question asks is no answer (the
    # next one may be).
    ranked = sorted(
        (c for c in cands if c.own_lexical >= 0.3 or c.answer is not None),
        key=lambda c: (-c.score, c.article_id, c.start),
    )
    if not ranked or ranked[0].score < settings.min_support:
        return []
    best = ranked[0]
    # Another article saying the same thing is worth citing too (corroboration); another
    # sentence of the same article must be nearly as good, or it is only noise.
    floor_other = max(settings.min_support, best.score - CORROBORATION_BAND)
    floor_same = max(settings.min_support, best.score - 0.04)
    chosen = [best]
    for c in ranked[1:]:
        if len(chosen) >= limit or c.score < floor_other:
            break
        if c.score < floor_same and any(c.article_id == o.article_id for o in chosen):
            continue
        if any(_same(c.text, o.text) for o in chosen):
            continue  # the same sentence again (a syndicated copy) adds nothing
        chosen.append(c)
    return chosen


def _answer_order(chosen: list[Candidate]) -> list[Candidate]:
    """Quotes grouped by article, best article first and best quote first within it, so the
    answer leads with its strongest evidence (citation numbers follow first appearance)."""
    order = {a: i for i, a in enumerate(dict.fromkeys(c.article_id for c in chosen))}
    rank = {id(c): i for i, c in enumerate(chosen)}
    return sorted(chosen, key=lambda c: (order[c.article_id], rank[id(c)]))


def _same(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.7


def short_answer(span: Span, sentence: str, article: str) -> str:
    """The answer on its own, as the article words it: a person by the full name the article
    gives (the quote may use only the surname), a number with its currency or per cent."""
    if span.kind == "person" and len(span.text.split()) == 1:
        return full_name(span.text, article)
    return full_span(span, sentence)

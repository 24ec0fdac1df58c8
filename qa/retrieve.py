"""Hybrid retrieval: dense (Chroma) and keyword (FTS5 BM25) lists fused by weighted z-scores.

We fuse by hand rather than with llama-index's QueryFusionRetriever because that retriever
wants an LLM object even when it generates no extra queries, and we need per-stage timings and
per-article capping anyway.

Why z-scores and not reciprocal rank fusion (RRF, the usual default): the benchmarks
(docs/benchmarks.md) showed RRF behind BM25 alone at 10,000 articles. A name the embedder has
never seen gives BM25 a clear winner and the dense side a flat list of look-alike stories; RRF
throws the scores away, so chunks both sides ranked middling beat BM25's clear winner. A
z-score keeps "how far above the rest" (CombSUM over z-normalised scores, Montague & Aslam
2001), and the dense side is weighted below the keyword side (Settings.dense_weight, 0.3 by
default: picked on one generated corpus, checked on another with a different seed; hit@5 moves
less than 0.01 anywhere from 0.25 to 0.4).

Sentence evidence (issue 12): BM25 scores a chunk of up to 256 word pieces as one bag of words,
so a chunk that has the question's words scattered over five sentences ties with one that has
them in the sentence stating the fact. The fused shortlist is re-scored by how much of the
question's term weight (BM25's own IDF) its best single sentence holds, z-scored like the two
lists and added with `Settings.evidence_weight` (0.3; 0 turns it off). Term proximity of this
kind is a long-standing BM25 refinement (Büttcher, Clarke & Lushman 2006; Tao & Zhai 2007).
The weight and the shortlist size were chosen on the tuning halves of both corpora (the
newsroom suite's tune split and the generated corpus of seed 0) and confirmed on the other
halves: docs/benchmarks.md.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np

from qa.config import Settings
from qa.dupes import also_published
from qa.embed import Embedder
from qa.store import Filters, ScoredChunk, Store
from qa.text import stem
from qa.types import Hit, Timings

T = TypeVar("T")

# How many of the fused list's best chunks sentence evidence re-scores: a re-ranking of the
# top, so the cost stays small (~15 chunks scanned with str.find) at any corpus size.
EVIDENCE_SHORTLIST = 15
# Where a sentence ends, for sentence evidence: a stop, question or exclamation mark before a
# space or a closing quote, or a line break. Plain substrings: str.rfind is far cheaper than a
# regular expression over each chunk, and this is per query.
_SENTENCE_ENDS = (". ", "? ", "! ", '." ', ".\u201d ", '?" ', "?\u201d ", "\n")
_NOT_WORD = re.compile(r"\W")


def make_filters(
    source: str | list[str] | tuple[str, ...] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> Filters:
    """Validate user-facing filter values; bad dates raise ValueError naming the field."""

    def iso(name: str, value: str | date | None) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(f"{name}: expected a date like 2025-08-01, got {value!r}") from None

    if isinstance(source, str):
        sources: tuple[str, ...] = (source,) if source.strip() else ()
    else:
        sources = tuple(s for s in (source or ()) if s and s.strip())
    f = Filters(sources=sources, since=iso("since", since), until=iso("until", until))
    if f.since and f.until and f.since > f.until:
        raise ValueError(f"since ({f.since}) is after until ({f.until})")
    return f


@dataclass
class Retrieval:
    hits: list[Hit]
    query_vector: np.ndarray
    timings_ms: Timings = field(default_factory=Timings)


def zscores(ranked: list[ScoredChunk]) -> dict[str, float]:
    """Each score as standard deviations above its list's mean.

    A list of one (or of equal scores) has no spread to measure: its chunks count as one
    deviation above, so a lone keyword match still lifts its chunk.
    """
    if not ranked:
        return {}
    scores = np.array([sc.score for sc in ranked], dtype=np.float64)
    sd = float(scores.std())
    if len(ranked) < 2 or sd == 0.0:
        return {sc.chunk_id: 1.0 for sc in ranked}
    mean = float(scores.mean())
    return {sc.chunk_id: (sc.score - mean) / sd for sc in ranked}


def rrf(dense: list[ScoredChunk], keyword: list[ScoredChunk], k: int) -> dict[str, float]:
    """Reciprocal rank fusion (Cormack et al. 2009): `fusion = "rrf"`, and the benchmarks'
    baseline."""
    fused: dict[str, float] = {}
    for ranked in (dense, keyword):
        for rank, sc in enumerate(ranked, start=1):
            fused[sc.chunk_id] = fused.get(sc.chunk_id, 0.0) + 1.0 / (k + rank)
    return fused


def fuse(
    dense: list[ScoredChunk], keyword: list[ScoredChunk], dense_weight: float
) -> dict[str, float]:
    """Weighted sum of each side's z-scores.

    A chunk one side did not return counts as that side's average (z = 0): a strong hit on one
    side alone is not sunk by the other side's silence, which is the case hybrid exists for.
    """
    fused: dict[str, float] = {}
    for weight, ranked in ((dense_weight, dense), (1.0 - dense_weight, keyword)):
        for cid, z in zscores(ranked).items():
            fused[cid] = fused.get(cid, 0.0) + weight * z
    return fused


def sentence_evidence(weights: dict[str, float], texts: dict[str, str]) -> dict[str, float]:
    """Per text, the share of the query's term weight held by its best single sentence (0..1).

    `weights` maps each keyword-query term to its weight (BM25's IDF, `Store.term_weights`).
    A term is found by its stem (qa.text.stem) at the start of a word, so "launched" finds
    "launch" and "launches"; stems of three letters or fewer must be the whole word (or plural).
    """
    needles: dict[str, float] = {}
    for term, weight in weights.items():
        needle = _NOT_WORD.split(stem(term), maxsplit=1)[0]
        if needle:
            needles[needle] = max(weight, needles.get(needle, 0.0))
    total = sum(needles.values())
    if total <= 0:
        return dict.fromkeys(texts, 0.0)
    out = {}
    for cid, text in texts.items():
        low = text.lower()
        by_sentence: dict[int, dict[str, float]] = {}
        for needle, weight in needles.items():
            p = low.find(needle)
            while p >= 0:
                if _word_at(low, p, len(needle)):
                    start = max(low.rfind(end, 0, p) for end in _SENTENCE_ENDS)
                    by_sentence.setdefault(start, {})[needle] = weight
                p = low.find(needle, p + 1)
        best = max((sum(found.values()) for found in by_sentence.values()), default=0.0)
        out[cid] = best / total
    return out


def _word_at(low: str, p: int, n: int) -> bool:
    """Does the needle at low[p:p+n] start a word (and, when short, end it, plural allowed)?"""
    if p > 0 and low[p - 1].isalnum():
        return False
    if n > 3:
        return True
    rest = low[p + n : p + n + 2]
    return not rest[:1].isalnum() or (rest[:1] == "s" and not rest[1:2].isalnum())


def add_evidence(
    fused: dict[str, float],
    evidence: dict[str, float],
    weight: float,
) -> None:
    """Add the evidence of the shortlisted chunks, z-scored among themselves, to `fused`.

    A flat shortlist (every chunk's best sentence holds the same share) says nothing: no change.
    """
    if evidence and weight > 0:
        _add_z(fused, evidence, weight)


def _add_z(fused: dict[str, float], values: dict[str, float], weight: float) -> None:
    """Add `values`, z-scored among themselves and weighted, to `fused` (flat: no change)."""
    arr = np.fromiter(values.values(), dtype=np.float64)
    sd = float(arr.std())
    if sd == 0.0:
        return
    mean = float(arr.mean())
    for cid, v in values.items():
        fused[cid] += weight * (v - mean) / sd


def add_recency(fused: dict[str, float], rows: dict[str, dict], weight: float) -> None:
    """Lift the shortlisted chunks by their article's publication date, z-scored among
    themselves (undated: the mean), for questions that ask for the latest report. Among
    chunks about as relevant, the newer wins; a chunk far less relevant stays below."""
    if weight <= 0 or len(rows) < 2:
        return
    days = {
        c: date.fromisoformat(r["published_at"]).toordinal()
        for c, r in rows.items()
        if r.get("published_at")
    }
    if len(days) >= 2:
        _add_z(fused, {c: float(d) for c, d in days.items()}, weight)


def _fused(
    store: Store,
    query: str,
    dense: list[ScoredChunk],
    keyword: list[ScoredChunk],
    settings: Settings,
    recency: bool,
) -> tuple[dict[str, float], dict[str, dict]]:
    """Fused scores, with sentence evidence and (for recency questions) dates over the
    shortlist; returns the scores and the shortlist's chunk rows."""
    rows: dict[str, dict] = {}
    if settings.fusion == "rrf":
        return rrf(dense, keyword, settings.rrf_k), rows
    fused = fuse(dense, keyword, settings.dense_weight)
    if len(fused) > 1 and (settings.evidence_weight > 0 or recency):
        shortlist = sorted(fused, key=lambda c: (-fused[c], c))[:EVIDENCE_SHORTLIST]
        rows = store.chunk_rows(shortlist)
        if settings.evidence_weight > 0:
            texts = {cid: r["text"] for cid, r in rows.items()}
            evidence = sentence_evidence(store.term_weights(query), texts)
            add_evidence(fused, evidence, settings.evidence_weight)
        if recency:
            add_recency(fused, rows, settings.recency_weight)
    return fused, rows


def choose(
    fused: dict[str, float],
    article_of: dict[str, str],
    group_of: dict[str, str],
    k: int,
    per_article: int,
) -> list[str]:
    """The k best chunks, at most `per_article` from one article and one article per group of
    syndicated copies (the best-scoring member stands for the group)."""
    chosen: list[str] = []
    per: dict[str, int] = {}
    shown: dict[str, str] = {}  # group -> the article standing for it
    for cid in sorted(fused, key=lambda c: (-fused[c], c)):
        aid = article_of[cid]
        if shown.setdefault(group_of.get(aid, aid), aid) != aid:
            continue
        if per.get(aid, 0) >= per_article:
            continue
        per[aid] = per.get(aid, 0) + 1
        chosen.append(cid)
        if len(chosen) >= k:
            break
    return chosen


@lru_cache(maxsize=1)
def _keyword_pool() -> ThreadPoolExecutor:
    """Threads for the keyword stage, shared by every search in the process (each thread
    keeps its own read connection to articles.sqlite)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="qa-keyword")


def _timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    t0 = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - t0) * 1e3


def retrieve(
    store: Store,
    embedder: Embedder,
    query: str,
    settings: Settings,
    k: int | None = None,
    filters: Filters | None = None,
    max_per_article: int | None = None,
    *,
    recency: bool = False,
) -> Retrieval:
    """Top-k chunks for `query`, at most `max_per_article` from any one article and one
    article per group of syndicated copies; `recency` prefers newer reports."""
    filters = filters or Filters()
    k = k or settings.top_k
    t = Timings()

    t0 = time.perf_counter()
    n = max(settings.candidates, k)
    # The keyword stage needs no query vector: it runs beside the embedding and the dense
    # search (SQLite and onnxruntime release the GIL), so on a large archive the search waits
    # for the slower of the two sides, not their sum (docs/benchmarks.md, issue 16).
    pending = _keyword_pool().submit(_timed, store.keyword, query, n, filters)
    qv = embedder.embed([query])[0]
    t1 = time.perf_counter()
    dense = store.dense(qv, n, filters)
    t2 = time.perf_counter()
    keyword, keyword_ms = pending.result()
    t3 = time.perf_counter()

    fused, rows = _fused(store, query, dense, keyword, settings, recency)
    article_of = {s.chunk_id: s.article_id for s in (*dense, *keyword)}
    group_of = store.groups_of(list(set(article_of.values()))) if settings.dedup else {}
    per_article = max_per_article or settings.max_chunks_per_article
    chosen = choose(fused, article_of, group_of, k, per_article)
    if missing := [cid for cid in chosen if cid not in rows]:
        rows.update(store.chunk_rows(missing))
    scores = {"dense": {s.chunk_id: s.score for s in dense}}
    scores["keyword"] = {s.chunk_id: s.score for s in keyword}
    hits = _hits(store, chosen, rows, fused, scores, group_of)
    t4 = time.perf_counter()
    t.update(
        embed_query=(t1 - t0) * 1e3,
        dense=(t2 - t1) * 1e3,
        keyword=keyword_ms,  # its own time: it overlaps embed_query and dense
        fuse=(t4 - t3) * 1e3,
        retrieve=(t4 - t0) * 1e3,
    )
    return Retrieval(hits=hits, query_vector=qv, timings_ms=t)


def _hits(
    store: Store,
    chosen: list[str],
    rows: dict[str, dict],
    fused: dict[str, float],
    scores: dict[str, dict[str, float]],
    group_of: dict[str, str],
) -> list[Hit]:
    """The chosen chunks as Hits, each with the other outlets of its article's group."""
    grouped = [
        rows[c]["article_id"] for c in chosen if c in rows and rows[c]["article_id"] in group_of
    ]
    also = also_published(store, grouped) if grouped else {}
    return [
        Hit(
            chunk_id=cid,
            article_id=r["article_id"],
            title=r["title"],
            source=r["source"],
            published_at=r["published_at"],
            url=r["url"],
            text=r["text"],
            position=r["position"],
            start=r["start"],
            end=r["end"],
            score=fused[cid],
            dense_score=scores["dense"].get(cid),
            keyword_score=scores["keyword"].get(cid),
            also_published_by=tuple(also.get(r["article_id"], ())),
        )
        for cid in chosen
        if (r := rows.get(cid)) is not None  # a vector SQLite doesn't know is not stored yet
    ]

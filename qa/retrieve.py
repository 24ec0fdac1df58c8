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
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from qa.config import Settings
from qa.embed import Embedder
from qa.store import Filters, ScoredChunk, Store
from qa.types import Hit, Timings


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


def retrieve(
    store: Store,
    embedder: Embedder,
    query: str,
    settings: Settings,
    k: int | None = None,
    filters: Filters | None = None,
    max_per_article: int | None = None,
) -> Retrieval:
    """Top-k chunks for `query`, at most `max_per_article` from any one article."""
    filters = filters or Filters()
    k = k or settings.top_k
    per_article = max_per_article or settings.max_chunks_per_article
    t = Timings()

    t0 = time.perf_counter()
    qv = embedder.embed([query])[0]
    t1 = time.perf_counter()
    n = max(settings.candidates, k)
    dense = store.dense(qv, n, filters)
    t2 = time.perf_counter()
    keyword = store.keyword(query, n, filters)
    t3 = time.perf_counter()

    fused = (
        rrf(dense, keyword, settings.rrf_k)
        if settings.fusion == "rrf"
        else fuse(dense, keyword, settings.dense_weight)
    )
    dense_by_id = {s.chunk_id: s.score for s in dense}
    kw_by_id = {s.chunk_id: s.score for s in keyword}
    article_of = {s.chunk_id: s.article_id for s in (*dense, *keyword)}
    chosen: list[str] = []
    per: dict[str, int] = {}
    for cid in sorted(fused, key=lambda c: (-fused[c], c)):
        aid = article_of[cid]
        if per.get(aid, 0) >= per_article:
            continue
        per[aid] = per.get(aid, 0) + 1
        chosen.append(cid)
        if len(chosen) >= k:
            break
    rows = store.chunk_rows(chosen)
    hits = [
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
            dense_score=dense_by_id.get(cid),
            keyword_score=kw_by_id.get(cid),
        )
        for cid in chosen
        if (r := rows.get(cid)) is not None  # a vector SQLite doesn't know is not stored yet
    ]
    t4 = time.perf_counter()
    t.update(
        embed_query=(t1 - t0) * 1e3,
        dense=(t2 - t1) * 1e3,
        keyword=(t3 - t2) * 1e3,
        fuse=(t4 - t3) * 1e3,
        retrieve=(t4 - t0) * 1e3,
    )
    return Retrieval(hits=hits, query_vector=qv, timings_ms=t)

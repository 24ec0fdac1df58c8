"""Hybrid retrieval: dense (Chroma) and keyword (FTS5 BM25) lists fused by reciprocal rank.

RRF (Cormack et al. 2009) needs no score calibration between the two sides, which is why it is
the default fusion in llama-index's QueryFusionRetriever too; we fuse by hand because that
retriever wants an LLM object even when it generates no extra queries, and we need per-stage
timings and per-article capping anyway.

Plain RRF rewards chunks that both sides found, so a rare name that only BM25 knows (the
embedder has never seen it) loses its rank-1 chunk to chunks both sides ranked middling. The
benchmarks (docs/benchmarks.md) showed hybrid behind BM25 alone for that reason; giving each
side's top `GUARANTEED` chunks the first places, in RRF order, fixed it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from qa.config import Settings
from qa.embed import Embedder
from qa.store import Filters, ScoredChunk, Store
from qa.types import Hit


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
    timings_ms: dict[str, float] = field(default_factory=dict)


GUARANTEED = 2  # top chunks of each retriever that always make the fused list


def rrf(lists: list[list[ScoredChunk]], k: int) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranked in lists:
        for rank, sc in enumerate(ranked, start=1):
            scores[sc.chunk_id] = scores.get(sc.chunk_id, 0.0) + 1.0 / (k + rank)
    return scores


def fuse(lists: list[list[ScoredChunk]], k: int) -> dict[str, float]:
    """RRF, plus one extra rank-1 vote for each list's top GUARANTEED chunks: with k >= 2 that
    puts them above every other chunk (1/(k+1) + 1/(k+2) > 2/(k+3)), in RRF order."""
    scores = rrf(lists, k)
    for cid in {sc.chunk_id for ranked in lists for sc in ranked[:GUARANTEED]}:
        scores[cid] += 1.0 / (k + 1)
    return scores


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
    t: dict[str, float] = {}

    t0 = time.perf_counter()
    qv = embedder.embed([query])[0]
    t1 = time.perf_counter()
    n = max(settings.candidates, k)
    dense = store.dense(qv, n, filters)
    t2 = time.perf_counter()
    keyword = store.keyword(query, n, filters)
    t3 = time.perf_counter()

    fused = fuse([dense, keyword], settings.rrf_k)
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

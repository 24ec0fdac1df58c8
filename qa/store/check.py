"""Checking that the vector and keyword indexes agree, and repairing them when they don't.

SQLite is the record of what is stored (it commits last, see Store.write), so repair means:
drop vectors SQLite doesn't list, re-embed chunks SQLite lists that have no vector, and
rebuild the FTS5 index from the chunks table if its integrity check fails.
"""

from __future__ import annotations

from qa.config import Settings
from qa.embed import Embedder
from qa.store import Store
from qa.store.sync import sync_if_changed
from qa.types import VerifyReport


def verify(
    store: Store,
    embedder: Embedder,
    settings: Settings,
    repair: bool,
    lease_wait: float | None = None,
) -> VerifyReport:
    """Compare chunk ids in SQLite with vector ids in Chroma; with `repair`, make them agree.
    The caller holds the write lock. With a server, this also holds the server's lease alone
    (waiting up to `lease_wait` s, default `lock_timeout`): another host's ingest under way
    has vectors whose records are not there yet, which must not count as orphans."""
    what = "qa check --repair" if repair else "qa check"
    with store.lease("exclusive", what, wait=lease_wait):
        return _verify(store, embedder, settings, repair)


def _verify(store: Store, embedder: Embedder, settings: Settings, repair: bool) -> VerifyReport:
    # Server mode: compare with the server's current articles, not a stale local copy (whose
    # missing chunks would read as orphan vectors, and repair would delete other hosts' work).
    # Article records live in their own collection, so only chunk vectors are counted here.
    sync_if_changed(store)
    vectors = store.vectors.all_ids()
    chunks = store.db.all_chunk_ids()
    orphans = sorted(vectors - chunks)
    missing = sorted(chunks - vectors)
    report = VerifyReport(
        articles=store.db.counts()["articles"],
        chunks=len(chunks),
        vectors=len(vectors),
        orphan_vectors=len(orphans),
        missing_vectors=len(missing),
        keyword_index_ok=store.db.check_keyword_index(),
    )
    if not repair or report.ok:
        return report
    if orphans:
        for i in range(0, len(orphans), 1000):
            store.vectors.delete(orphans[i : i + 1000])
    if missing:
        rows = store.db.chunks_for(missing)
        vecs = embedder.embed([t for _, _, t in rows], batch_size=settings.embed_batch_size)
        store.add_vectors(rows, vecs)
    if not report.keyword_index_ok:
        store.db.rebuild_keyword_index()
    after = _verify(store, embedder, settings, repair=False)
    after.repaired = True
    return after


def needs_repair(store: Store) -> bool:
    """Cheap test run before each ingest: counts differ after an interrupted write."""
    c = store.counts()
    return c["chunks"] != c["vectors"]

"""The ingest pipeline: load -> skip what is stored -> chunk -> embed -> write, in batches.

Articles stream from disk, so a million-line .jsonl never sits in memory; only a batch of
chunks waits for the embedder at a time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

from qa.articles import Article, load
from qa.chunk import Chunk, chunk_article
from qa.config import Settings
from qa.embed import Embedder
from qa.store import Store
from qa.store.check import needs_repair, verify
from qa.store.sync import sync_if_changed
from qa.types import IngestFailure, IngestReport

# (article id, outcome) after each article: added, updated, unchanged, duplicate, failed.
ProgressCallback = Callable[[str, str], None]


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    embedder: Embedder,
    settings: Settings,
    progress: bool = True,
    callback: ProgressCallback | None = None,
) -> IngestReport:
    report = IngestReport()
    pending: list[tuple[Article, list[Chunk], str]] = []
    seen: dict[str, tuple[str, str]] = {}  # id -> (hash, origin) within this run
    hashes: dict[str, str] = {}  # hash -> id within this run
    bar = _bar(progress)

    def note(article_id: str, outcome: str) -> None:
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"{report.chunks_added} chunks", refresh=False)
        if callback is not None:
            callback(article_id, outcome)

    def flush() -> None:
        if not pending:
            return
        items = [(a, c) for a, c, _ in pending]
        texts = [ch.embed_text for _, chunks in items for ch in chunks]
        vectors = embedder.embed(texts, batch_size=settings.embed_batch_size)
        report.embedded += len(texts)
        added, removed = store.write(items, vectors)
        report.chunks_added += added
        report.chunks_removed += removed
        for art, _, kind in pending:
            (report.updated if kind == "updated" else report.added).append(art.id)
            note(art.id, kind)
        pending.clear()

    with store.write_lock():
        # Server mode: what other hosts stored since this process opened the index counts as
        # stored here too (skipped if unchanged, its old chunks replaced if changed).
        sync_if_changed(store)
        if needs_repair(store):  # a previous run was killed between its two writes
            verify(store, embedder, settings, repair=True)
        for item in load(paths):
            if isinstance(item, IngestFailure):
                report.add_failure(item)
                note(item.path, "failed")
                continue
            art = item
            h = art.content_hash
            if art.id in seen:
                if seen[art.id][0] != h:
                    report.add_failure(
                        IngestFailure(
                            art.origin,
                            f"duplicate id '{art.id}' with different content "
                            f"(first seen in {seen[art.id][1]}); kept the first",
                            field="id",
                        )
                    )
                    note(art.id, "failed")
                continue
            seen[art.id] = (h, art.origin)
            stored = store.stored_hash(art.id)
            if stored == h:
                report.unchanged.append(art.id)
                note(art.id, "unchanged")
                continue
            twin = hashes.get(h) or store.id_with_hash(h)
            if twin and twin != art.id:
                report.duplicates[art.id] = twin
                note(art.id, "duplicate")
                continue
            hashes[h] = art.id
            try:
                chunks = chunk_article(art, embedder, settings.chunk_tokens, settings.chunk_overlap)
            except ValueError as e:
                report.add_failure(IngestFailure(art.origin, f"cannot chunk: {e}"))
                note(art.id, "failed")
                continue
            pending.append((art, chunks, "updated" if stored else "added"))
            if sum(len(c) for _, c, _ in pending) >= settings.ingest_batch:
                flush()
        flush()
    if bar is not None:
        bar.close()
    return report


def _bar(progress: bool):  # type: ignore[no-untyped-def]
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingesting", unit=" article", file=sys.stderr, dynamic_ncols=True)

"""The ingest pipeline: load -> skip what is stored -> chunk -> embed -> write, in batches.

Articles stream from disk, so a million-line .jsonl never sits in memory; only a batch of
chunks waits for the embedder at a time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from qa.config import Settings
from qa.corpus import Article, Chunk, chunk_article, load
from qa.dupes import Grouper
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
    """Store what is new or changed under `paths`, under the write lock; unchanged articles
    cost one hash lookup each."""
    bar = _bar(progress)
    run = _Run(store, embedder, settings, bar, callback)
    with store.write_lock():
        # Server mode: what other hosts stored since this process opened the index counts as
        # stored here too (skipped if unchanged, its old chunks replaced if changed).
        sync_if_changed(store)
        if needs_repair(store):  # a previous run was killed between its two writes
            verify(store, embedder, settings, repair=True)
        for item in load(paths):
            if isinstance(item, IngestFailure):
                run.report.add_failure(item)
                run.note(item.path, "failed")
            else:
                run.take(item)
        run.flush()
        if run.copies:  # exact copies of articles stored before this run
            store.put_copies(run.copies)
    if bar is not None:
        bar.close()
    return run.report


class _Run:
    """One ingest run: the report, what it has seen, and the batch waiting for the embedder."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        settings: Settings,
        bar: Any,
        callback: ProgressCallback | None,
    ) -> None:
        self.store, self.embedder, self.settings = store, embedder, settings
        self.bar, self.callback = bar, callback
        self.report = IngestReport()
        self.pending: list[tuple[Article, list[Chunk], str]] = []
        self.seen: dict[str, tuple[str, str]] = {}  # id -> (hash, origin) within this run
        self.hashes: dict[str, str] = {}  # hash -> id within this run
        # Syndicated copies (qa/dupes.py): each new article's group, and exact copies.
        self.grouper = Grouper(store) if settings.dedup else None
        self.groups: dict[str, tuple[str, bytes | None]] = {}
        self.copies: list[tuple[Any, ...]] = []

    def note(self, article_id: str, outcome: str) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"{self.report.chunks_added} chunks", refresh=False)
        if self.callback is not None:
            self.callback(article_id, outcome)

    def take(self, art: Article) -> None:
        """Skip the article if it is stored, seen or a twin; else chunk it into the batch."""
        kind = self._kind(art)
        if kind is None:
            return
        try:
            s = self.settings
            chunks = chunk_article(art, self.embedder, s.chunk_tokens, s.chunk_overlap)
        except ValueError as e:
            self.report.add_failure(IngestFailure(art.origin, f"cannot chunk: {e}"))
            self.note(art.id, "failed")
            return
        if self.grouper is not None:
            t0 = time.perf_counter()
            self.groups[art.id] = self.grouper.assign(art)
            self.report.dedup_ms += (time.perf_counter() - t0) * 1e3
        self.pending.append((art, chunks, kind))
        if sum(len(c) for _, c, _ in self.pending) >= self.settings.ingest_batch:
            self.flush()

    def _kind(self, art: Article) -> str | None:
        """The outcome to store the article as ("added", "updated"), or None (noted): skip it."""
        h = art.content_hash
        if art.id in self.seen:
            first_hash, first_origin = self.seen[art.id]
            if first_hash != h:
                why = (
                    f"duplicate id '{art.id}' with different content "
                    f"(first seen in {first_origin}); kept the first"
                )
                self.report.add_failure(IngestFailure(art.origin, why, field="id"))
                self.note(art.id, "failed")
            return None
        self.seen[art.id] = (h, art.origin)
        stored = self.store.stored_hash(art.id)
        if stored == h:
            self.report.unchanged.append(art.id)
            self.note(art.id, "unchanged")
            return None
        twin = self.hashes.get(h) or self.store.id_with_hash(h)
        if twin and twin != art.id:
            # Kept as a member of the twin's group without chunks, so its outlet is known.
            self.report.duplicates[art.id] = twin
            if self.grouper is not None:
                a = art
                self.copies.append(
                    (a.id, twin, a.title, a.source, a.published_at, a.url, a.author, a.origin)
                )
            self.note(art.id, "duplicate")
            return None
        self.hashes[h] = art.id
        return "updated" if stored else "added"

    def flush(self) -> None:
        """Embed the batch and write it (the two-phase write, see qa/store/__init__.py)."""
        if not self.pending:
            return
        items = [(a, c) for a, c, _ in self.pending]
        texts = [ch.embed_text for _, chunks in items for ch in chunks]
        vectors = self.embedder.embed(texts, batch_size=self.settings.embed_batch_size)
        self.report.embedded += len(texts)
        added, removed = self.store.write(items, vectors, self.groups, self.copies)
        self.report.chunks_added += added
        self.report.chunks_removed += removed
        for art, _, kind in self.pending:
            (self.report.updated if kind == "updated" else self.report.added).append(art.id)
            self.note(art.id, kind)
        self.pending.clear()
        self.groups, self.copies = {}, []


def _bar(progress: bool):  # type: ignore[no-untyped-def]
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingesting", unit=" article", file=sys.stderr, dynamic_ncols=True)

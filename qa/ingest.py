"""The ingest pipeline: load -> skip what is stored -> chunk -> embed -> write, in batches.

Articles stream from disk, so a million-line .jsonl never sits in memory; only a batch of
chunks waits for the embedder at a time. With `ingest_workers` > 1 (`qa ingest --workers N`)
the embedding runs in N worker processes (`EmbedPool`) while this process, the one writer,
chunks and writes; at most N batches are in flight.

With a Chroma server, an ingest holds a shared lease on the server (qa/store/lease.py):
hosts may ingest disjoint shards at once, while `qa check` waits for them all.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from qa.config import Settings
from qa.corpus import Article, Chunk, chunk_article, load
from qa.dupes import Grouper
from qa.embed import Embedder, EmbedPool
from qa.store import IndexBusy, Store
from qa.store.check import needs_repair, verify
from qa.store.sync import sync_if_changed
from qa.text import sentences
from qa.types import IngestFailure, IngestReport

# (article id, outcome) after each article: added, updated, unchanged, duplicate, failed.
ProgressCallback = Callable[[str, str], None]

logger = logging.getLogger(__name__)


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
    try:
        with store.write_lock():
            # Server mode: what other hosts stored since this process opened the index counts
            # as stored here too (skipped if unchanged, its old chunks replaced if changed).
            sync_if_changed(store)
            if needs_repair(store):  # a previous run was killed between its two writes
                _repair(store, embedder, settings)
            with store.lease("shared", "an ingest"):
                for item in load(paths):
                    if isinstance(item, IngestFailure):
                        run.report.add_failure(item)
                        run.note(item.path, "failed")
                    else:
                        run.take(item)
                run.finish()
                if run.copies:  # exact copies of articles stored before this run
                    store.put_copies(run.copies)
    finally:
        run.close()
        if bar is not None:
            bar.close()
    return run.report


def _repair(store: Store, embedder: Embedder, settings: Settings) -> None:
    """Repair before ingesting. With a server, only when no other host is writing (their
    vectors under way would look like orphans); else that is left to `qa check --repair`."""
    try:
        verify(store, embedder, settings, repair=True, lease_wait=0)
    except IndexBusy as e:
        logger.info("not repairing before this ingest: %s", e)


@dataclass
class _Batch:
    """Articles embedded together, with the group of each and the exact copies seen meanwhile."""

    items: list[tuple[Article, list[Chunk], str]]
    groups: dict[str, tuple[str, bytes | None]]
    copies: list[tuple[Any, ...]]


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
        workers = settings.ingest_workers
        self.pool = (
            EmbedPool(
                workers, settings.embed_threads, settings.embed_batch_size, settings.embed_device
            )
            if workers > 1
            else None
        )
        self.inflight: deque[tuple[_Batch, Any]] = deque()
        # Syndicated copies (qa/dupes.py): each new article's group, and exact copies; they
        # travel with the batch they were seen in, so they are written with it.
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
        """Embed the batch and write it (the two-phase write, see qa/store/__init__.py); with
        workers, hand it to them and write the oldest batch once more than N are in flight."""
        if not self.pending:
            return
        batch = _Batch(self.pending, self.groups, self.copies)
        self.pending, self.groups, self.copies = [], {}, []
        texts = [ch.embed_text for _, chunks, _ in batch.items for ch in chunks]
        if self.pool is None:
            self._write(batch, self.embedder.embed(texts, self.settings.embed_batch_size))
            return
        self.inflight.append((batch, self.pool.submit(texts)))
        while len(self.inflight) > self.pool.workers:
            self._write_oldest()

    def finish(self) -> None:
        """The last batch, then every batch still with the workers, in order."""
        self.flush()
        while self.inflight:
            self._write_oldest()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def _write_oldest(self) -> None:
        batch, future = self.inflight.popleft()
        self._write(batch, future.result())

    def _write(self, batch: _Batch, vectors: Any) -> None:
        items = [(a, c) for a, c, _ in batch.items]
        self.report.embedded += len(vectors)
        added, removed = self.store.write(items, vectors, batch.groups, batch.copies)
        self.report.chunks_added += added
        self.report.chunks_removed += removed
        if self.settings.sentence_vectors == "ingest":
            self._keep_sentences([a.text for a, _ in items])
        for art, _, kind in batch.items:
            (self.report.updated if kind == "updated" else self.report.added).append(art.id)
            self.note(art.id, kind)

    def _keep_sentences(self, article_texts: list[str]) -> None:
        """Embed the stored articles' sentences once, now, for every later answer (settings
        `sentence_vectors = "ingest"`, qa/store/sentences.py); the answerer reads the same
        text (stored as it is here) and splits it the same way, so it finds them."""
        texts: dict[str, None] = {}
        for text in article_texts:
            texts.update(dict.fromkeys(text[a:b] for a, b in sentences(text)))
        kept = self.store.sentences
        todo = [t for t in texts if t not in kept.get(list(texts))]
        if not todo:
            return
        if self.pool is not None:
            vectors = self.pool.submit(todo).result()
        else:
            vectors = self.embedder.embed(todo, self.settings.embed_batch_size)
        kept.put(dict(zip(todo, vectors, strict=True)))
        self.report.sentences_embedded += len(todo)


def _bar(progress: bool):  # type: ignore[no-untyped-def]
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingesting", unit=" article", file=sys.stderr, dynamic_ncols=True)

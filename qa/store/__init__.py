"""Where articles live: Chroma for vectors, SQLite beside it for articles and the keyword index.

`Store` is a thin coordinator over the pieces of this package:

- `format`   FORMAT.json, checked before anything opens
- `lock`     the write lock (one writer) and the short open lock (creating/opening the files)
- `db`       articles.sqlite: articles, chunks, the FTS5 keyword index, the meta table
- `vectors`  Chroma (embedded or a server): chunk vectors, dense search
- `records`  server mode: article records and the revision marker on the server
- `sync`     server mode: the SQLite side rebuilt from the server's records
- `check`    verify and repair: the two sides checked against each other
- `warm`     the keyword index read into the OS page cache when a server starts

It owns the one thing no piece can do alone, the two-phase write (see `write`), and hands the
rest to the pieces. The articles table is the source of truth for what is stored; Chroma holds
one vector per chunk, keyed by chunk ids the SQLite side also lists, so the two can be checked
against each other.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.config import Settings
from qa.store import groups as dup
from qa.store import records as server
from qa.store.base import Filters, IndexBusy, ScoredChunk, StoreError, source_key
from qa.store.db import ARTICLE_COLUMNS, ArticleDB, article_row, chunk_row
from qa.store.format import check_format
from qa.store.lease import LeaseKind, server_lease
from qa.store.lock import open_lock, write_lock
from qa.store.records import REVISION_ID
from qa.store.sentences import FILE as SENTENCES_FILE
from qa.store.sentences import SentenceVectors
from qa.store.vectors import Vectors, chunk_metadata, node
from qa.types import ArticleInfo

if TYPE_CHECKING:
    from qa.corpus import Article, Chunk

# A filtered search (see `Store.dense`) looks among the OVERFETCH * n nearest chunks of the
# whole index first. Its window: up to BRUTE_IDS chunks are ranked by reading
# their vectors (Chroma's `ids=` search was slower below ~1,500 ids at 155k chunks, and more so
# the larger the archive, while reading costs ~30 us a chunk whatever its size), up to
# MAX_WINDOW_IDS by Chroma among those ids (~25-35 ms from 5,000 to 40,000 ids at 155k).
OVERFETCH = 4
BRUTE_IDS = 1_500
MAX_WINDOW_IDS = 50_000
MAX_DEEPER = 30_000  # nearest chunks looked among at most (SQLite binds 32,766 values at most)

__all__ = [
    "ARTICLE_COLUMNS",
    "REVISION_ID",
    "Filters",
    "IndexBusy",
    "ScoredChunk",
    "Store",
    "StoreError",
    "source_key",
]


class Store:
    """Chroma (embedded or a server) plus the SQLite side, kept consistent per article.

    `db` is the SQLite side (ArticleDB: `db.execute`, `with db:` for a transaction), `vectors`
    the Chroma side; the methods below are what the engine calls.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.index).expanduser()
        self.root.mkdir(parents=True, exist_ok=True)
        with open_lock(self.root):  # two processes creating one new index take turns
            check_format(self.root)
            self.db = ArticleDB(self.root / "articles.sqlite")
        self.vectors = Vectors(settings, self.root, self.db.data_version)
        self.sentences = SentenceVectors(self.root / SENTENCES_FILE)

    @property
    def collection(self) -> Any:
        """The Chroma collection of chunk vectors."""
        return self.vectors.collection

    @property
    def records(self) -> Any:
        """Server mode: the `<collection>_articles` collection, one record per stored article."""
        return self.vectors.records

    @contextlib.contextmanager
    def write_lock(self, wait: float | None = None) -> Iterator[None]:
        """One writer per index across processes; others wait, then get a clear error."""
        with write_lock(self.root, self.settings.lock_timeout if wait is None else wait):
            yield

    @contextlib.contextmanager
    def lease(self, kind: LeaseKind, what: str, wait: float | None = None) -> Iterator[None]:
        """Server mode: a lease on the server against writers on other hosts (ingest and
        delete share one; check and repair hold it alone, see lease.py). Embedded: nothing,
        the write lock already covers every writer of the folder."""
        if not self.settings.chroma_url:
            yield
            return
        wait = self.settings.lock_timeout if wait is None else wait
        with server_lease(self.vectors.leases, kind, wait, what):
            yield

    # -- the two-phase write -----------------------------------------------------------

    def write(
        self,
        items: Sequence[tuple[Article, list[Chunk]]],
        vectors: np.ndarray,
        groups: Mapping[str, tuple[str, bytes | None]] | None = None,
        copies: Sequence[Sequence[Any]] = (),
    ) -> tuple[int, int]:
        """Replace these articles' chunks in both indexes; returns (chunks added, removed).

        `groups` gives articles their group of syndicated copies (id -> (group id, MinHash));
        `copies` are exact copies to record (`groups.COPY_COLUMNS` rows). Both are committed
        in the same SQLite transaction as the articles.

        Chroma is written first and SQLite last, in one transaction: an article counts as
        stored only once SQLite says so, and `verify` removes vectors SQLite doesn't know.
        A kill between the two leaves vectors SQLite lacks, which the next ingest repairs
        (tests/reliability/test_crash_safety.py); the other order could lose vectors silently.
        """
        old = [cid for art, _ in items for cid in self.db.chunk_ids(art.id)]
        new = [ch.id for _, chunks in items for ch in chunks]
        # Deleting the new ids too makes a write after a crash idempotent: vectors an
        # interrupted run added (but SQLite never recorded) are replaced, not duplicated.
        if old or new:
            self.vectors.delete(list(dict.fromkeys(old + new)))
        nodes = _nodes(items, vectors)
        self.vectors.add(nodes)
        now = time.time()
        rows = [article_row(art, len(chunks), now) for art, chunks in items]
        groups = groups or {}
        if self.settings.chroma_url:
            # After the vectors and before SQLite: a host that sees the record finds its chunks.
            server.upsert_records(self.records, rows, groups)
        with self.db:
            if self.settings.chroma_url:
                self.db.set_meta(chroma_collection=str(self.collection.id))
            for (art, chunks), row in zip(items, rows, strict=True):
                self.db.put_article(row, [chunk_row(c) for c in chunks])
                self.db.execute("DELETE FROM dup_copies WHERE id=?", (art.id,))
                if art.id in groups:
                    dup.put_group(self.db, art.id, *groups[art.id])
            self._put_copies(copies)
        return len(nodes), len(old)

    def put_copies(self, copies: Sequence[Sequence[Any]]) -> None:
        """Record exact copies (`groups.COPY_COLUMNS` rows) of stored articles."""
        with self.db:
            self._put_copies(copies)

    def _put_copies(self, copies: Sequence[Sequence[Any]]) -> None:
        for row in copies:
            if self.db.stored_hash(row[0]) is None:  # a stored article is no copy
                dup.put_copy(self.db, row)

    def delete(self, article_id: str) -> int:
        """Remove an article and every chunk of it from both indexes; returns chunks removed
        (-1 when it was not there). Chroma first, SQLite last, as in `write`."""
        ids = self.db.chunk_ids(article_id)
        if self.db.stored_hash(article_id) is None and not ids:
            return -1
        with self.lease("shared", f"deleting {article_id}"):
            # Delete by document id too, in case an interrupted write left vectors SQLite lacks.
            self.vectors.delete_article(article_id)
            if self.settings.chroma_url:
                server.delete_record(self.records, article_id)
            with self.db:
                self.db.delete_article(article_id)
                dup.forget(self.db, article_id)
        return len(ids)

    def add_vectors(self, rows: Sequence[tuple[str, str, str]], vectors: np.ndarray) -> None:
        """Re-add vectors for chunks SQLite has (used by repair), as `write` would."""
        meta_of: dict[str, dict[str, Any]] = {}
        nodes = []
        for (cid, aid, _), vec in zip(rows, vectors, strict=True):
            if aid not in meta_of:
                meta_of[aid] = chunk_metadata(aid, *self.db.article_fields(aid))
            pos, start, end, header, text = self.db.chunk_record(cid)
            meta = {**meta_of[aid], "position": pos, "start": start, "end": end, "header": header}
            nodes.append(node(cid, aid, text, vec, meta))
        if nodes:
            self.vectors.delete([n.node_id for n in nodes])
            self.vectors.add(nodes)

    # -- reading: handed to the pieces -------------------------------------------------

    def stored_hash(self, article_id: str) -> str | None:
        return self.db.stored_hash(article_id)

    def id_with_hash(self, content_hash: str) -> str | None:
        return self.db.id_with_hash(content_hash)

    def chunk_ids(self, article_id: str) -> list[str]:
        return self.db.chunk_ids(article_id)

    # -- groups of syndicated copies (qa/dupes.py, qa/store/groups.py) -------------------

    def group_signatures(self) -> list[tuple[str, str, str | None, bytes]]:
        return list(dup.signatures(self.db))

    def groups_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return dup.groups_of(self.db, article_ids)

    def group_of(self, article_id: str) -> tuple[str | None, bytes | None]:
        return dup.group_of(self.db, article_id)

    def group_members(self, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        return dup.members(self.db, article_ids)

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        return dup.copies_of(self.db, article_id)

    def repoint_copies(self, old: str, new: str) -> None:
        with self.db:
            dup.repoint(self.db, old, new)

    def articles(self) -> list[ArticleInfo]:
        return self.db.articles()

    def article(self, article_id: str) -> ArticleInfo | None:
        return self.db.article(article_id)

    def article_text(self, article_id: str) -> str | None:
        return self.db.article_text(article_id)

    def sources(self) -> list[str]:
        return self.db.sources()

    def chunk_rows(self, chunk_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Chunk text and article metadata for these ids, in one query."""
        return self.db.chunk_rows(chunk_ids)

    def iter_articles_full(self) -> Iterator[dict[str, Any]]:
        """Every stored article with its text and metadata (for export)."""
        return self.db.iter_articles_full()

    def warm(self, wait: bool = False) -> int | None:
        """Read the keyword index into the OS page cache (qa/store/warm.py): in a background
        thread, or, with `wait`, here, returning the bytes read."""
        from qa.store.warm import read_through, warm_in_background

        if wait:
            return read_through(self.db.path)
        warm_in_background(self.db.path)
        return None

    def counts(self) -> dict[str, int]:
        return {**self.db.counts(), "vectors": self.vectors.count()}

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[ScoredChunk]:
        """The n chunks nearest to `vector` that pass the filters.

        Chroma evaluates a `where` clause over every record's metadata, whatever the window:
        ~0.75-1.1 s at 155k chunks against ~12 ms unfiltered (docs/benchmarks.md, "Filtered
        search"). So a filtered search takes the OVERFETCH * n nearest chunks of the whole
        index and asks SQLite which are inside: the first n of them are exactly the filtered
        top n, as nothing nearer was skipped. When too few are, the window's chunk ids come
        from SQLite: up to BRUTE_IDS of them are ranked by their vectors, up to MAX_WINDOW_IDS
        by Chroma among those ids; a larger window is looked for deeper among the nearest."""
        if filters.empty:
            # Ids and distances from Chroma, article ids from SQLite: Chroma's metadata read
            # cost 14 of the unfiltered search's 17 ms at 1M chunks (docs/benchmarks.md).
            return self._nearest_inside(vector, n, filters, n)[0]
        hits, complete = self._nearest_inside(vector, n, filters, OVERFETCH * n)
        if complete:
            return hits
        window = self.db.window_chunk_ids(filters, MAX_WINDOW_IDS)
        if window is not None:
            ids = list(window)
            if not ids:
                return []
            if len(ids) <= BRUTE_IDS:
                near = self.vectors.exact(vector, n, ids)
            else:
                near = self.vectors.nearest(vector, n, ids=ids)
            return [ScoredChunk(c, window[c], s) for c, s in near if c in window]
        # Over MAX_WINDOW_IDS chunks inside: deep enough among the nearest that 2n of them
        # are expected inside, else (rare) Chroma's own filter.
        k = math.ceil(2 * n * self.vectors.count() / max(1, MAX_WINDOW_IDS))
        if k <= MAX_DEEPER:
            hits, complete = self._nearest_inside(vector, n, filters, k)
            if complete:
                return hits
        return self.vectors.dense(vector, n, filters)

    def _nearest_inside(
        self, vector: np.ndarray, n: int, filters: Filters, k: int
    ) -> tuple[list[ScoredChunk], bool]:
        """Those of the k nearest chunks that pass the filters (at most n), and whether they
        are the filtered top n: n of them passed, or the index holds fewer than k chunks."""
        near = self.vectors.nearest(vector, k)
        inside = self.db.chunks_inside([c for c, _ in near], filters)
        hits = [ScoredChunk(c, inside[c], s) for c, s in near if c in inside]
        return hits[:n], len(hits) >= n or len(near) < k

    def keyword(self, text: str, n: int, filters: Filters) -> list[ScoredChunk]:
        return self.db.keyword(text, n, filters)

    def term_weights(self, text: str) -> dict[str, float]:
        return self.db.term_weights(text)

    # -- server mode -------------------------------------------------------------------

    def server_revision(self) -> str | None:
        """The server's revision marker (None before any qa wrote article records there)."""
        return server.server_revision(self.records)

    def synced_revision(self) -> str | None:
        """The server revision this index last synced."""
        return self.db.meta("server_revision")

    def upsert_records(self, rows: Sequence[Sequence[Any]]) -> None:
        """Article records for these articles-table rows, then a new revision."""
        server.upsert_records(self.records, rows)

    def close(self) -> None:
        self.vectors.close()
        self.db.close()
        self.sentences.close()


def _nodes(items: Sequence[tuple[Article, list[Chunk]]], vectors: np.ndarray) -> list[Any]:
    """One llama-index node per chunk, `vectors` in the same order as the chunks."""
    nodes = []
    row = 0
    for art, chunks in items:
        meta = chunk_metadata(art.id, art.title, art.source, art.published_at, art.url)
        for ch in chunks:
            # The header too, so another host can rebuild the chunk row without an embedder.
            extra = {"position": ch.position, "start": ch.start, "end": ch.end, "header": ch.header}
            nodes.append(node(ch.id, art.id, ch.text, vectors[row], {**meta, **extra}))
            row += 1
    return nodes

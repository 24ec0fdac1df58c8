"""Where articles live: Chroma for vectors, SQLite beside it for articles and the keyword index.

SQLite's FTS5 gives a persistent, transactional BM25 index from the standard library, so the
keyword side survives restarts and is updated per article instead of rebuilt. The articles
table is the source of truth for what is stored; Chroma holds one vector per chunk, keyed by
chunk ids the SQLite side also lists, so the two can be checked against each other.

With a Chroma server shared by several qa hosts, the SQLite side is a local copy that each host
rebuilds from the server (qa/sync.py): the server also keeps one record per article (text and
metadata) in a second collection, `<collection>_articles`, and a revision marker that every
write and delete changes, so a host opening the index learns with one request whether it must
catch up.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import Settings
from qa.corpus import Article, Chunk
from qa.embed import DIM, MODEL_NAME
from qa.text import index_terms
from qa.types import ArticleInfo

FORMAT_VERSION = 1
logger = logging.getLogger(__name__)

# Server mode: the id of the record in `<collection>_articles` whose metadata `revision` is a new
# uuid after every write or delete, and what this host last synced is kept in the meta table.
REVISION_ID = "__qa_revision__"
# Chroma stores an embedding with every record, but article records are only ever read by id or
# paged through, never searched by similarity: one constant 1-dimensional vector is the smallest
# embedding Chroma accepts (a 384-d vector per article would be wasted space on the server).
_RECORD_VECTOR = [1.0]
_UPSERT_BATCH = 100  # article records per upsert request
ARTICLE_COLUMNS = (
    "id, hash, title, source, source_key, published_at, url, author, origin, text, chunks, "
    "updated_at"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles(
  id TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT NOT NULL, source TEXT, source_key TEXT,
  published_at TEXT, url TEXT, author TEXT, origin TEXT, text TEXT NOT NULL,
  chunks INTEGER NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(hash);
CREATE TABLE IF NOT EXISTS chunks(
  rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, article_id TEXT NOT NULL,
  position INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  header TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  header, text, content='chunks', content_rowid='rowid',
  tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, header, text) VALUES (new.rowid, new.header, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, header, text)
  VALUES ('delete', old.rowid, old.header, old.text);
END;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StoreError(RuntimeError):
    """The index cannot be opened or written; the message says what to do."""


class IndexBusy(StoreError):
    """Another process holds the index's write lock."""


def source_key(source: str | None) -> str:
    return (source or "").strip().lower()


def date_ord(iso: str | None) -> int:
    """2025-09-01 -> 20250901, for Chroma's numeric range filters (0 = no date)."""
    return int(iso.replace("-", "")) if iso else 0


@dataclass(frozen=True)
class Filters:
    """Retrieval filters: sources (case-insensitive names) and an inclusive date range."""

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.sources or self.since or self.until)


@dataclass(frozen=True)
class ScoredChunk:
    chunk_id: str
    article_id: str
    score: float


class Store:
    """Chroma (embedded or a server) plus the SQLite side, kept consistent per article."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.index).expanduser()
        self.root.mkdir(parents=True, exist_ok=True)
        self._check_format()
        self.db = sqlite3.connect(self.root / "articles.sqlite", check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._chroma_client: Any = None
        self._collection: Any = None
        self._records: Any = None
        self._vector_store: Any = None
        self._seen_version = -1

    # -- opening -----------------------------------------------------------------------

    def _check_format(self) -> None:
        path = self.root / "FORMAT.json"
        want = {"format": FORMAT_VERSION, "embedder": MODEL_NAME, "dim": DIM}
        if path.exists():
            try:
                have = json.loads(path.read_text())
            except (OSError, ValueError) as e:
                raise StoreError(f"{path} is unreadable ({e}); is {self.root} a qa index?") from e
            if have.get("format") != FORMAT_VERSION or have.get("embedder") != MODEL_NAME:
                raise StoreError(
                    f"{self.root} holds an index of format {have.get('format')} "
                    f"(embedder {have.get('embedder')}); this qa reads format {FORMAT_VERSION} "
                    f"({MODEL_NAME}). Export it with the qa that wrote it, or re-ingest into "
                    "a new --index folder."
                )
        else:
            if any(p.name not in {".lock"} for p in self.root.iterdir()):
                raise StoreError(
                    f"{self.root} is not empty and is not a qa index; choose another --index"
                )
            path.write_text(json.dumps(want))

    @property
    def collection(self) -> Any:
        if self._collection is None or self._changed_elsewhere():
            self._open_chroma()
        return self._collection

    @property
    def records(self) -> Any:
        """Server mode: the `<collection>_articles` collection, one record per stored article."""
        if not self.settings.chroma_url:
            raise StoreError("article records are kept on a Chroma server only")
        if self._records is None:
            self._open_chroma()
        return self._records

    @property
    def vector_store(self) -> Any:
        """llama-index's ChromaVectorStore over the same collection: what ingest writes with."""
        col = self.collection
        if self._vector_store is None or self._vector_store._collection is not col:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vector_store = ChromaVectorStore(chroma_collection=col)
        return self._vector_store

    def _changed_elsewhere(self) -> bool:
        """True when another process committed to the index since Chroma was opened here.

        Embedded Chroma caches its vector segments per process and does not see another
        process's deletes (stale hits) or first writes ("Nothing found on disk"); SQLite's
        data_version tells us cheaply when to reopen it. Chroma servers need none of this.
        """
        if self.settings.chroma_url:
            return False
        return self.db.execute("PRAGMA data_version").fetchone()[0] != self._seen_version

    def _close_chroma(self) -> None:
        if self._chroma_client is not None and hasattr(self._chroma_client, "close"):
            with contextlib.suppress(Exception):
                self._chroma_client.close()
        self._chroma_client = None
        self._collection = None
        self._records = None
        self._vector_store = None

    def _open_chroma(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self._close_chroma()
        self._seen_version = self.db.execute("PRAGMA data_version").fetchone()[0]
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.settings.chroma_url:
            from urllib.parse import urlparse

            u = urlparse(self.settings.chroma_url)
            try:
                client = chromadb.HttpClient(
                    host=u.hostname or "127.0.0.1",
                    port=u.port or 8000,
                    ssl=u.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            except Exception as e:
                raise StoreError(
                    f"cannot reach the Chroma server at {self.settings.chroma_url}: {e}"
                ) from e
        else:
            client = chromadb.PersistentClient(
                path=str(self.root / "chroma"), settings=chroma_settings
            )
        collection = client.get_or_create_collection(
            self.settings.collection,
            embedding_function=None,  # we embed ourselves (per-batch padding, see qa.embed)
            configuration={"hnsw": {"space": "cosine"}},
        )
        if self.settings.chroma_url:
            self._records = client.get_or_create_collection(
                f"{self.settings.collection}_articles", embedding_function=None
            )
        self._chroma_client = client
        self._collection = collection

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, wait: float | None = None) -> Iterator[None]:
        """One writer per index across processes; others wait, then get a clear error."""
        wait = self.settings.lock_timeout if wait is None else wait
        with open(self.root / ".lock", "a+") as fh:
            deadline = time.monotonic() + wait
            told = False
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not told and wait > 0:
                        logger.warning("%s is in use by another writer; waiting…", self.root)
                        told = True
                    if time.monotonic() > deadline:
                        raise IndexBusy(
                            f"{self.root} is busy: another qa process is writing to it. "
                            "Try again when it has finished."
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def stored_hash(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT hash FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def id_with_hash(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE hash=? LIMIT 1", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def chunk_ids(self, article_id: str) -> list[str]:
        rows = self.db.execute("SELECT id FROM chunks WHERE article_id=?", (article_id,))
        return [r[0] for r in rows]

    def write(
        self, items: Sequence[tuple[Article, list[Chunk]]], vectors: np.ndarray
    ) -> tuple[int, int]:
        """Replace these articles' chunks in both indexes; returns (chunks added, removed).

        Chroma is written first and SQLite last, in one transaction: an article counts as
        stored only once SQLite says so, and `verify` removes vectors SQLite doesn't know.
        """
        old = [cid for art, _ in items for cid in self.chunk_ids(art.id)]
        new = [ch.id for _, chunks in items for ch in chunks]
        # Deleting the new ids too makes a write after a crash idempotent: vectors an
        # interrupted run added (but SQLite never recorded) are replaced, not duplicated.
        if old or new:
            self.collection.delete(ids=list(dict.fromkeys(old + new)))
        nodes = []
        row = 0
        for art, chunks in items:
            meta = _chunk_metadata(art)
            for ch in chunks:
                # The header too, so another host can rebuild the chunk row without an embedder.
                extra = {
                    "position": ch.position,
                    "start": ch.start,
                    "end": ch.end,
                    "header": ch.header,
                }
                nodes.append(_node(ch.id, art.id, ch.text, vectors[row], {**meta, **extra}))
                row += 1
        if nodes:
            self.vector_store.add(nodes)
        now = time.time()
        rows = [_article_row(art, len(chunks), now) for art, chunks in items]
        if self.settings.chroma_url:
            # After the vectors and before SQLite: a host that sees the record finds its chunks.
            self.upsert_records(rows)
        with self.db:
            if self.settings.chroma_url:
                self.set_meta(chroma_collection=str(self.collection.id))
            for (art, chunks), article_row in zip(items, rows, strict=True):
                self.db.execute("DELETE FROM chunks WHERE article_id=?", (art.id,))
                self.db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", article_row
                )
                self.db.executemany(
                    'INSERT INTO chunks(id, article_id, position, start, "end", header, text) '
                    "VALUES (?,?,?,?,?,?,?)",
                    [
                        (c.id, c.article_id, c.position, c.start, c.end, c.header, c.text)
                        for c in chunks
                    ],
                )
        return len(nodes), len(old)

    def delete(self, article_id: str) -> int:
        """Remove an article and every chunk of it from both indexes; returns chunks removed."""
        ids = self.chunk_ids(article_id)
        exists = self.stored_hash(article_id) is not None
        if not exists and not ids:
            return -1
        # Delete by document id too, in case an interrupted write left vectors SQLite lacks.
        self.collection.delete(where={"document_id": article_id})
        if self.settings.chroma_url:
            self.records.delete(ids=[article_id])
            self._bump_revision()
        with self.db:
            self.db.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
            self.db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        return len(ids)

    # -- reading -----------------------------------------------------------------------

    def articles(self) -> list[ArticleInfo]:
        rows = self.db.execute(
            "SELECT id, title, source, published_at, url, author, origin, chunks FROM articles "
            "ORDER BY COALESCE(published_at, '') DESC, id"
        )
        return [ArticleInfo(*r) for r in rows]

    def article(self, article_id: str) -> ArticleInfo | None:
        r = self.db.execute(
            "SELECT id, title, source, published_at, url, author, origin, chunks FROM articles "
            "WHERE id=?",
            (article_id,),
        ).fetchone()
        return ArticleInfo(*r) if r else None

    def article_text(self, article_id: str) -> str | None:
        r = self.db.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
        return r[0] if r else None

    def sources(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source"
        )
        return [r[0] for r in rows]

    def chunk_rows(self, chunk_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Chunk text and article metadata for these ids, in one query."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.db.execute(
            f'SELECT c.id, c.article_id, c.position, c.start, c."end", c.text, a.title, '
            f"a.source, a.published_at, a.url FROM chunks c JOIN articles a "
            f"ON a.id = c.article_id WHERE c.id IN ({marks})",
            list(chunk_ids),
        )
        keys = ("id", "article_id", "position", "start", "end", "text", "title", "source")
        out = {}
        for r in rows:
            d = dict(zip(keys, r[:8], strict=True))
            d["published_at"], d["url"] = r[8], r[9]
            out[r[0]] = d
        return out

    def counts(self) -> dict[str, int]:
        n_art = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return {"articles": n_art, "chunks": n_chunks, "vectors": self.collection.count()}

    def dense(self, vector: np.ndarray, n: int, filters: Filters) -> list[ScoredChunk]:
        # Queries go to the Chroma collection directly rather than through ChromaVectorStore:
        # importing llama_index.core costs seconds of start-up, and a query needs only ids,
        # article ids and distances, not rebuilt nodes.
        kwargs: dict[str, Any] = {
            "query_embeddings": [vector.tolist()],
            "n_results": n,
            "include": ["metadatas", "distances"],
        }
        if where := _chroma_where(filters):
            kwargs["where"] = where
        try:
            res = self.collection.query(**kwargs)
        except Exception as e:  # chromadb raises its own InternalError for a stale segment
            if self.settings.chroma_url:
                raise StoreError(f"the Chroma server failed to answer: {e}") from e
            self._open_chroma()  # reopen once: another process may have just written
            res = self.collection.query(**kwargs)
        out = []
        for cid, meta, dist in zip(
            res["ids"][0], res["metadatas"][0], res["distances"][0], strict=True
        ):
            aid = (meta or {}).get("article_id")
            if not aid:
                # A record another process deleted since this client loaded its index comes
                # back without metadata; SQLite (the record of what is stored) has it gone.
                continue
            out.append(ScoredChunk(cid, aid, 1.0 - float(dist)))  # cosine space
        return out

    def keyword(self, text: str, n: int, filters: Filters) -> list[ScoredChunk]:
        terms = index_terms(text)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        if filters.empty:
            # Rank inside FTS5 and join only the top n: an OR query matches a third of a large
            # corpus, and joining every match before sorting doubled the query time.
            rows = self.db.execute(
                "SELECT c.id, c.article_id, f.s FROM (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) "
                "AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s DESC LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.s DESC",
                (match, n),
            )
            return [ScoredChunk(r[0], r[1], float(r[2])) for r in rows]
        where, args = ["chunks_fts MATCH ?"], [match]
        if filters.sources:
            where.append(f"a.source_key IN ({','.join('?' * len(filters.sources))})")
            args += [source_key(s) for s in filters.sources]
        if filters.since:
            where.append("a.published_at >= ?")
            args.append(filters.since)
        if filters.until:
            where.append("a.published_at <= ?")
            args.append(filters.until)
        # bm25() is lower-is-better; the title/date header weighs half as much as the body.
        sql = (
            "SELECT c.id, c.article_id, -bm25(chunks_fts, 0.5, 1.0) AS s FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles a ON a.id = c.article_id "
            f"WHERE {' AND '.join(where)} ORDER BY s DESC LIMIT ?"
        )
        rows = self.db.execute(sql, [*args, n])
        return [ScoredChunk(r[0], r[1], float(r[2])) for r in rows]

    def all_vector_ids(self) -> set[str]:
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def chunks_for(self, chunk_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, article_id, header + text) of these chunks: what their vectors embed."""
        out = []
        for i in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[i : i + 500])
            marks = ",".join("?" * len(part))
            out += self.db.execute(
                f"SELECT id, article_id, header, text FROM chunks WHERE id IN ({marks})", part
            ).fetchall()
        return [(i, a, f"{h}\n\n{t}" if h else t) for i, a, h, t in out]

    def add_vectors(self, rows: Sequence[tuple[str, str, str]], vectors: np.ndarray) -> None:
        """Re-add vectors for chunks SQLite has (used by repair), as `write` would."""
        meta_of: dict[str, dict[str, Any]] = {}
        nodes = []
        for (cid, aid, _), vec in zip(rows, vectors, strict=True):
            if aid not in meta_of:
                r = self.db.execute(
                    "SELECT title, source, published_at, url FROM articles WHERE id=?", (aid,)
                ).fetchone()
                meta_of[aid] = _chunk_metadata_from(aid, *r)
            pos, start, end, header, text = self.db.execute(
                'SELECT position, start, "end", header, text FROM chunks WHERE id=?', (cid,)
            ).fetchone()
            meta = {**meta_of[aid], "position": pos, "start": start, "end": end, "header": header}
            nodes.append(_node(cid, aid, text, vec, meta))
        if nodes:
            self.collection.delete(ids=[n.node_id for n in nodes])
            self.vector_store.add(nodes)

    def check_keyword_index(self) -> bool:
        """FTS5's own integrity check of the keyword index against the chunks table."""
        try:
            self.db.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES('integrity-check', 1)")
            return True
        except sqlite3.DatabaseError:
            return False

    def rebuild_keyword_index(self) -> None:
        with self.db:
            self.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")

    def iter_articles_full(self) -> Iterator[dict[str, Any]]:
        """Every stored article with its text and metadata (for export)."""
        cur = self.db.execute(
            "SELECT id, title, text, url, published_at, source, author FROM articles ORDER BY id"
        )
        keys = ("id", "title", "text", "url", "published_at", "source", "author")
        for row in cur:
            yield {k: v for k, v in zip(keys, row, strict=True) if v is not None}

    # -- server mode: the SQLite side rebuilt from the server --------------------------

    def server_revision(self) -> str | None:
        """The server's revision marker (None before any qa wrote article records there)."""
        got = self.records.get(ids=[REVISION_ID], include=["metadatas"])
        if not got["ids"]:
            return None
        return (got["metadatas"][0] or {}).get("revision") or None

    def synced_revision(self) -> str | None:
        """The server revision this index last synced."""
        return self.meta("server_revision")

    def upsert_records(self, rows: Sequence[Sequence[Any]]) -> None:
        """Server mode: article records for these articles-table rows, then a new revision."""
        for i in range(0, len(rows), _UPSERT_BATCH):
            part = rows[i : i + _UPSERT_BATCH]
            self.records.upsert(
                ids=[r[0] for r in part],
                embeddings=[_RECORD_VECTOR] * len(part),
                documents=[r[9] for r in part],
                metadatas=[_record_metadata(r) for r in part],
            )
        self._bump_revision()

    def _bump_revision(self) -> None:
        self.records.upsert(
            ids=[REVISION_ID],
            embeddings=[_RECORD_VECTOR],
            documents=[""],
            metadatas=[{"revision": uuid.uuid4().hex}],
        )

    def has_articles(self) -> bool:
        return self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str) -> None:
        """Within the caller's transaction."""
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(values.items()))

    def close(self) -> None:
        self._close_chroma()
        self.db.close()


def _node(chunk_id: str, article_id: str, text: str, vector: np.ndarray, meta: dict) -> Any:
    """A llama-index TextNode whose SOURCE is its article, so Chroma gets `document_id`."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk_id,
        text=text,
        embedding=vector.tolist(),
        metadata=meta,
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article_id)},
    )


def _chunk_metadata(art: Article) -> dict[str, Any]:
    return _chunk_metadata_from(art.id, art.title, art.source, art.published_at, art.url)


def _chunk_metadata_from(
    article_id: str, title: str, source: str | None, published_at: str | None, url: str | None
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "title": title,
        "source": source or "",
        "source_key": source_key(source),
        "published_at": published_at or "",
        "published_ord": date_ord(published_at),
        "url": url or "",
    }


def _article_row(art: Article, n_chunks: int, now: float) -> tuple[Any, ...]:
    """A row of the articles table, in its column order (see ARTICLE_COLUMNS)."""
    return (
        art.id,
        art.content_hash,
        art.title,
        art.source,
        source_key(art.source),
        art.published_at,
        art.url,
        art.author,
        art.origin,
        art.text,
        n_chunks,
        now,
    )


def _record_metadata(row: Sequence[Any]) -> dict[str, Any]:
    """An articles-table row as record metadata (Chroma takes no None: "" stands for it)."""
    _, h, title, source, _, published_at, url, author, origin, _, chunks, updated_at = row
    return {
        "content_hash": h,
        "title": title or "",
        "source": source or "",
        "published_at": published_at or "",
        "url": url or "",
        "author": author or "",
        "origin": origin or "",
        "chunks": int(chunks),
        "updated_at": float(updated_at),
    }


def _chroma_where(filters: Filters) -> dict[str, Any] | None:
    """Filters as a Chroma `where` clause (dates compare as YYYYMMDD integers)."""
    conds: list[dict[str, Any]] = []
    if filters.sources:
        conds.append({"source_key": {"$in": [source_key(s) for s in filters.sources]}})
    if filters.since:
        conds.append({"published_ord": {"$gte": date_ord(filters.since)}})
    if filters.until:
        conds.append({"published_ord": {"$lte": date_ord(filters.until)}})
        # Undated articles carry 0: an upper bound alone must not let them through.
        conds.append({"published_ord": {"$gt": 0}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}

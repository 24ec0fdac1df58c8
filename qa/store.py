"""Where articles live: Chroma for vectors, SQLite beside it for articles and the keyword index.

SQLite's FTS5 gives a persistent, transactional BM25 index from the standard library, so the
keyword side survives restarts and is updated per article instead of rebuilt. The articles
table is the source of truth for what is stored; Chroma holds one vector per chunk, keyed by
chunk ids the SQLite side also lists, so the two can be checked against each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.articles import Article
from qa.chunk import Chunk
from qa.config import Settings
from qa.embed import DIM, MODEL_NAME
from qa.types import ArticleInfo

FORMAT_VERSION = 1

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
"""

# Question words and function words carry no evidence for BM25; dropping them keeps an
# OR-query from matching every chunk that says "the".
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    also said says say tell told according did does many much
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)


class StoreError(RuntimeError):
    """The index cannot be opened or written; the message says what to do."""


class IndexBusy(StoreError):
    """Another process holds the index's write lock."""


def source_key(source: str | None) -> str:
    return (source or "").strip().lower()


def date_ord(iso: str | None) -> int:
    """2025-09-01 -> 20250901, for Chroma's numeric range filters (0 = no date)."""
    return int(iso.replace("-", "")) if iso else 0


def keyword_terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for w in _WORD.findall(text.lower()):
        w = w.strip("'’-")
        if len(w) > 1 and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


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
        self._chroma_client = None
        self._vector_store: Any = None

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
        if self._vector_store is None:
            self._open_chroma()
        return self._vector_store._collection

    @property
    def vector_store(self) -> Any:
        if self._vector_store is None:
            self._open_chroma()
        return self._vector_store

    def _open_chroma(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

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
        self._chroma_client = client
        self._vector_store = ChromaVectorStore(chroma_collection=collection)

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, wait: float = 30.0) -> Iterator[None]:
        """One writer per index across processes; others wait, then get a clear error."""
        with open(self.root / ".lock", "a+") as fh:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
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
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        old = [cid for art, _ in items for cid in self.chunk_ids(art.id)]
        if old:
            self.collection.delete(ids=old)
        nodes = []
        row = 0
        for art, chunks in items:
            meta = _chunk_metadata(art)
            for ch in chunks:
                node = TextNode(
                    id_=ch.id,
                    text=ch.text,
                    embedding=vectors[row].tolist(),
                    metadata={**meta, "position": ch.position, "start": ch.start, "end": ch.end},
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=art.id)},
                )
                nodes.append(node)
                row += 1
        if nodes:
            self.vector_store.add(nodes)
        now = time.time()
        with self.db:
            for art, chunks in items:
                self.db.execute("DELETE FROM chunks WHERE article_id=?", (art.id,))
                self.db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
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
                        len(chunks),
                        now,
                    ),
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
        from llama_index.core.vector_stores.types import VectorStoreQuery

        query = VectorStoreQuery(
            query_embedding=vector.tolist(),
            similarity_top_k=n,
            filters=_metadata_filters(filters),
        )
        res = self.vector_store.query(query)
        out = []
        for node, sim in zip(res.nodes, res.similarities or [], strict=False):
            # ChromaVectorStore reports exp(-distance); with cosine space, cos = 1 - distance.
            cos = 1.0 + float(np.log(max(sim, 1e-12)))
            out.append(ScoredChunk(node.node_id, node.metadata["article_id"], cos))
        return out

    def keyword(self, text: str, n: int, filters: Filters) -> list[ScoredChunk]:
        terms = keyword_terms(text)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
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

    def close(self) -> None:
        self.db.close()


def _chunk_metadata(art: Article) -> dict[str, Any]:
    return {
        "article_id": art.id,
        "title": art.title,
        "source": art.source or "",
        "source_key": source_key(art.source),
        "published_at": art.published_at or "",
        "published_ord": date_ord(art.published_at),
        "url": art.url or "",
    }


def _metadata_filters(filters: Filters) -> Any:
    if filters.empty:
        return None
    from llama_index.core.vector_stores.types import (
        FilterOperator,
        MetadataFilter,
        MetadataFilters,
    )

    fs = []
    if filters.sources:
        keys = [source_key(s) for s in filters.sources]
        fs.append(MetadataFilter(key="source_key", value=keys, operator=FilterOperator.IN))
    if filters.since:
        fs.append(
            MetadataFilter(
                key="published_ord", value=date_ord(filters.since), operator=FilterOperator.GTE
            )
        )
    if filters.until:
        fs.append(
            MetadataFilter(
                key="published_ord", value=date_ord(filters.until), operator=FilterOperator.LTE
            )
        )
        # Undated articles carry 0: an upper bound alone must not let them through.
        fs.append(MetadataFilter(key="published_ord", value=0, operator=FilterOperator.GT))
    return MetadataFilters(filters=fs)

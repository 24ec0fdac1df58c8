"""articles.sqlite: the articles, their chunks, the FTS5 keyword index (BM25) and a meta table.

SQLite's FTS5 gives a persistent, transactional BM25 index from the standard library, so the
keyword side survives restarts and is updated per article instead of rebuilt. The articles
table is the record of what is stored (the two-phase write commits it last, see
qa/store/__init__.py); Chroma holds one vector per chunk, keyed by the chunk ids listed here.
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.store.base import Filters, ScoredChunk, source_key, window_sql
from qa.store.groups import SCHEMA as GROUP_SCHEMA
from qa.store.keyword import average_length, doc_freq, fts_match, plan, pruned
from qa.text import index_terms
from qa.types import ArticleInfo

if TYPE_CHECKING:
    from qa.corpus import Article, Chunk

ARTICLE_COLUMNS = (
    "id, hash, title, source, source_key, published_at, url, author, origin, text, chunks, "
    "updated_at"
)
_INFO_COLUMNS = "id, title, source, published_at, url, author, origin, chunks"

SCHEMA = """
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


# FTS5's tokenizer splits a word at an apostrophe, so the quoted query term "striker's" is the
# phrase `striker s`, which an article saying "the striker" never matches: the possessive
# ending goes before a term reaches the MATCH expression.
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def fts_terms(text: str) -> list[str]:
    """The keyword query's terms: `index_terms` without possessive endings, distinct."""
    seen: dict[str, None] = {}
    for t in index_terms(text):
        t = _POSSESSIVE.sub("", t)
        if len(t) > 1:
            seen.setdefault(t, None)
    return list(seen)


def article_row(art: Article, n_chunks: int, now: float) -> tuple[Any, ...]:
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


def chunk_row(c: Chunk) -> tuple[Any, ...]:
    """A row of the chunks table (without the rowid SQLite assigns)."""
    return (c.id, c.article_id, c.position, c.start, c.end, c.header, c.text)


class _Reader(sqlite3.Connection):
    """A read connection (a subclass only so the registry can hold it weakly)."""


class ArticleDB:
    """The SQLite side. `with db:` is one transaction; the writing methods run inside it.

    Connections: one writer, used only inside `with db:` (an in-process lock makes other
    threads wait for it), and one read connection per thread, opened on first use. `conn` is
    whichever the calling thread should use, so readers never share a connection with the
    writer's open transaction (they would see its uncommitted rows) nor with each other.
    WAL mode lets the readers read the last commit while the writer writes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer = sqlite3.connect(path, check_same_thread=False)
        self._writer.execute("PRAGMA journal_mode=WAL")
        self._writer.execute("PRAGMA synchronous=NORMAL")
        self._writer.executescript(SCHEMA)
        self._writer.executescript(GROUP_SCHEMA)  # syndicated copies (qa/store/groups.py)
        # Date windows find their articles by this index (`window_chunk_ids`); an index made
        # before it existed gets it on the first open that can write (a second or so per 100k
        # articles), and a busy one goes on without it: it only makes the lookup faster.
        with contextlib.suppress(sqlite3.OperationalError):
            self._writer.execute(
                "CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at)"
            )
        self._write_mutex = threading.RLock()
        self._writing: int | None = None  # the thread id inside `with db:`
        self._depth = 0
        self._local = threading.local()
        # Every read connection, weakly: a thread's own ends with the thread (its
        # threading.local goes), the rest are closed by `close`.
        self._readers: weakref.WeakSet[_Reader] = weakref.WeakSet()
        self._readers_lock = threading.Lock()
        self._closed = False
        # Document frequencies of keyword terms (`term_weights`), valid while the chunks are
        # unchanged: `_df_state` is the writer's change count and SQLite's data_version
        # (other connections' commits) when the cache was filled.
        self._df: dict[str, int] = {}
        self._df_state: tuple[int, int, int, float] | None = None
        self._span = (0, 0)  # the chunks' rowids, lowest and highest (for df estimates)

    @property
    def conn(self) -> sqlite3.Connection:
        """The writer inside this thread's `with db:`, else this thread's read connection."""
        if self._writing == threading.get_ident():
            return self._writer
        reader = getattr(self._local, "reader", None)
        if reader is None:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            # Autocommit: a SELECT never opens a transaction that would pin an old snapshot.
            reader = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, factory=_Reader
            )
            reader.execute("PRAGMA query_only=ON")  # writes go through `with db:` only
            self._local.reader = reader
            with self._readers_lock:
                self._readers.add(reader)
        return reader

    def __enter__(self) -> ArticleDB:
        self._write_mutex.acquire()
        self._writing, self._depth = threading.get_ident(), self._depth + 1
        self._writer.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool | None:
        try:
            return self._writer.__exit__(*exc)
        finally:
            self._depth -= 1
            if not self._depth:
                self._writing = None
            self._write_mutex.release()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, args)

    def data_version(self) -> int:
        """Changes whenever another process commits to this file (asked of the writer, whose
        own commits don't count, so this process's writes don't look like someone else's)."""
        with self._write_mutex:
            return self._writer.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._closed = True
        with self._readers_lock:
            readers = list(self._readers)
        for reader in readers:
            reader.close()
        self._local = threading.local()
        with self._write_mutex:
            self._writer.close()

    # -- writing (inside the caller's transaction) --------------------------------------

    def put_article(self, row: Sequence[Any], chunks: Sequence[Sequence[Any]]) -> None:
        """Store an articles-table row and replace its chunks (their keyword index follows)."""
        self.conn.execute("DELETE FROM chunks WHERE article_id=?", (row[0],))
        self.conn.execute("INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)
        self.conn.executemany(
            'INSERT INTO chunks(id, article_id, position, start, "end", header, text) '
            "VALUES (?,?,?,?,?,?,?)",
            chunks,
        )

    def delete_article(self, article_id: str) -> None:
        self.conn.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
        self.conn.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def set_meta(self, **values: str) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(values.items()))

    # -- reading -----------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        return self._one("SELECT value FROM meta WHERE key=?", key)

    def stored_hash(self, article_id: str) -> str | None:
        return self._one("SELECT hash FROM articles WHERE id=?", article_id)

    def id_with_hash(self, content_hash: str) -> str | None:
        return self._one("SELECT id FROM articles WHERE hash=? LIMIT 1", content_hash)

    def article_text(self, article_id: str) -> str | None:
        return self._one("SELECT text FROM articles WHERE id=?", article_id)

    def has_articles(self) -> bool:
        return self.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def hashes(self) -> dict[str, str]:
        """Every stored article's content hash, by id."""
        return dict(self.conn.execute("SELECT id, hash FROM articles").fetchall())

    def chunk_ids(self, article_id: str) -> list[str]:
        rows = self.conn.execute("SELECT id FROM chunks WHERE article_id=?", (article_id,))
        return [r[0] for r in rows]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM chunks")}

    def articles(self) -> list[ArticleInfo]:
        rows = self.conn.execute(
            f"SELECT {_INFO_COLUMNS} FROM articles ORDER BY COALESCE(published_at, '') DESC, id"
        )
        return [ArticleInfo(*r) for r in rows]

    def article(self, article_id: str) -> ArticleInfo | None:
        sql = f"SELECT {_INFO_COLUMNS} FROM articles WHERE id=?"
        r = self.conn.execute(sql, (article_id,)).fetchone()
        return ArticleInfo(*r) if r else None

    def article_rows(self, article_ids: Sequence[str]) -> list[tuple[Any, ...]]:
        """Full articles-table rows (ARTICLE_COLUMNS) of these articles."""
        marks = ",".join("?" * len(article_ids))
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})"
        return self.conn.execute(sql, list(article_ids)).fetchall()

    def sources(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source"
        )
        return [r[0] for r in rows]

    def counts(self) -> dict[str, int]:
        n_art = self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_chunks = self.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return {"articles": n_art, "chunks": n_chunks}

    def chunk_rows(self, chunk_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Chunk text and article metadata for these ids, in one query."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.conn.execute(
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

    def chunks_for(self, chunk_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, article_id, header + text) of these chunks: what their vectors embed."""
        out = []
        for i in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[i : i + 500])
            marks = ",".join("?" * len(part))
            out += self.conn.execute(
                f"SELECT id, article_id, header, text FROM chunks WHERE id IN ({marks})", part
            ).fetchall()
        return [(i, a, f"{h}\n\n{t}" if h else t) for i, a, h, t in out]

    def chunk_record(self, chunk_id: str) -> tuple[Any, ...]:
        """(position, start, end, header, text) of one chunk."""
        return self.conn.execute(
            'SELECT position, start, "end", header, text FROM chunks WHERE id=?', (chunk_id,)
        ).fetchone()

    def article_fields(self, article_id: str) -> tuple[Any, ...]:
        """(title, source, published_at, url): the article fields each chunk vector carries."""
        return self.conn.execute(
            "SELECT title, source, published_at, url FROM articles WHERE id=?", (article_id,)
        ).fetchone()

    def headers(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(chunk id, header) of every chunk of these articles."""
        marks = ",".join("?" * len(article_ids))
        sql = f"SELECT id, header FROM chunks WHERE article_id IN ({marks})"
        return self.conn.execute(sql, list(article_ids)).fetchall()

    def iter_articles_full(self) -> Iterator[dict[str, Any]]:
        """Every stored article with its text and metadata (for export)."""
        cur = self.conn.execute(
            "SELECT id, title, text, url, published_at, source, author FROM articles ORDER BY id"
        )
        keys = ("id", "title", "text", "url", "published_at", "source", "author")
        for row in cur:
            yield {k: v for k, v in zip(keys, row, strict=True) if v is not None}

    def _one(self, sql: str, arg: Any) -> Any:
        row = self.conn.execute(sql, (arg,)).fetchone()
        return row[0] if row else None

    # -- the keyword index -------------------------------------------------------------

    def keyword(self, text: str, n: int, filters: Filters) -> list[ScoredChunk]:
        """BM25 over chunk headers and text; bm25() is lower-is-better, so it is negated.

        A query with terms common enough to match many rows ranks the rows with its rarer
        terms first (qa/store/keyword.py), so the time stays flat as the archive grows.
        """
        terms = fts_terms(text)
        if not terms:
            return []
        match = fts_match(terms)
        n_rows, dfs = self.doc_freqs(terms)
        if (p := plan(terms, dfs)) is not None:
            avgdl = self._df_state[3] if self._df_state else 1.0
            hits = pruned(self.conn, p, dfs, n_rows, avgdl, n, filters)
            return [ScoredChunk(c, a, s) for c, a, s in hits]
        if filters.empty:
            # Rank inside FTS5 and join only the top n: an OR query matches a third of a large
            # corpus, and joining every match before sorting doubled the query time.
            rows = self.conn.execute(
                "SELECT c.id, c.article_id, f.s FROM (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) "
                "AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s DESC LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.s DESC",
                (match, n),
            )
            return [ScoredChunk(r[0], r[1], float(r[2])) for r in rows]
        where, args = window_sql(filters)
        where, args = ["chunks_fts MATCH ?", *where], [match, *args]
        # The title/date header weighs half as much as the body.
        sql = (
            "SELECT c.id, c.article_id, -bm25(chunks_fts, 0.5, 1.0) AS s FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles a ON a.id = c.article_id "
            f"WHERE {' AND '.join(where)} ORDER BY s DESC LIMIT ?"
        )
        rows = self.conn.execute(sql, [*args, n])
        return [ScoredChunk(r[0], r[1], float(r[2])) for r in rows]

    def chunks_inside(self, chunk_ids: Sequence[str], filters: Filters) -> dict[str, str]:
        """{chunk id: article id} of those of the chunks whose articles pass the filters."""
        where, args = window_sql(filters)
        rows = self.conn.execute(
            "SELECT c.id, c.article_id FROM chunks c JOIN articles a ON a.id = c.article_id "
            f"WHERE c.id IN ({','.join('?' * len(chunk_ids))}) AND {' AND '.join(where) or '1'}",
            [*chunk_ids, *args],
        )
        return dict(rows.fetchall())

    def window_chunk_ids(self, filters: Filters, limit: int) -> dict[str, str] | None:
        """{chunk id: article id} of every chunk whose article passes the filters, or None
        when more than `limit` do."""
        where, args = window_sql(filters)
        rows = self.conn.execute(
            "SELECT c.id, c.article_id FROM articles a JOIN chunks c ON c.article_id = a.id "
            f"WHERE {' AND '.join(where) or '1'} LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        return None if len(rows) > limit else dict(rows)

    def term_weights(self, text: str) -> dict[str, float]:
        """BM25's inverse document frequency of each keyword-query term, over all chunks:
        ln(1 + (N - df + 0.5) / (df + 0.5)), the weight bm25() itself gives the term."""
        terms = fts_terms(text)
        if not terms:
            return {}
        n, dfs = self.doc_freqs(terms)
        return {t: math.log(1.0 + (n - dfs[t] + 0.5) / (dfs[t] + 0.5)) for t in terms}

    def doc_freqs(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(chunks, {term: chunks matching it}), cached until the chunks change.

        Counting a common term's matches reads its whole doclist (~0.4 ms for a term in a
        third of 12,000 chunks, ~23 ms at 500k), so counts stop at COUNT_ROWS and estimate
        beyond (`keyword.doc_freq`) and are cached; the cache also keeps the chunk count
        and FTS5's average row length (`keyword` needs both).
        """
        state = (self._writer.total_changes, self.data_version())
        if self._df_state is None or state != self._df_state[:2]:
            n, lo, hi = self.conn.execute(
                "SELECT COUNT(*), MIN(rowid), MAX(rowid) FROM chunks"
            ).fetchone()
            self._df, self._df_state = {}, (*state, n, average_length(self.conn))
            self._span = (lo or 0, hi or 0)
        out = {}
        for t in terms:
            if (df := self._df.get(t)) is None:
                df = doc_freq(self.conn, t, self._span)
                if len(self._df) >= 50_000:
                    self._df.clear()
                self._df[t] = df
            out[t] = df
        return self._df_state[2], out

    def check_keyword_index(self) -> bool:
        """FTS5's own integrity check of the keyword index against the chunks table."""
        try:
            with self:  # an INSERT to FTS5, so the writer's (read connections are query-only)
                self.conn.execute(
                    "INSERT INTO chunks_fts(chunks_fts, rank) VALUES('integrity-check', 1)"
                )
            return True
        except sqlite3.DatabaseError:
            return False

    def rebuild_keyword_index(self) -> None:
        with self:
            self.conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")

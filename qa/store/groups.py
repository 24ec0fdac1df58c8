"""Groups of syndicated copies (qa/dupes.py) in articles.sqlite.

`dup_groups`: one row per stored article (its group id and MinHash signature), written in the
same transaction as the article itself, so the two-phase write keeps them in step.
`dup_copies`: exact copies of a stored article under another id or outlet, kept without chunks
so "also published by" can name them. All functions take the `ArticleDB` and run on its
current connection (inside `with db:` for the writing ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.store.db import ArticleDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS dup_groups(
  article_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, sig BLOB);
CREATE INDEX IF NOT EXISTS dup_groups_group ON dup_groups(group_id);
CREATE TABLE IF NOT EXISTS dup_copies(
  id TEXT PRIMARY KEY, of_id TEXT NOT NULL, title TEXT, source TEXT, published_at TEXT,
  url TEXT, author TEXT, origin TEXT);
CREATE INDEX IF NOT EXISTS dup_copies_of ON dup_copies(of_id);
"""
COPY_COLUMNS = ("id", "of_id", "title", "source", "published_at", "url", "author", "origin")
_MEMBER_KEYS = ("article_id", "source", "title", "url", "published_at")


def put_group(db: ArticleDB, article_id: str, group_id: str, sig: bytes | None) -> None:
    db.conn.execute("INSERT OR REPLACE INTO dup_groups VALUES (?,?,?)", (article_id, group_id, sig))


def put_copy(db: ArticleDB, row: Sequence[Any]) -> None:
    """An exact copy (COPY_COLUMNS order); a stored article of that id is not a copy."""
    db.conn.execute(f"INSERT OR REPLACE INTO dup_copies VALUES ({','.join('?' * 8)})", row)


def forget(db: ArticleDB, article_id: str) -> None:
    """An article deleted: its group row, and the copies of it nobody promoted."""
    db.conn.execute("DELETE FROM dup_groups WHERE article_id=?", (article_id,))
    db.conn.execute("DELETE FROM dup_copies WHERE of_id=? OR id=?", (article_id, article_id))


def signatures(db: ArticleDB) -> Iterable[tuple[str, str, str | None, bytes]]:
    """(article id, group id, published_at, signature) of every stored article."""
    return db.conn.execute(
        "SELECT g.article_id, g.group_id, a.published_at, g.sig FROM dup_groups g "
        "JOIN articles a ON a.id = g.article_id WHERE g.sig IS NOT NULL"
    ).fetchall()


def groups_of(db: ArticleDB, article_ids: Sequence[str]) -> dict[str, str]:
    """Group id of each of these articles that shares its group with another."""
    out: dict[str, str] = {}
    ids = list(article_ids)
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ",".join("?" * len(part))
        out.update(
            db.conn.execute(
                f"SELECT article_id, group_id FROM dup_groups WHERE article_id IN ({marks})", part
            ).fetchall()
        )
    return out


def group_of(db: ArticleDB, article_id: str) -> tuple[str | None, bytes | None]:
    row = db.conn.execute(
        "SELECT group_id, sig FROM dup_groups WHERE article_id=?", (article_id,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def members(db: ArticleDB, article_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """For each article, every member of its group: stored articles and exact copies."""
    groups = groups_of(db, article_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for aid in article_ids:
        gid = groups.get(aid)
        stored = (
            db.conn.execute(
                "SELECT a.id, a.source, a.title, a.url, a.published_at FROM articles a "
                "JOIN dup_groups g ON g.article_id = a.id WHERE g.group_id = ?",
                (gid,),
            ).fetchall()
            if gid
            else [(aid, None, None, None, None)]
        )
        ids = [r[0] for r in stored]
        marks = ",".join("?" * len(ids))
        copies = db.conn.execute(
            f"SELECT id, source, title, url, published_at FROM dup_copies WHERE of_id IN ({marks})",
            ids,
        ).fetchall()
        out[aid] = [dict(zip(_MEMBER_KEYS, r, strict=True)) for r in (*stored, *copies)]
    return out


def copies_of(db: ArticleDB, article_id: str) -> list[dict[str, Any]]:
    rows = db.conn.execute(
        f"SELECT {', '.join(COPY_COLUMNS)} FROM dup_copies WHERE of_id=? ORDER BY id",
        (article_id,),
    ).fetchall()
    return [dict(zip(COPY_COLUMNS, r, strict=True)) for r in rows]


def repoint(db: ArticleDB, old: str, new: str) -> None:
    db.conn.execute("DELETE FROM dup_copies WHERE id=?", (new,))
    db.conn.execute("UPDATE dup_copies SET of_id=? WHERE of_id=?", (new, old))

"""Server mode: the article records and the revision marker on the Chroma server.

With a Chroma server shared by several qa hosts, the SQLite side is a local copy that each host
rebuilds from the server (qa/store/sync.py): the server also keeps one record per article (text
and metadata) in a second collection, `<collection>_articles`, and a revision marker that every
write and delete changes, so a host opening the index learns with one request whether it must
catch up. The functions here take that records collection (`Store.records`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from qa.store.base import source_key

# The id of the record whose metadata `revision` is a new uuid after every write or delete;
# what this host last synced is kept in the meta table (`server_revision`).
REVISION_ID = "__qa_revision__"
# Chroma stores an embedding with every record, but article records are only ever read by id or
# paged through, never searched by similarity: one constant 1-dimensional vector is the smallest
# embedding Chroma accepts (a 384-d vector per article would be wasted space on the server).
_RECORD_VECTOR = [1.0]
_UPSERT_BATCH = 100  # article records per upsert request


def server_revision(records: Any) -> str | None:
    """The server's revision marker (None before any qa wrote article records there)."""
    got = records.get(ids=[REVISION_ID], include=["metadatas"])
    if not got["ids"]:
        return None
    return (got["metadatas"][0] or {}).get("revision") or None


def upsert_records(
    records: Any,
    rows: Sequence[Sequence[Any]],
    groups: Mapping[str, tuple[str, bytes | None]] | None = None,
) -> None:
    """Article records for these articles-table rows (with their group of syndicated copies,
    so other hosts' sync restores it), then a new revision."""
    groups = groups or {}
    for i in range(0, len(rows), _UPSERT_BATCH):
        part = rows[i : i + _UPSERT_BATCH]
        records.upsert(
            ids=[r[0] for r in part],
            embeddings=[_RECORD_VECTOR] * len(part),
            documents=[r[9] for r in part],
            metadatas=[{**_record_metadata(r), **_group_metadata(groups.get(r[0]))} for r in part],
        )
    _bump_revision(records)


def delete_record(records: Any, article_id: str) -> None:
    """Remove an article's record, then a new revision."""
    records.delete(ids=[article_id])
    _bump_revision(records)


def _bump_revision(records: Any) -> None:
    records.upsert(
        ids=[REVISION_ID],
        embeddings=[_RECORD_VECTOR],
        documents=[""],
        metadatas=[{"revision": uuid.uuid4().hex}],
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


def _group_metadata(group: tuple[str, bytes | None] | None) -> dict[str, str]:
    if group is None:
        return {}
    return {"dup_group": group[0], "minhash": (group[1] or b"").hex()}


def group_from_record(meta: dict[str, Any]) -> tuple[str, bytes | None] | None:
    """(group id, MinHash) a record carries, if any (the inverse of `_group_metadata`)."""
    if not meta.get("dup_group"):
        return None
    return str(meta["dup_group"]), bytes.fromhex(str(meta.get("minhash") or "")) or None


def row_from_record(article_id: str, meta: dict[str, Any], text: str) -> tuple[Any, ...]:
    """The articles-table row a record stands for (the inverse of `_record_metadata`)."""
    source = meta.get("source") or None
    return (
        article_id,
        str(meta["content_hash"]),
        str(meta.get("title") or ""),
        source,
        source_key(source),
        meta.get("published_at") or None,
        meta.get("url") or None,
        meta.get("author") or None,
        str(meta.get("origin") or ""),
        text,
        int(meta["chunks"]),
        float(meta.get("updated_at") or 0.0),
    )

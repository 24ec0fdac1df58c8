"""Server mode: each host's SQLite side (articles, chunks, keyword index) as a copy of the server.

With a Chroma server shared by several qa hosts, the server also keeps one record per article
(text and metadata) in a second collection, `<collection>_articles`, and a revision marker that
every write and delete changes (`Store.write` / `Store.delete` keep both, see records.py). A
host opening the
index learns with one request whether it must catch up; catching up fetches only the articles
that are new or changed and drops the ones the server no longer has. Vectors are never written
here: the server is the source.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from qa.corpus import chunk_id_for
from qa.store import Store
from qa.store.base import IndexBusy, StoreError
from qa.store.groups import put_group
from qa.store.records import REVISION_ID, group_from_record, row_from_record
from qa.types import SyncReport

logger = logging.getLogger(__name__)

_SYNC_PAGE = 1000  # article records per metadata page
_SYNC_BATCH = 64  # articles fetched from the server and written to SQLite per transaction


def sync(store: Store, progress: bool = False) -> SyncReport:
    """Bring the articles table and keyword index in step with the server's article records.

    Only articles that are missing here or whose content hash differs are fetched (text from
    the records, chunk rows from the chunk vectors' metadata); articles the server no
    longer has are removed here. Vectors are never written: the server is the source.
    """
    if not store.settings.chroma_url:
        raise StoreError(
            "sync needs a Chroma server (--chroma-url URL or QA_CHROMA_URL); an embedded "
            "index keeps everything in its own folder and has nothing to sync"
        )
    with store.write_lock():
        return _sync(store, progress, store.server_revision())


def sync_if_changed(store: Store, progress: bool = False) -> SyncReport | None:
    """`sync` when the server's revision is not the one last synced (one request when it
    is); None in embedded mode or when nothing changed. The caller holds the write lock."""
    if not store.settings.chroma_url:
        return None
    revision = store.server_revision()
    # No marker and local articles: an older qa wrote them (see _drop_or_publish).
    unpublished = revision is None and store.db.has_articles()
    if revision == store.synced_revision() and not unpublished:
        return None
    return _sync(store, progress, revision)


def auto_sync(store: Store) -> None:
    """On open in server mode: catch up with what other hosts wrote since the last sync.

    Never fatal: a server that is down or an index this host is writing to right now leaves
    the local copy as it is (with a warning), so local-only commands keep working.
    """
    try:
        with store.write_lock(wait=0):
            # A first sync of a big corpus takes a while: show it to a person at a terminal.
            sync_if_changed(store, progress=sys.stderr.isatty())
    except IndexBusy:
        logger.info("%s is being written by another qa process; not syncing it now", store.root)
    except Exception as e:  # any failure here is reported, not raised
        logger.warning("could not sync %s with the Chroma server: %s", store.root, e)


def _sync(store: Store, progress: bool, revision: str | None) -> SyncReport:
    """`revision` is the server's, read by the caller before anything else: a write that
    lands during this sync changes it again, so the next open syncs once more instead of
    trusting a half-seen state."""
    _check_server_binding(store)
    report = SyncReport(revision=revision)
    server: dict[str, str] = {}
    offset = 0
    while True:
        page = store.records.get(include=["metadatas"], limit=_SYNC_PAGE, offset=offset)
        for rid, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
            if rid != REVISION_ID:
                server[rid] = str((meta or {}).get("content_hash", ""))
        if len(page["ids"]) < _SYNC_PAGE:
            break
        offset += _SYNC_PAGE
    local = store.db.hashes()
    fetch = [aid for aid, h in server.items() if local.get(aid) != h]
    report.unchanged = len(server) - len(fetch)
    bar = _sync_bar(progress and bool(fetch), len(fetch))
    for i in range(0, len(fetch), _SYNC_BATCH):
        part = fetch[i : i + _SYNC_BATCH]
        _pull(store, part, local, report)
        if bar is not None:
            bar.update(len(part))
    if bar is not None:
        bar.close()
    gone = [aid for aid in local if aid not in server]
    for i in range(0, len(gone), _SYNC_BATCH):
        _drop_or_publish(store, gone[i : i + _SYNC_BATCH], report)
    with store.db:
        store.db.set_meta(chroma_collection=str(store.collection.id))
        if report.revision is not None:
            store.db.set_meta(server_revision=report.revision)
    return report


def _pull(store: Store, ids: list[str], local: dict[str, str], report: SyncReport) -> None:
    """Fetch these articles' records and chunks and write them into SQLite in one go."""
    wanted = _records(store, ids, report)
    cids = [c for _, _, cs in wanted.values() for c in cs]
    found: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for i in range(0, len(cids), 1000):
        res = store.collection.get(ids=cids[i : i + 1000], include=["documents", "metadatas"])
        for cid, doc, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True):
            found[cid] = (doc, m or {})
    pulled = []
    for aid, (text, meta, cs) in wanted.items():
        chunks = _chunk_rows(aid, text, cs, found)
        if chunks is None:
            # A write of this article is under way on another host (its chunks are being
            # replaced), or one was interrupted; that host's next write changes the revision.
            logger.warning("the server holds %s without all its chunks; skipped", aid)
            report.skipped += 1
            continue
        pulled.append((row_from_record(aid, meta, text), chunks, group_from_record(meta)))
        if aid in local:
            report.updated += 1
        else:
            report.added += 1
    with store.db:
        for row, chunks, group in pulled:
            store.db.put_article(row, chunks)
            if group is not None:
                put_group(store.db, row[0], *group)


def _records(
    store: Store, ids: list[str], report: SyncReport
) -> dict[str, tuple[str, dict[str, Any], list[str]]]:
    """id -> (text, record metadata, chunk ids) of these articles' records on the server."""
    got = store.records.get(ids=ids, include=["documents", "metadatas"])
    wanted: dict[str, tuple[str, dict[str, Any], list[str]]] = {}
    for aid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        meta = meta or {}
        try:
            n, h = int(meta["chunks"]), str(meta["content_hash"])
        except (KeyError, TypeError, ValueError):
            logger.warning("the server's record of %s is incomplete; skipped", aid)
            report.skipped += 1
            continue
        wanted[aid] = (text or "", meta, [chunk_id_for(aid, h, p) for p in range(n)])
    return wanted


def _drop_or_publish(store: Store, ids: list[str], report: SyncReport) -> None:
    """Local articles the server has no record of: gone there, or never published.

    A delete removes the vectors before the record, so an article whose chunk vectors are
    all still on the server was never deleted: an older qa (before article records) wrote
    it, and its record is published from here instead of losing it.
    """
    chunks = {aid: store.db.chunk_ids(aid) for aid in ids}
    wanted = [c for cs in chunks.values() for c in cs]
    present: set[str] = set()
    for i in range(0, len(wanted), 1000):
        present.update(store.collection.get(ids=wanted[i : i + 1000], include=[])["ids"])
    publish = [a for a in ids if chunks[a] and all(c in present for c in chunks[a])]
    drop = [a for a in ids if a not in publish]
    if publish:
        headers = store.db.headers(publish)
        for i in range(0, len(headers), 1000):  # chunks an older qa wrote had no header
            part = headers[i : i + 1000]
            store.collection.update(
                ids=[c for c, _ in part], metadatas=[{"header": h} for _, h in part]
            )
        store.upsert_records(store.db.article_rows(publish))
        report.published += len(publish)
    with store.db:
        for aid in drop:
            store.db.delete_article(aid)
    report.removed += len(drop)


def _check_server_binding(store: Store) -> None:
    """Refuse to mirror a server into a folder that belongs to something else."""
    if (store.root / "chroma").exists():
        raise StoreError(
            f"{store.root} holds an embedded index (chroma/); give the Chroma server its own "
            "--index folder"
        )
    have, cid = store.db.meta("chroma_collection"), str(store.collection.id)
    if have and have != cid:
        raise StoreError(
            f"{store.root} was filled from another Chroma collection than "
            f"'{store.settings.collection}' on {store.settings.chroma_url} (was it re-created?); "
            "give this server an empty --index folder"
        )


def _chunk_rows(
    article_id: str,
    text: str,
    chunk_ids: list[str],
    found: dict[str, tuple[str | None, dict[str, Any]]],
) -> list[tuple[Any, ...]] | None:
    """Chunk-table rows from the server's chunk records; None unless every chunk is there and
    is the slice of `text` its offsets say (else they belong to another version)."""
    rows = []
    for position, cid in enumerate(chunk_ids):
        doc, meta = found.get(cid, (None, {}))
        try:
            start, end, header = int(meta["start"]), int(meta["end"]), str(meta["header"])
        except (KeyError, TypeError, ValueError):
            return None
        if doc is None or text[start:end] != doc:
            return None
        rows.append((cid, article_id, position, start, end, header, doc))
    return rows


def _sync_bar(progress: bool, total: int):  # type: ignore[no-untyped-def]
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="syncing", total=total, unit=" article", file=sys.stderr, dynamic_ncols=True)

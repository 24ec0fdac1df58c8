"""The index folder's two cross-process locks (flock on files in the folder).

`.lock`, the write lock: one writer per index at a time (ingest, delete, verify, sync), held for
the whole write; others wait, then get a clear error. Readers never take it.

`.open-lock`, the open lock: held only while creating or opening the index's files (FORMAT.json,
the SQLite schema, embedded Chroma's client). Chroma sets its schema up on a folder's first open
and two processes doing that at once crash ("table collections already exists"), so everyone,
readers included, opens under this lock. Nobody holds it for longer than an open, so a reader
never waits behind a long ingest.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from qa.store.base import IndexBusy, StoreError

WRITE_LOCK = ".lock"
OPEN_LOCK = ".open-lock"
LOCK_FILES = frozenset({WRITE_LOCK, OPEN_LOCK})  # may sit in a folder before it is an index
OPEN_WAIT = 120.0  # seconds: many processes opening at once on a busy machine, one by one

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def write_lock(root: Path, wait: float) -> Iterator[None]:
    """One writer per index across processes; others wait `wait` seconds, then IndexBusy."""
    with _flock(root / WRITE_LOCK, wait, f"{root} is in use by another writer; waiting…") as got:
        if not got:
            raise IndexBusy(
                f"{root} is busy: another qa process is writing to it. "
                "Try again when it has finished."
            )
        yield


@contextlib.contextmanager
def open_lock(root: Path) -> Iterator[None]:
    """Around creating or opening the index's files: one process at a time, briefly."""
    with _flock(root / OPEN_LOCK, OPEN_WAIT, None, poll=0.02) as got:
        if not got:
            raise StoreError(
                f"{root} could not be opened: another process kept it locked for "
                f"{OPEN_WAIT:.0f} s while opening it"
            )
        yield


@contextlib.contextmanager
def _flock(path: Path, wait: float, warning: str | None, poll: float = 0.2) -> Iterator[bool]:
    """Yields True holding an exclusive flock on `path`, or False after `wait` seconds."""
    with open(path, "a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if warning and wait > 0:
                    logger.warning("%s", warning)
                    warning = None  # said once
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(poll)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)

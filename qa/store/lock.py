"""The index folder's cross-process write lock (flock on `.lock` in the folder).

One writer per index at a time (ingest, delete, verify, sync), held for the whole write;
others wait, then get a clear error. Readers never take it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from qa.store.base import IndexBusy

WRITE_LOCK = ".lock"
LOCK_FILES = frozenset({WRITE_LOCK})  # may sit in a folder before it is an index

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

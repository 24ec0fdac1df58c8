"""Keep the keyword index in the OS page cache for a long-lived process.

At a million chunks the keyword index is a 3.2 GB file, and a search reads the doclists of
its terms from it: ~20 ms when those pages are in the OS page cache, 30-45 ms when a question
brings terms whose pages are not (evals/bench/scale.py). A server (the web UI, the HTTP API)
reads the file through once at start, in a background thread, so its first questions are
answered as fast as its thousandth. SQLite has no such switch (its own cache is per
connection and starts empty), hence this reader.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

# Read when the file fits in this share of the memory the OS reports available: a cache
# that cannot hold the file would only push out what the process needs.
MEMORY_SHARE = 0.5
BLOCK = 8 << 20


def available_memory() -> int | None:
    """Bytes of memory the OS reports available (None where it does not say): Linux's
    MemAvailable, which counts the page cache it can reclaim; else the free pages."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def read_through(path: Path) -> int:
    """Read `path` once, so the OS holds its pages; the bytes read (0 when it is too large
    for the memory available, or missing)."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    free = available_memory()
    if free is not None and size > free * MEMORY_SHARE:
        return 0
    done = 0
    with path.open("rb", buffering=0) as f:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
        while chunk := f.read(BLOCK):
            done += len(chunk)
    return done


def warm_in_background(path: Path) -> threading.Thread:
    """`read_through` in a daemon thread (started), named for what it does."""
    t = threading.Thread(target=read_through, args=(path,), name="qa-warm-index", daemon=True)
    t.start()
    return t

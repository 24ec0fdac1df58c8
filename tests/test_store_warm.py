"""A server reads the keyword index into the OS page cache at start (qa/store/warm.py), so
its first questions find the index's pages cached; a file too large for the memory left is
not read (it would only push out what the process needs)."""

from __future__ import annotations

import threading
from pathlib import Path

from qa.store import warm
from tests.api_server import serving


def test_the_index_is_read_through_once(seed_kb) -> None:
    path = seed_kb.store.db.path
    assert seed_kb.store.warm(wait=True) == path.stat().st_size > 0


def test_the_memory_available_counts_what_the_os_can_reclaim() -> None:
    got = warm.available_memory()
    assert got is not None and got > 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():  # Linux: MemAvailable, not only the free pages
        line = next(x for x in meminfo.read_text().splitlines() if x.startswith("MemAvailable"))
        assert abs(got - int(line.split()[1]) * 1024) < 256 << 20


def test_a_file_larger_than_half_the_memory_left_is_not_read(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "articles.sqlite"
    big.write_bytes(b"x" * 3000)
    monkeypatch.setattr(warm, "available_memory", lambda: 4000)
    assert warm.read_through(big) == 0  # 3,000 bytes > half of 4,000
    monkeypatch.setattr(warm, "available_memory", lambda: 8000)
    assert warm.read_through(big) == 3000
    assert warm.read_through(tmp_path / "missing.sqlite") == 0


def test_a_server_warms_its_index_unless_told_not_to(kb, monkeypatch) -> None:
    started: list[Path] = []
    real = warm.warm_in_background

    def noting(path: Path) -> threading.Thread:  # the real reader, noting what it reads
        started.append(path)
        return real(path)

    monkeypatch.setattr(warm, "warm_in_background", noting)
    kb.settings = kb.settings.model_copy(update={"warm_index": False})
    with serving(kb):
        assert started == []
    kb.settings = kb.settings.model_copy(update={"warm_index": True})
    with serving(kb):
        assert started == [kb.store.db.path]

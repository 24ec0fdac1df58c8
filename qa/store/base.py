"""The names every storage piece shares: errors, search filters and results, source keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class StoreError(RuntimeError):
    """The index cannot be opened or written; the message says what to do."""


class IndexBusy(StoreError):
    """Another process holds the index's write lock."""


def source_key(source: str | None) -> str:
    """A source name as filters compare it: trimmed, case-insensitive."""
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


def window_sql(filters: Filters, alias: str = "a") -> tuple[list[str], list[Any]]:
    """The filters as SQL conditions on the articles table under `alias` (qa/store/db.py)."""
    where: list[str] = []
    args: list[Any] = []
    if filters.sources:
        where.append(f"{alias}.source_key IN ({','.join('?' * len(filters.sources))})")
        args += [source_key(s) for s in filters.sources]
    if filters.since:
        where.append(f"{alias}.published_at >= ?")
        args.append(filters.since)
    if filters.until:
        where.append(f"{alias}.published_at <= ?")
        args.append(filters.until)
    return where, args

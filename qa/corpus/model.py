"""What the corpus package hands on: a cleaned `Article`, the `Cleaned` text a cleaner
returns, and the size limits that keep one stray file from exhausting memory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Files read whole (.txt .md .html .json) above this size are refused before reading, so a
# stray 5 GB dump cannot exhaust memory; .jsonl is streamed line by line and has no limit.
MAX_FILE_BYTES = 25 * 1024 * 1024
# One article above this is almost certainly not an article (a log, a book, a dump): about
# 300k words, or 1,500 chunks of embedding.
MAX_ARTICLE_CHARS = 2_000_000


@dataclass(frozen=True)
class Article:
    """One cleaned article, ready for chunking; `id` is stable across re-ingests."""

    id: str
    text: str  # cleaned body; paragraphs separated by "\n\n"; title not repeated in it
    title: str
    source: str | None = None
    published_at: str | None = None  # YYYY-MM-DD
    url: str | None = None
    author: str | None = None
    origin: str = ""  # "path" or "path:line"

    @property
    def content_hash(self) -> str:
        """sha256 of the whitespace-normalised text: spots the same article under two ids."""
        return hashlib.sha256(" ".join(self.text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Cleaned:
    """Result of `clean_text`: the body plus whatever metadata the text itself stated."""

    text: str
    title: str | None = None
    source: str | None = None
    published_at: str | None = None
    author: str | None = None

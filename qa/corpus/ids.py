"""Stable article ids, so re-ingesting the same input updates rather than duplicates.

A file's name is its article's id as written (.txt .md .html); a JSON record's id is its
"id" field, else "<slug of the url's last segment>-<8 hex of sha1(url)>", else
"t-<16 hex of sha1(text)>". `check_id` refuses what cannot serve as an id.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit


def domain(url: str) -> str | None:
    """The host of `url` without "www.": the source of an article that names none."""
    host = urlsplit(url if "//" in url else "//" + url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60].strip("-")


def id_from_url(url: str) -> str:
    """Readable and stable: "<last path segment slug>-<8 hex of sha1(url)>"."""
    parts = urlsplit(url if "//" in url else "//" + url)
    segments = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.I) if segments else ""
    name = slug(last) or slug(parts.hostname or "") or "url"
    return f"{name}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def id_from_text(text: str) -> str:
    return "t-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def check_id(value: str) -> str | None:
    """The reason an id is unusable, or None when it is fine."""
    if not value:
        return "is empty"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "contains control characters (newline, tab, ...)"
    if len(value) > 512:
        return "is longer than 512 characters"
    return None

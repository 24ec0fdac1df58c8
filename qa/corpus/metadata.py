"""The metadata a news page states in its own lines: bylines ("By Jane Doe | Reuters"),
datelines ("Updated 10:42 AM ET, Sept. 1, 2025") and syndication pointers ("Read this on X").

Each `parse_*` takes what a line states into a `Meta` record and says whether the line was
such a line, so the cleaner can drop it from the body. Each refuses body sentences that
merely start the same way ("By Monday, officials said ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.corpus.dates import find_date, parse_date
from qa.corpus.ids import domain

# Bylines: "By: CBS Politics Posted On: September 01, 2025 View: 1", "By Jane Doe | Sept. 1".
_BYLINE = re.compile(
    r"^(?:by|written by|words by|reported by|posted by)\s*:?\s+(?P<rest>\S.*)$", re.I
)
_BYLINE_SPLIT = re.compile(
    r"\s*(?:\||\u2022|\u00b7|\s[-\u2013\u2014]\s)\s*"
    r"|\s+(?=(?:posted|published|updated|last updated|views?|date)\b(?:\s+on)?\s*:)",
    re.I,
)
_LABEL = re.compile(
    r"^(?P<label>posted|published|updated|last updated|first published|views?|date)\b"
    r"(?:\s+on)?\s*:?\s*",
    re.I,
)
_NAME = re.compile(
    r"^[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|and|&|de|da|del|der|van|von|la|le|al|bin))*$"
)
# Words that make a byline name an outlet or desk rather than a person.
_OUTLET_WORDS = re.compile(
    r"\b(?:news|politics|desk|staff|press|times|post|journal|reuters|ap|afp|associated|wire"
    r"|media|daily|tribune|herald|guardian|bloomberg|agency|editorial|team|service|network"
    r"|bbc|cnn|npr|cbs|nbc|abc|fox|msnbc|telegraph|gazette|magazine|online|world|report)\b",
    re.I,
)
# Datelines: "Published: ...", "Updated 10:42 AM ET, Sept. 1, 2025".
_DATELINE = re.compile(
    r"^(?P<label>published|posted|updated|last updated|first published)\b(?:\s+(?:on|at))?\s*:?\s*"
    r"(?P<rest>.*)$",
    re.I,
)
# The time-only rest of a dateline: "10:42 AM ET", "3 hours ago".
_TIME_ONLY = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?|\d+\s+(?:minutes?|hours?|days?)"
    r"\s+ago)\W*$",
    re.I,
)
# "Read this on CBS Politics", "Read more at cbsnews.com", "Originally published by X".
_READ_ON = re.compile(
    r"^(?:read (?:this|more|the (?:full|original) (?:story|article))(?: on| at)?"
    r"|continue reading (?:on|at)|originally published (?:by|on|at|in)"
    r"|this (?:article|story) (?:was )?(?:originally )?(?:appeared|published) (?:on|in|at|by))"
    r"\s*:?\s+(?P<source>\S.{0,80}?)[\s.!]*$",
    re.I,
)


@dataclass
class Meta:
    """What the page stated about itself so far; the first statement of each field wins."""

    title: str | None = None
    source: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    author: str | None = None
    read_on: str | None = None


def is_name(value: str, max_words: int) -> bool:
    """Capitalised words, as person, desk and outlet names are (not a clause)."""
    return bool(_NAME.match(value)) and len(value.split()) <= max_words


def _is_outlet(name: str) -> bool:
    return bool(_OUTLET_WORDS.search(name))


def _clean_source(value: str) -> str | None:
    value = value.strip().strip("\"'\u201c\u201d").rstrip(".!,;:")
    if value.lower().startswith(("http://", "https://", "www.")):
        return domain(value) or None
    return value or None


def _byline_parts(rest: str) -> tuple[str | None, list[str], str | None]:
    """A byline's text after "By" split into (names, outlets, date)."""
    names: str | None = None
    outlets: list[str] = []
    date = None
    for i, seg in enumerate(s for s in _BYLINE_SPLIT.split(rest) if s and s.strip()):
        seg = seg.strip(" ,;")
        label = _LABEL.match(seg)
        if label and label.group("label").lower().startswith("view"):
            continue  # "View: 1" is a page counter
        if label:
            seg = seg[label.end() :]
        found = find_date(seg)
        if found:
            date = date or found[0]
            seg = (seg[: found[1].start()] + seg[found[1].end() :]).strip(" ,;")
        if not seg:
            continue
        parts = [p.strip() for p in seg.split(",") if p.strip()]
        if i == 0 and not label:
            names = parts[0]
            outlets += parts[1:]
        elif _NAME.match(seg) and _is_outlet(seg):
            outlets.append(seg)
    return names, outlets, date


def parse_byline(line: str, meta: Meta) -> bool:
    """Take author/outlet/date from a byline line; False if the line is not a byline."""
    m = _BYLINE.match(line)
    if not m or len(line) > 200:
        return False
    names, outlets, date = _byline_parts(m.group("rest"))
    if not names or not all(is_name(n, 8) for n in (names, *outlets)):
        return False  # "By Monday, officials said ..." is a sentence, not a byline
    if not date and re.search(r"[.!?][\"'\u201d\u2019]*$", line):
        return False
    if _is_outlet(names) and not outlets:
        meta.source = meta.source or names  # "By: CBS Politics": a desk, not a person
    else:
        meta.author = meta.author or names
        if outlets:
            meta.source = meta.source or outlets[0]
    meta.published_at = meta.published_at or date
    return True


def parse_dateline(line: str, meta: Meta) -> bool:
    """Datelines ("Published: Sept. 1, 2025", "Updated 10:42 AM ET"): keep the date."""
    m = _DATELINE.match(line)
    if not m or len(line) > 120:
        return False
    rest = m.group("rest")
    found = find_date(rest)
    if found:
        leftover = rest[: found[1].start()] + rest[found[1].end() :]
        if len(leftover.strip(" ,;|")) > 40:
            return False  # a sentence that mentions a date, not a dateline
    elif not _TIME_ONLY.match(rest):
        return False  # "Published in 1999, the book ..." is body text
    if found:
        if m.group("label").lower() in ("updated", "last updated"):
            meta.updated_at = meta.updated_at or found[0]
        else:
            meta.published_at = meta.published_at or found[0]
    return True


def parse_read_on(line: str, meta: Meta) -> bool:
    """Syndication pointers ("Read this on X", "Originally published by X"): the source."""
    read_on = _READ_ON.match(line)
    named = _clean_source(read_on.group("source")) if read_on else None
    if named and (is_name(named, 8) or "." in named):
        meta.read_on = meta.read_on or named
        return True
    return False


def is_metadata_line(line: str) -> bool:
    """A byline or dateline (parsed into a scratch record): never a title."""
    scratch = Meta()
    return parse_byline(line, scratch) or parse_dateline(line, scratch) or bool(parse_date(line))

"""Dates as publishers write them ("Sept. 1, 2025", "1st Sept. 2025", ISO, US "09/01/2025"),
read into YYYY-MM-DD with the stdlib only: a whole field (`parse_date`) or the first date
inside a byline or dateline (`find_date`)."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})\b"
_DATE_PATTERNS = [
    # September 01, 2025 / Sept. 1, 2025 / Aug. 19 2025
    re.compile(_WEEKDAY + _MONTH + r"\.?\s+" + _DAY + r",?\s+" + _YEAR, re.I),
    # 1 September 2025 / 1st Sept. 2025
    re.compile(_WEEKDAY + r"\b" + _DAY + r"\s+" + _MONTH + r"\.?,?\s+" + _YEAR, re.I),
    # 2025-09-01 (also the date part of an ISO datetime) / 2025/09/01
    re.compile(r"\b(?P<year>\d{4})[-/](?P<mnum>\d{1,2})[-/](?P<day>\d{1,2})(?![\d/])"),
    # 09/01/2025: read as US month/day/year
    re.compile(r"\b(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
]  # fmt: skip
# What may follow a date in a field: a time, a zone, "ET", "GMT+1"...
_TIME_TAIL = re.compile(
    r"(?:(?:[T\s,]|\s+at\s+|\s*[|/-]\s*)+\d{1,2}(?::\d{2}){0,2}(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?)?\s*$",
    re.I,
)


def _match_to_iso(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    month = _MONTHS[parts["month"][:3].lower()] if parts.get("month") else int(parts["mnum"])
    try:
        return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except ValueError:  # 2025-02-30 and the like
        return None


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date stated anywhere in `text`, for bylines and datelines."""
    found = [(m.start(), i, m) for i, p in enumerate(_DATE_PATTERNS) if (m := p.search(text))]
    for _, _, m in sorted(found, key=lambda t: (t[0], t[1])):
        iso = _match_to_iso(m)
        if iso:
            return iso, m
    return None


def parse_date(value: str) -> str | None:
    """Read a whole date field ("Sept. 1, 2025", ISO datetime with zone, "09/01/2025" as US)
    into YYYY-MM-DD; None when the value is not (only) a date. Stdlib only on purpose."""
    s = " ".join(value.split())
    if not s:
        return None
    try:  # ISO dates and datetimes, with or without zone: keep the date as the publisher wrote it
        return dt.datetime.fromisoformat(s.replace("z", "Z")).date().isoformat()
    except ValueError:
        pass
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m and _TIME_TAIL.fullmatch(s, m.end()):
            return _match_to_iso(m)
    return None

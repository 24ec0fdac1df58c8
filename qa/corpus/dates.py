"""Dates as publishers write them ("Sept. 1, 2025", "1st Sept. 2025", ISO, "09/01/2025",
"24/07/2025", "15.06.2025"), read into YYYY-MM-DD with the stdlib only: a whole field
(`parse_date`) or the first date inside a byline or dateline (`find_date`).

Numeric dates (day and month both numbers) are ambiguous; the rule, in order:
1. a number over 12 settles it: "24/07/2025" is day-first, "07/24/2025" month-first;
2. else the page's own unambiguous numeric dates decide (`numeric_order`), when they agree;
3. else the separator: dots and dashes ("05.06.2025", "05-06-2025") are read day-first, as
   the countries that write them do; slashes ("09/01/2025") month-first, as US pages do.
dateparser (used for questions, qa/when.py) is not used here: it would need the same order
decided for it (its DATE_ORDER), and reading whole lines with it finds dates in body text."""

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
    # 09/01/2025, 24/07/2025, 15.06.2025: which number is the day, see the module doc
    re.compile(
        _WEEKDAY + r"\b(?P<n1>\d{1,2})(?P<sep>[/.-])(?P<n2>\d{1,2})(?P=sep)(?P<year>\d{4})\b", re.I
    ),
]  # fmt: skip
_NUMERIC = _DATE_PATTERNS[-1]
# What may follow a date in a field: a time, a zone, "ET", "GMT+1"...
_TIME_TAIL = re.compile(
    r"(?:(?:[T\s,]|\s+at\s+|\s*[|/-]\s*)+\d{1,2}(?::\d{2}){0,2}(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?)?\s*$",
    re.I,
)


def _order(m: re.Match[str]) -> bool | None:
    """Whether a numeric date is day-first by its numbers alone (None: both could be)."""
    n1, n2 = int(m.group("n1")), int(m.group("n2"))
    if n1 > 12 and n2 <= 12:
        return True
    if n2 > 12 and n1 <= 12:
        return False
    return None


def numeric_order(text: str) -> bool | None:
    """Whether the page's numeric dates are day-first: True or False when every one whose
    numbers settle it agrees, None when none settles it or they disagree."""
    orders = {o for m in _NUMERIC.finditer(text) if (o := _order(m)) is not None}
    return orders.pop() if len(orders) == 1 else None


def _match_to_iso(m: re.Match[str], day_first: bool | None = None) -> str | None:
    parts = m.groupdict()
    if parts.get("n1"):
        order = _order(m)
        if order is None:
            order = day_first if day_first is not None else parts["sep"] != "/"
        day, month = (parts["n1"], parts["n2"]) if order else (parts["n2"], parts["n1"])
        parts |= {"day": day, "mnum": month}
    month = _MONTHS[parts["month"][:3].lower()] if parts.get("month") else int(parts["mnum"])
    try:
        return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except ValueError:  # 2025-02-30 and the like
        return None


def find_date(text: str, day_first: bool | None = None) -> tuple[str, re.Match[str]] | None:
    """The first date stated anywhere in `text`, for bylines and datelines; `day_first` is
    the page's numeric order (`numeric_order`), if known."""
    found = [(m.start(), i, m) for i, p in enumerate(_DATE_PATTERNS) if (m := p.search(text))]
    for _, _, m in sorted(found, key=lambda t: (t[0], t[1])):
        iso = _match_to_iso(m, day_first)
        if iso:
            return iso, m
    return None


def parse_date(value: str, day_first: bool | None = None) -> str | None:
    """Read a whole date field ("Sept. 1, 2025", ISO datetime with zone, "24/07/2025") into
    YYYY-MM-DD; None when the value is not (only) a date. Stdlib only on purpose."""
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
            return _match_to_iso(m, day_first)
    return None

"""The question's time: "yesterday", "last week", "in March", "since 1 August" become a
published-date window for retrieval; "latest", "current", "now", "still" a preference for the
most recent relevant reports.

The phrase around a date ("since X", "between X and Y", "on X", "last week") is found by the
small patterns below; the date itself ("1 August", "March", "Tuesday", "2025") and its size (a
day, a week, a month, a year) are dateparser's, relative to the question's date `as_of`. A
phrase that looks like a date but is none ("since 31 February") is an error that names it
(`TimeError`), never a silent guess.

Windows are of publication dates, so a day's window ends one day after it (news of an event
comes out that day or the next), and a week's, a month's or a year's at `as_of` ("inflation
in February" is reported in March); a window never ends after `as_of`, and "between X and Y"
ends one day after Y. Explicit `since`/`until` filters
win over a parsed window.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
# A date dateparser is asked to read: "1 August", "August 1st, 2025", "March 2025", "2025",
# "2025-03-01", "Tuesday".
_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{_ORD}\s+(?:of\s+)?(?:{_MONTHS})\b(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\b\.?(?:\s*{_ORD}\b)?(?:,?\s+\d{{4}})?|(?:19|20)\d{{2}}\b|(?:{_WEEKDAYS})\b)"
)
_UNIT = r"day|week|month|year|weekend"
_NUM = r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("between", rf"\bbetween\s+(?P<a>{_DATE})\s+and\s+(?P<b>{_DATE})"),
    ("between", rf"\bfrom\s+(?P<a>{_DATE})\s+(?:to|until|till)\s+(?P<b>{_DATE})"),
    ("since", rf"\b(?:since|from|after)\s+(?P<a>{_DATE}|yesterday|last\s+(?:{_UNIT}))"),
    ("until", rf"\b(?:until|till|before|up\s+to|as\s+of)\s+(?P<a>{_DATE}|yesterday|today)"),
    ("on", rf"\b(?:on|in|during|last|this\s+past)\s+(?P<a>{_DATE})"),
    ("on", rf"\b(?P<a>(?:{_NUM})\s+(?:{_UNIT})s?\s+ago)\b"),
    ("on", rf"\b(?:earlier\s+|later\s+)?(?P<a>(?:last|this|past|previous)\s+(?:{_UNIT}))\b"),
    ("on", r"\b(?P<a>yesterday|today|tonight|this\s+morning|this\s+afternoon)(?:['’]s)?\b"),
)
_COMPILED = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _PATTERNS)
# Words that ask for the newest report rather than a window.
_RECENCY = re.compile(
    r"\b(?:latest|most\s+recent|newest|current(?:ly)?|now|still|so\s+far|to\s+date|"
    r"at\s+the\s+moment|as\s+it\s+stands|up\s+to\s+date|as\s+of)\b",
    re.IGNORECASE,
)
_TODAY = {"today", "tonight", "this morning", "this afternoon"}


class TimeError(ValueError):
    """A date in the question or a date setting that is not a date; the message names it."""


@dataclass(frozen=True)
class TimeScope:
    """The time a question is asked in, and what it made of the question's own time words."""

    as_of: str  # the question's "today", ISO
    since: str | None = None  # the published-date window retrieval used (inclusive)
    until: str | None = None
    phrase: str | None = None  # the question's words that set the window
    recency: bool = False  # "latest", "now", "still": prefer the newest relevant reports
    origin: Literal["question", "filters", "as_of", "none"] = "none"  # where the window came from
    query: str = ""  # the question without the time phrase (what retrieval searches for)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["query"]
        return d

    def describe(self) -> str:
        """One line for the status line: the window used and why."""
        if self.since or self.until:
            span = f"{self.since or 'any date'} to {self.until or 'any date'}"
            why = f' ("{self.phrase}", as of {self.as_of})' if self.phrase else ""
            text = f"articles published {span}{why}"
        else:
            text = f"articles of any date (as of {self.as_of})"
        return text + ("; newest reports first" if self.recency else "")


def describe_window(window: dict[str, Any]) -> str:
    """`Answer.window` (a `TimeScope.to_dict()`) as the status line says it."""
    return TimeScope(**window).describe()


def parse_day(value: str | date | None, name: str = "as_of") -> date | None:
    """An ISO date setting or argument (`as_of`, `--as-of`); a clear error naming `name`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise TimeError(f"{name}: expected a date like 2025-08-01, got {value!r}") from None


def question_time(
    question: str,
    as_of: date | None = None,
    *,
    parse: bool = True,
    since: str | None = None,
    until: str | None = None,
    cap: bool = False,
) -> TimeScope:
    """The question's window and recency preference, as of `as_of` (default: today).

    Explicit `since`/`until` (already validated ISO strings) win over a parsed window; with
    `parse=False` the question's words are not read at all. With `cap` (an `as_of` the caller
    chose: an archive's "today"), nothing published after `as_of` is searched.
    """
    scope = _scope(question, as_of or date.today(), parse, since, until)
    if cap and not (scope.until and scope.until <= scope.as_of):
        origin = scope.origin if scope.origin != "none" else "as_of"
        return replace(scope, until=scope.as_of, origin=origin)  # type: ignore[arg-type]
    return scope


def _scope(
    question: str, today: date, parse: bool, since: str | None, until: str | None
) -> TimeScope:
    recency = bool(parse and _RECENCY.search(question))
    if since or until:
        return TimeScope(today.isoformat(), since, until, None, recency, "filters", question)
    if not parse:
        return TimeScope(today.isoformat(), query=question)
    found = find_window(question, today)
    if found is None:
        return TimeScope(today.isoformat(), recency=recency, query=question)
    (start, end), (a, b) = found
    query = " ".join((question[:a] + " " + question[b:]).split())
    return TimeScope(
        today.isoformat(),
        start.isoformat() if start else None,
        end.isoformat(),
        question[a:b].strip(),
        recency,
        "question",
        query or question,
    )


def find_window(
    question: str, today: date
) -> tuple[tuple[date | None, date], tuple[int, int]] | None:
    """The first time phrase in the question: ((since, until), (start, end) of the phrase)."""
    for kind, rx in _COMPILED:
        for m in rx.finditer(question):
            window = _window(kind, m, today)
            if window is not None:
                return window, m.span()
    return None


def _window(kind: str, m: re.Match[str], today: date) -> tuple[date | None, date] | None:
    """The published-date window of one matched phrase (None: not a time phrase after all)."""
    if kind == "between":
        b_text = m["b"]
        a_text = m["a"] if _has_year(m["a"]) or not _has_year(b_text) else m["a"] + _year(b_text)
        first, _ = span_of(a_text, today)
        _, last = span_of(b_text, today)
        return _clip(first, last, today, m[0])
    first, last = span_of(m["a"], today)
    if kind == "since":
        return _clip(first, today, today, m[0])
    if kind == "until":
        if m[0].lower().startswith("before"):
            return None, min(first - timedelta(days=1), today)
        return None, min(last + timedelta(days=1), today)
    if m["a"].lower() in _TODAY:
        return today, today
    if (last - first).days >= 6:  # a week, a month, a year: its news keeps coming after it
        return _clip(first, today, today, m[0])
    return _clip(first, last, today, m[0])


def _clip(first: date, last: date, today: date, phrase: str) -> tuple[date, date] | None:
    """End a window one day after the time it names (reports follow events), never after
    `today`. A time wholly after `today` ("the routes opening in 2027") is when the event is
    due, not when it is reported: reports of it come before it, so it sets no window (None)
    and its words stay in the query."""
    if first > today:
        return None
    if last < first:
        raise TimeError(f'"{phrase.strip()}" ends before it starts')
    return first, min(last + timedelta(days=1), today)


def span_of(text: str, today: date) -> tuple[date, date]:
    """The first and last day `text` names ("March" -> the month, "last week" -> Monday to
    Sunday), read by dateparser relative to `today` and preferring the past."""
    parsed = _parser(today).get_date_data(" ".join(text.split()))
    if parsed.date_obj is None:
        raise TimeError(f'"{text.strip()}" is not a date')
    d = parsed.date_obj.date()
    period = parsed.period or "day"
    if re.search(r"\bthis\s+week|\bweek\b.*\bago|\blast\s+week", text, re.I):
        period = "week"
    if period == "week" or text.lower().endswith("weekend"):
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        first = d.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt - timedelta(days=1)
    if period == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d


def _has_year(text: str) -> bool:
    return bool(re.search(r"\b(?:19|20)\d{2}\b", text))


def _year(text: str) -> str:
    m = re.search(r"\b(?:19|20)\d{2}\b", text)
    return f" {m[0]}" if m else ""


@lru_cache(maxsize=64)
def _parser(today: date) -> Any:
    """dateparser, English, relative to `today`, past dates preferred; made once per day
    (loading its language data costs ~0.5 s the first time)."""
    from dateparser.date import DateDataParser

    base = datetime(today.year, today.month, today.day, 12)
    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False},
    )

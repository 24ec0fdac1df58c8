"""Load news articles from files, clean away page furniture, and give each a stable id.

Everything downstream (chunking, citations, the extractive answerer) quotes the cleaned text,
so cleaning decides what a citation can show: captions, bylines and aggregator footers must
go, real body sentences must stay word for word.

Bad input never raises: `load` yields an `IngestFailure` naming the file (and line/field)
and carries on with the next file or record.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qa.text import sentences
from qa.types import IngestFailure

__all__ = [
    "SUPPORTED",
    "Article",
    "Cleaned",
    "clean_text",
    "derive_title",
    "load",
    "parse_date",
]

SUPPORTED = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")

TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published_at", "date")
TITLE_MAX = 90  # derived titles are cut to about this many characters
# Files read whole (.txt .md .html .json) above this size are refused before reading, so a
# stray 5 GB dump cannot exhaust memory; .jsonl is streamed line by line and has no limit.
MAX_FILE_BYTES = 25 * 1024 * 1024
# One article above this is almost certainly not an article (a log, a book, a dump): about
# 300k words, or 1,500 chunks of embedding.
MAX_ARTICLE_CHARS = 2_000_000
HTML_MIN_CHARS = 40  # less extracted text than this is page chrome, not an article


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


# --------------------------------------------------------------------------- dates

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


def _find_date(text: str) -> tuple[str, re.Match[str]] | None:
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


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


def derive_title(text: str) -> str:
    """A title for an article that states none: its first sentence, cut at a word near 90
    chars with "…", so lists and citations still show something readable."""
    spans = sentences(text)
    if not spans:
        return "Untitled"
    first = text[spans[0][0] : spans[0][1]]
    if len(first) <= TITLE_MAX:
        return first
    cut = first[: TITLE_MAX - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


# --------------------------------------------------------------------------- cleaning

# Odd spaces (NBSP, thin, ideographic...) that break matching and splitting.
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters (zero-width, BOM) that only get in the way.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_TERMINAL = re.compile(r"[.!?:;,\u2026][\"'\u201d\u2019)\]]*$")
_SMALL_WORDS = _words(
    "a an the and or but nor for of in on at to by with from as vs via into over per"
)

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
# Ads in the middle of the text: "Advertisement", "Story continues below advertisement".
_ADVERT = re.compile(
    r"^(?:advertisement|advert|sponsored|ad|(?:story|article) continues (?:below|after)"
    r"(?: (?:this )?advertisement)?|advertisement\W+scroll to continue)\W*$",
    re.I,
)

# Photo credits that end a caption line.
_AGENCY = (
    r"(?:Getty Images|Getty|AFP via Getty Images|AFP|Reuters|REUTERS|AP Photo|AP|"
    r"Associated Press|EPA|EPA-EFE|Shutterstock|Alamy|Bloomberg|PA Images|PA|Xinhua|Sipa)"
)
_CREDITS = [
    # "(credit: REUTERS/KEVIN LAMARQUE)", "(Photo: AP)", "(Image credit: NASA)"
    re.compile(
        r"\((?:photo(?:graph)?|image|picture|pictured|credit|source)s?(?:\s+credits?)?\s*[:\-]"
        r"[^()]{1,100}\)$",
        re.I,
    ),
    # "(AP Photo/Evan Vucci)", "(Jim Watson/AFP via Getty Images)"
    re.compile(r"\([^()]{0,80}(?:/|\bvia\b|\bPhoto\b)[^()]{0,80}\)$"),
    # "... Andrew Harnik/Getty", "REUTERS/KEVIN LAMARQUE", "AP Photo/Evan Vucci"
    re.compile(
        r"(?:^|(?<=\s))[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}/"
        r"[A-Z][\w.'\u2019&-]*(?:\s+(?:via\s+)?[A-Z][\w.'\u2019&-]*){0,4}$"
    ),
    # "... Aug. 15, 2025. Getty", "Getty Images", "AFP via Getty Images", "... Reuters"
    re.compile(r"(?:^|(?<=[\s.,;]))" + _AGENCY + r"$"),
    # "... Photo: John Smith", "Credit: NASA"
    re.compile(
        r"(?:^|(?<=[\s.,;|]))(?:photo|photograph|image|picture|photo credit|credit)s?\s*:"
        r"\s*[^.!?:]{1,80}$",
        re.I,
    ),
]

# Footer vocabulary of aggregators and site chrome, only ever removed from the tail.
_FOOTER_VOCAB = re.compile(
    r"\bnews aggregator\b|\ball rights reserved\b|\u00a9|\(c\)\s*\d{4}|\bsubscribe\b"
    r"|\bnewsletters?\b|\bprivacy policy\b|\bterms of (?:use|service)\b|\bfollow us\b"
    r"|\bcookie policy\b|\bsign up for\b|\bdownload (?:our|the) app\b",
    re.I,
)
_FOOTER_LONE = re.compile(
    r"^(?:about(?: us)?|advertisement|share(?: this(?: article| story)?)?|comments?|related"
    r"(?: (?:articles|stories|coverage))?|tags|topics|print|email|more|read more|trending"
    r"|recommended|top stories|back to top|see also)\W*$",
    re.I,
)

# Light markdown, for .md files.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_LINKDEF = re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _normalise(raw: str) -> list[str]:
    """Unify newlines and odd spaces, strip each line; returns lines ("" for blank)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    return [" ".join(line.split()) for line in text.split("\n")]


def _strip_markdown(lines: list[str]) -> tuple[list[str], str | None]:
    """Markdown to plain text: a leading "# Heading" is the title; emphasis, links and
    heading marks go so quotes match what a reader sees."""
    title = None
    out: list[str] = []
    first = next((i for i, line in enumerate(lines) if line), None)
    for i, line in enumerate(lines):
        if _MD_LINKDEF.match(line) or _MD_RULE.match(line):
            out.append("")  # link definitions and horizontal rules are layout, not text
            continue
        if _MD_SETEXT.match(line) and out and out[-1]:
            if title is None and len([x for x in out if x]) == 1:
                title = out[-1]  # "Title\n=====" on the first line
                out[-1] = ""
            out.append("")
            continue
        heading = _MD_HEADING.match(line)
        line = heading.group(1) if heading else _MD_QUOTE.sub("", line)
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_REFLINK.sub(r"\1", line)
        line = _MD_AUTOLINK.sub(r"\1", line)
        for _ in range(2):  # ***both*** needs two rounds
            line = _MD_STRONG.sub(r"\2", line)
            line = _MD_EM_STAR.sub(r"\1", line)
            line = _MD_EM_UNDER.sub(r"\1", line)
        line = _MD_CODE.sub(r"\1", _MD_STRIKE.sub(r"\1", line)).strip()
        if heading and i == first and lines[i].startswith("# "):
            title = line  # "# Heading" at the top is the article's title
            line = ""
        out.append(line)
    return out, title


def _ends_like_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def _looks_like_headline(line: str, max_words: int = 25) -> bool:
    """Short, no closing punctuation: a headline or subhead rather than body text."""
    words = line.split()
    return 2 <= len(words) <= max_words and len(line) <= 200 and not _ends_like_sentence(line)


def _is_title_case(line: str) -> bool:
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(big) < 2:
        return False
    upper = sum(1 for w in big if w.lstrip("\"'\u201c\u2018(")[:1].isupper())
    return upper / len(big) >= 0.8


def _caption_credit(line: str) -> re.Match[str] | None:
    """The photo credit ending `line`, if it has one ("... Andrew Harnik/Getty")."""
    if len(line) > 600 or _ends_like_sentence(line):
        return None  # captions are short and credits never end in a full stop
    tail = max(0, len(line) - 220)  # every credit pattern fits in the last 220 characters
    for pattern in _CREDITS:
        m = pattern.search(line, tail)
        if m:
            return m
    return None


def _is_outlet(name: str) -> bool:
    return bool(_OUTLET_WORDS.search(name))


def _clean_source(value: str) -> str | None:
    value = value.strip().strip("\"'\u201c\u201d").rstrip(".!,;:")
    if value.lower().startswith(("http://", "https://", "www.")):
        return _domain(value) or None
    return value or None


@dataclass
class _Meta:
    title: str | None = None
    source: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    author: str | None = None
    read_on: str | None = None


def _is_name(value: str, max_words: int) -> bool:
    """Capitalised words, as person, desk and outlet names are (not a clause)."""
    return bool(_NAME.match(value)) and len(value.split()) <= max_words


def _parse_byline(line: str, meta: _Meta) -> bool:
    """Take author/outlet/date from a byline line; False if the line is not a byline."""
    m = _BYLINE.match(line)
    if not m or len(line) > 200:
        return False
    names: str | None = None
    outlets: list[str] = []
    date = None
    for i, seg in enumerate(s for s in _BYLINE_SPLIT.split(m.group("rest")) if s and s.strip()):
        seg = seg.strip(" ,;")
        label = _LABEL.match(seg)
        if label and label.group("label").lower().startswith("view"):
            continue  # "View: 1" is a page counter
        if label:
            seg = seg[label.end() :]
        found = _find_date(seg)
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
    if not names or not all(_is_name(n, 8) for n in (names, *outlets)):
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


def _parse_dateline(line: str, meta: _Meta) -> bool:
    """Datelines ("Published: Sept. 1, 2025", "Updated 10:42 AM ET"): keep the date."""
    m = _DATELINE.match(line)
    if not m or len(line) > 120:
        return False
    rest = m.group("rest")
    found = _find_date(rest)
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


def _is_metadata_line(line: str) -> bool:
    """A byline or dateline (parsed into a scratch record): never a title."""
    scratch = _Meta()
    return _parse_byline(line, scratch) or _parse_dateline(line, scratch) or bool(parse_date(line))


def _continues(prev: str, line: str) -> bool:
    """Whether `line` carries on `prev`'s sentence (hard-wrapped text) rather than starting
    a new paragraph: `prev` has no closing punctuation and is long or `line` starts lowercase."""
    return not _ends_like_sentence(prev) and (line[:1].islower() or len(prev) >= 60)


def _rebuild(lines: list[str]) -> str:
    """Lines back to paragraphs joined by a blank line; hard-wrapped lines are rejoined."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and not _continues(current[-1], line):
            paragraphs.append(" ".join(current))  # one line per paragraph, as written
            current = []
        current.append(line)
    return "\n\n".join(paragraphs)


def clean_text(raw: str, *, markdown: bool = False, title: str | None = None) -> Cleaned:
    """Strip news-page furniture from plain text and pick up the metadata it states.

    `markdown` strips light markdown first; `title`, when the caller already knows the
    title (HTML, JSON records), keeps a copy of it out of the body.
    """
    lines = _normalise(raw)
    meta = _Meta()
    if markdown:
        lines, meta.title = _strip_markdown(lines)
    known_title = title or meta.title
    drop = [False] * len(lines)

    # "Advertisement" slots anywhere in the text.
    for i, line in enumerate(lines):
        if line and _ADVERT.match(line):
            drop[i] = True

    nonblank = [i for i, line in enumerate(lines) if line and not drop[i]]
    # A title already known: its copy at the top of the text is not body.
    if known_title and nonblank and _norm(lines[nonblank[0]]) == _norm(known_title):
        drop[nonblank[0]] = True
        nonblank = nonblank[1:]
    elif not known_title and len(nonblank) >= 2:
        first, second = nonblank[0], nonblank[1]
        head = lines[first]
        if _norm(head) == _norm(lines[second]):
            # A headline printed twice at the top (page title + article heading).
            meta.title = head
            drop[first] = drop[second] = True
        elif (
            _looks_like_headline(head)
            and not _is_metadata_line(head)
            and not (second == first + 1 and _continues(head, lines[second]))
        ):
            # A headline-shaped first line (short, no closing punctuation) above the body.
            meta.title = head
            drop[first] = True
    known_title = title or meta.title

    header = set(i for i in nonblank[:6] if not drop[i])
    captions: set[str] = set()
    for i, line in enumerate(lines):
        if not line or drop[i]:
            continue
        if _parse_byline(line, meta) or _parse_dateline(line, meta):
            drop[i] = True  # byline / dateline: metadata, not body
            continue
        if i in header and len(line) <= 60 and parse_date(line):
            meta.published_at = meta.published_at or parse_date(line)
            drop[i] = True  # a bare date line under the headline
            continue
        read_on = _READ_ON.match(line)
        named = _clean_source(read_on.group("source")) if read_on else None
        if named and (_is_name(named, 8) or "." in named):
            meta.read_on = meta.read_on or named
            drop[i] = True  # "Read this on X": a syndication pointer
            continue
        credit = _caption_credit(line)
        if credit:
            drop[i] = True  # a photo caption ending in its credit
            captions.add(_norm(line))
            above = i - 1
            if (
                above >= 0
                and lines[above]
                and _looks_like_headline(lines[above], max_words=20)
                and _is_title_case(lines[above])
            ):
                drop[above] = True  # the photo's own headline right above its caption

    seen: set[str] = set()
    if known_title:
        seen.add(_norm(known_title))
    for i, line in enumerate(lines):
        if not line or drop[i]:
            continue
        key = _norm(line)
        if len(key) > 20 and any(c.startswith(key) for c in captions):
            drop[i] = True  # a caption's text again, this time without its credit
        elif len(key) > 20 and key in seen:
            drop[i] = True  # a substantial line repeated verbatim (pull quotes, re-run captions)
        else:
            seen.add(key)

    # Site and aggregator footers: lone "About"/"Share" lines and boilerplate paragraphs,
    # only at the end, stopping at the first real paragraph.
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line or drop[i]:
            continue
        if _FOOTER_LONE.match(line) or _FOOTER_VOCAB.search(line):
            drop[i] = True
        else:
            break

    kept = [line if not drop[i] else "" for i, line in enumerate(lines)]
    return Cleaned(
        text=_rebuild(kept),
        title=meta.title,
        source=meta.source or meta.read_on,
        published_at=meta.published_at or meta.updated_at,
        author=meta.author,
    )


# --------------------------------------------------------------------------- ids


def _domain(url: str) -> str | None:
    host = urlsplit(url if "//" in url else "//" + url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60].strip("-")


def _id_from_url(url: str) -> str:
    """Readable and stable: "<last path segment slug>-<8 hex of sha1(url)>"."""
    parts = urlsplit(url if "//" in url else "//" + url)
    segments = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.I) if segments else ""
    slug = _slug(last) or _slug(parts.hostname or "") or "url"
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def _id_from_text(text: str) -> str:
    return "t-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _check_id(value: str) -> str | None:
    """The reason an id is unusable, or None when it is fine."""
    if not value:
        return "is empty"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "contains control characters (newline, tab, ...)"
    if len(value) > 512:
        return "is longer than 512 characters"
    return None


# --------------------------------------------------------------------------- reading files


class _DecodeError(Exception):
    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _bom_encoding(head: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def _utf8_error(raw: bytes, exc: UnicodeDecodeError, first_line: int = 1) -> _DecodeError:
    line = first_line + raw.count(b"\n", 0, exc.start)
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = raw[exc.start]
    return _DecodeError(
        f"not valid UTF-8 (byte 0x{bad:02x} at line {line}, column {column}); "
        "save the file as UTF-8",
        line,
    )


def _decode(raw: bytes) -> str:
    """Bytes to text: BOM-marked UTF-8/16/32 honoured, else strict UTF-8."""
    encoding = _bom_encoding(raw[:4])
    if encoding and encoding != "utf-8-sig":
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _DecodeError(f"not valid {encoding.upper()} despite its byte-order mark") from exc
    if b"\x00" in raw[:8192]:
        raise _DecodeError("looks like a binary file (NUL bytes), not text")
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise _utf8_error(raw, exc) from exc


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "null" if value is None else type(value).__name__


def _from_text(path: Path, text: str, *, markdown: bool) -> Article | IngestFailure:
    cleaned = clean_text(text, markdown=markdown)
    if not cleaned.text:
        return IngestFailure(str(path), "no article text left after removing boilerplate")
    return _article(path.stem, cleaned, str(path), path)


def _from_html(path: Path, raw: bytes) -> Article | IngestFailure:
    """HTML through trafilatura (a real extractor: drops scripts, nav, footers)."""
    import trafilatura  # imported here: ~0.4 s, and only HTML needs it

    try:
        content: str | bytes = _decode(raw)
    except _DecodeError as exc:
        if exc.reason.startswith("looks like a binary"):
            return IngestFailure(str(path), exc.reason)
        content = raw  # legacy charsets: let trafilatura read the page's declared encoding
    try:
        doc = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file, not a crash
        return IngestFailure(str(path), f"could not parse the HTML: {exc}")
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(body) < HTML_MIN_CHARS:
        # A lone menu label or cookie notice is what trafilatura finds on a page with no story.
        return IngestFailure(
            str(path), f"no article text found in the HTML page ({len(body)} characters of text)"
        )
    page_title = " ".join((doc.title or "").split()) or None
    # trafilatura puts one paragraph per line; make them paragraphs for the cleaner.
    cleaned = clean_text(body.replace("\n", "\n\n"), title=page_title)
    if not cleaned.text:
        return IngestFailure(str(path), "no article text left after removing boilerplate")
    date = parse_date(doc.date) if doc.date else None
    url = doc.url or None
    source = doc.sitename or cleaned.source or doc.hostname or (_domain(url) if url else None)
    return _article(
        path.stem,
        Cleaned(
            text=cleaned.text,
            title=page_title or cleaned.title,
            source=source,
            published_at=date or cleaned.published_at,
            author=doc.author or cleaned.author,
        ),
        str(path),
        path,
        url=url,
    )


def _article(
    id_: str, cleaned: Cleaned, origin: str, path: Path, url: str | None = None
) -> Article | IngestFailure:
    id_ = id_.strip()
    problem = _check_id(id_)
    if problem:
        return IngestFailure(str(path), f"cannot make an article id from the file name: {problem}")
    return Article(
        id=id_,
        text=cleaned.text,
        title=cleaned.title or derive_title(cleaned.text),
        source=cleaned.source,
        published_at=cleaned.published_at,
        url=url,
        author=cleaned.author,
        origin=origin,
    )


def _from_record(
    record: Any, path: Path, line: int | None = None, index: int | None = None
) -> Article | IngestFailure:
    """One JSON record to an Article; explicit fields win over what the text states."""
    where = f" (record {index})" if index is not None else ""

    def fail(reason: str, field: str | None = None) -> IngestFailure:
        return IngestFailure(str(path), reason + where, line=line, field=field)

    if not isinstance(record, dict):
        return fail(f"expected a JSON object, got {_type_name(record)}")

    def get_str(*names: str) -> tuple[str | None, str | None, IngestFailure | None]:
        for name in names:
            value = record.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                return None, name, fail(f"expected a string, got {_type_name(value)}", name)
            value = " ".join(value.split()) if name not in TEXT_FIELDS else value
            if value.strip():
                return value, name, None
        return None, None, None

    text, text_field, err = get_str(*TEXT_FIELDS)
    if err:
        return err
    if text is None:
        present = next((n for n in TEXT_FIELDS if n in record), None)
        if present:
            return fail("is empty", present)
        return fail(f"missing (expected one of {', '.join(TEXT_FIELDS)})", "text")
    fields: dict[str, str | None] = {}
    for key, names in (
        ("title", ("title",)),
        ("url", ("url",)),
        ("source", ("source",)),
        ("author", ("author",)),
        ("date", DATE_FIELDS),
    ):
        value, name, err = get_str(*names)
        if err:
            return err
        fields[key] = value
        if key == "date" and value is not None:
            iso = parse_date(value)
            if iso is None:
                return fail(
                    f"cannot read the date {value!r} (expected e.g. 2025-09-01 or "
                    "September 1, 2025)",
                    name,
                )
            fields["published_at"] = iso

    cleaned = clean_text(text, title=fields["title"])
    if not cleaned.text:
        return fail("no article text left after removing boilerplate", text_field)

    raw_id = record.get("id")
    url = fields["url"]
    if raw_id is not None:
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            return fail(f"expected a string or integer, got {_type_name(raw_id)}", "id")
        id_ = str(raw_id).strip()
        problem = _check_id(id_)
        if problem:
            return fail(problem, "id")
    elif url:
        id_ = _id_from_url(url)
    else:
        id_ = _id_from_text(cleaned.text)

    return Article(
        id=id_,
        text=cleaned.text,
        title=fields["title"] or cleaned.title or derive_title(cleaned.text),
        source=fields["source"] or cleaned.source or (_domain(url) if url else None),
        published_at=fields.get("published_at") or cleaned.published_at,
        url=url,
        author=fields["author"] or cleaned.author,
        origin=f"{path}:{line}" if line is not None else str(path),
    )


def _from_json(path: Path, text: str) -> Iterator[Article | IngestFailure]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestFailure(
            str(path),
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            line=exc.lineno,
        )
        return
    if isinstance(data, dict):
        yield _from_record(data, path)
    elif isinstance(data, list):
        if not data:
            yield IngestFailure(str(path), "the JSON list holds no records")
        for i, record in enumerate(data, start=1):
            yield _from_record(record, path, index=i)
    else:
        yield IngestFailure(
            str(path), f"expected a JSON object or a list of objects, got {_type_name(data)}"
        )


def _from_jsonl(path: Path) -> Iterator[Article | IngestFailure]:
    """One record per line, read line by line so a huge file never sits in memory."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        encoding = _bom_encoding(head[:4])
        if encoding is None and b"\x00" in head:
            yield IngestFailure(str(path), "looks like a binary file (NUL bytes), not text")
            return
        fh.seek(0)
        if encoding in ("utf-16", "utf-32"):
            lines: Iterable[bytes | str] = io.TextIOWrapper(fh, encoding=encoding, newline="")
        else:
            lines = fh
        seen_any = False
        number = 0
        try:
            for number, item in enumerate(lines, start=1):
                if isinstance(item, bytes):
                    if number == 1 and item.startswith(codecs.BOM_UTF8):
                        item = item[len(codecs.BOM_UTF8) :]
                    try:
                        line = item.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        err = _utf8_error(item, exc, first_line=number)
                        yield IngestFailure(str(path), err.reason, line=number)
                        seen_any = True
                        continue
                else:
                    line = item
                if not line.strip():
                    continue
                seen_any = True
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield IngestFailure(
                        str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", line=number
                    )
                    continue
                yield _from_record(record, path, line=number)
        except UnicodeDecodeError:
            yield IngestFailure(
                str(path), f"not valid {encoding} despite its byte-order mark", line=number + 1
            )
            return
    if not seen_any:
        yield IngestFailure(str(path), "file is empty")


def _load_file(path: Path) -> Iterator[Article | IngestFailure]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield IngestFailure(
            str(path),
            f"unsupported file type {suffix or '(no extension)'!r} "
            f"(supported: {', '.join(SUPPORTED)})",
        )
        return
    try:
        if suffix == ".jsonl":
            if path.stat().st_size == 0:
                yield IngestFailure(str(path), "file is empty")
                return
            yield from _from_jsonl(path)
            return
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield IngestFailure(
                str(path),
                f"file is {size / 2**20:.1f} MB; files read whole are limited to "
                f"{MAX_FILE_BYTES // 2**20} MB (split it, or use .jsonl, which is streamed)",
            )
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield IngestFailure(str(path), f"cannot read the file: {exc.strerror or exc}")
        return
    if not raw:
        yield IngestFailure(str(path), "file is empty")
        return
    if suffix in (".html", ".htm"):
        if not raw.strip():
            yield IngestFailure(str(path), "file is empty (only whitespace)")
            return
        yield _from_html(path, raw)
        return
    try:
        text = _decode(raw)
    except _DecodeError as exc:
        yield IngestFailure(str(path), exc.reason, line=exc.line)
        return
    if not text.strip():
        yield IngestFailure(str(path), "file is empty (only whitespace)")
        return
    if suffix == ".json":
        yield from _from_json(path, text)
    else:
        yield _from_text(path, text, markdown=suffix == ".md")


def _walk(folder: Path) -> list[Path]:
    """Supported files under `folder`, recursively and sorted; hidden entries skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED:
                found.append(Path(root, name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def load(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
) -> Iterator[Article | IngestFailure]:
    """Stream articles from files and folders (folders recursively, sorted, hidden files and
    unsupported extensions skipped); bad input becomes an IngestFailure, never an exception."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # a single path, not an iterable of characters
    for item in paths:
        path = Path(item)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            yield IngestFailure(str(path), f"cannot access: {exc.strerror or exc}")
            continue
        if not exists:
            yield IngestFailure(str(path), "no such file or folder")
            continue
        for file in _walk(path) if is_dir else [path]:
            for got in _load_file(file):
                if isinstance(got, Article) and len(got.text) > MAX_ARTICLE_CHARS:
                    line = int(got.origin.rsplit(":", 1)[1]) if got.origin.count(":") else None
                    got = IngestFailure(
                        str(file),
                        f"article '{got.id}' is {len(got.text):,} characters; "
                        f"the limit is {MAX_ARTICLE_CHARS:,}",
                        line=line,
                        field="text",
                    )
                yield got

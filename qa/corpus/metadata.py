"""The metadata a news page states in its own lines: bylines ("By Jane Doe | Reuters"),
datelines ("Updated 10:42 AM ET, Sept. 1, 2025"), wire datelines ("OSLO (Nordic Wire) -"),
mastheads ("Fjord Report — 10 October 2025"), copyright lines ("© 2025 The Courier") and
syndication pointers ("Read this on X").

Each `parse_*` takes what a line states into a `Meta` record and says whether the line was
such a line, so the cleaner can drop it from the body. Each refuses body sentences that
merely start the same way ("By Monday, officials said ...").

A page can name several outlets; `Meta.outlet` picks the one that publishes the page: its
masthead (under the headline, or signed at the foot: "Maasstad Courant | Buitenland"), then
its copyright holder, then the byline's outlet, then the outlet a syndication
line points to, then the agency of the wire dateline (often a short form: "(CPA)"). A role
("Books Editor", "Aviation Correspondent"), a desk's city ("Berlin Bureau") or a dateline
city is never the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.corpus.dates import find_date, parse_date
from qa.corpus.ids import domain
from qa.text import UPPER

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
    rf"^[{UPPER}][\w'\u2019.-]*"
    rf"(?:\s+(?:[{UPPER}][\w'\u2019.-]*|and|&|de|da|del|der|van|von|la|le|al|bin|ap))*$"
)
# Words that make a byline name an outlet or desk rather than a person, or a place (a byline's
# "By Jane Doe, Brussels"): outlet nouns and the one-word names of agencies and outlets.
_OUTLET_WORDS = re.compile(
    r"\b(?:news|politics|desk|staff|press|times|post|journal|reuters|ap|afp|associated|wire"
    r"|media|daily|tribune|herald|guardian|bloomberg|agency|editorial|team|service|network"
    r"|bbc|cnn|npr|cbs|nbc|abc|fox|msnbc|telegraph|gazette|magazine|online|world|report"
    r"|courier|chronicle|observer|ledger|weekly|review|bulletin|dispatch|courant"
    r"|xinhua|tass|dpa|kyodo|yonhap|upi|politico|axios|forbes|economist)\b",
    re.I,
)
# A person's job or a desk's location, never the outlet: "Books Editor", "Berlin Bureau".
_ROLE = re.compile(
    r"\b(?:correspondent|editor|writer|reporter|columnist|critic|contributor|analyst|producer"
    r"|photographer|bureau|chief)s?\b",
    re.I,
)
# "BRUSSELS (Euro Wire) -", "MILAN, Italy, May 27, 2025 (Italia Wire)": a capitalised place,
# up to four ", ..." parts (country, date), the agency in brackets, then a dash or the end.
_WIRE = re.compile(
    rf"^[{UPPER}][{UPPER}.'\u2019-]+(?:[ /][{UPPER}][{UPPER}.'\u2019-]+)*"
    r"(?P<mid>(?:,\s*[^,()]{1,30}){0,4})\s+\((?P<agency>[^()]{2,60})\)\s*(?P<end>[-\u2013\u2014]+\s|$)"
)
# "Fjord Report — 10 October 2025", "Clare Champion Online · 24/07/2025".
_MASTHEAD_SPLIT = re.compile(r"\s+[-\u2013\u2014|\u00b7\u2022]\s+")
# "Jane Doe, The Canadian Wire", "Jane Doe | Meridian Wire": a byline without "By".
_SIGNATURE = re.compile(r"^(?P<name>[^,|]{3,40}?)\s*[,|]\s*(?P<outlet>[^,|]{2,60})$")
# "© 2025 The Courier. All rights reserved.", "Copyright Baltic News Wire.", "(c) X 2025".
_COPYRIGHT = re.compile(
    r"(?:^|(?<=[.!]\s))(?:\u00a9|\(c\)|copyright)(?:\s*\u00a9)?\s*(?:\d{4}\s+)?"
    r"(?P<name>[^.\u00a9]{2,60}?)(?:,?\s+\d{4})?\s*(?:[.,;|]|$)",
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
    """What the page stated about itself so far; the first statement of each field wins.
    `day_first` is the page's numeric date order (qa.corpus.dates.numeric_order)."""

    title: str | None = None
    source: str | None = None  # the byline's outlet
    published_at: str | None = None
    updated_at: str | None = None
    author: str | None = None
    read_on: str | None = None
    masthead: str | None = None
    copyright: str | None = None
    wire: str | None = None
    day_first: bool | None = None

    @property
    def outlet(self) -> str | None:
        """The outlet that publishes the page, by how directly each line says so."""
        return self.masthead or self.copyright or self.source or self.read_on or self.wire


def is_name(value: str, max_words: int) -> bool:
    """Capitalised words, as person, desk and outlet names are (not a clause)."""
    return bool(_NAME.match(value)) and len(value.split()) <= max_words


def _is_outlet(name: str) -> bool:
    return bool(_OUTLET_WORDS.search(name)) and not _ROLE.search(name)


def _clean_source(value: str) -> str | None:
    value = value.strip().strip("\"'\u201c\u201d").rstrip(".!,;:")
    if value.lower().startswith(("http://", "https://", "www.")):
        return domain(value) or None
    return value or None


def _byline_parts(
    rest: str, day_first: bool | None = None
) -> tuple[str | None, list[str], str | None]:
    """A byline's text after "By" split into (names, outlets, date); a part after the names
    is an outlet only if it reads like one ("Reuters", not "Books Editor" or "Brussels")."""
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
        found = find_date(seg, day_first)
        if found:
            date = date or found[0]
            seg = (seg[: found[1].start()] + seg[found[1].end() :]).strip(" ,;")
        if not seg:
            continue
        parts = [p.strip() for p in seg.split(",") if p.strip()]
        if i == 0 and not label:
            names = parts[0]
            outlets += [p for p in parts[1:] if _is_outlet(p)]
        elif _NAME.match(seg) and _is_outlet(seg):
            outlets.append(seg)
    return names, outlets, date


def parse_byline(line: str, meta: Meta) -> bool:
    """Take author/outlet/date from a byline line; False if the line is not a byline."""
    m = _BYLINE.match(line)
    if not m or len(line) > 200:
        return False
    names, outlets, date = _byline_parts(m.group("rest"), meta.day_first)
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
    found = find_date(rest, meta.day_first)
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
    if not read_on:
        return False

    def named(text: str) -> str | None:
        value = _clean_source(text)
        return value if value and (is_name(value, 8) or "." in value) else None

    # Only the first sentence names the outlet: "X. Read this on MSN" is X's story on an
    # aggregator, and "Read more: A headline. Its second sentence" names no outlet at all.
    first = named(re.split(r"[.!?]\s", read_on.group("source"), maxsplit=1)[0])
    if first:
        meta.read_on = meta.read_on or first
    return bool(first or named(read_on.group("source")))


def _outlet_name(value: str) -> str | None:
    """`value` as an outlet's name, or None if it is not one; "Harbour Courier World Desk"
    is the desk of an outlet the words before its section name ("Harbour Courier")."""
    value = value.strip(" *_")
    if not (is_name(value, 6) and _is_outlet(value)):
        return None
    words = value.split()
    if len(words) >= 4 and words[-1].lower() == "desk" and _is_outlet(" ".join(words[:-2])):
        return " ".join(words[:-2])
    return value


def parse_wire(line: str, meta: Meta) -> bool:
    """A wire dateline opening the story ("OSLO (Nordic Business Wire) - Halden said...",
    "MILAN, Italy, May 27, 2025 (Italia Wire)"): the agency, and the date if it states one.
    True only when the dateline is the whole line; the story's first sentence is body."""
    m = _WIRE.match(line)
    agency = " ".join(m.group("agency").split()) if m else ""
    if not m or not is_name(agency, 6) or _ROLE.search(agency):
        return False
    meta.wire = meta.wire or agency
    found = find_date(m.group("mid"), meta.day_first)
    if found:
        meta.published_at = meta.published_at or found[0]
    return not m.group("end")


def parse_masthead(line: str, meta: Meta, alone: bool = True) -> bool:
    """The outlet's name under the headline, alone or beside the date or a section ("Fjord
    Report — 10 October 2025", "Southern Counties Gazette"): names that read like an outlet.
    At the foot of a page only the paired form counts (`alone=False`: "Outlet | Section").
    A byline may ride along ("Prague Daily Monitor · 11 April 2025 · by Jana Horáková")."""
    parts = _MASTHEAD_SPLIT.split(line)
    bylines = [p for p in parts[1:] if _BYLINE.match(p)] if len(parts) == 3 else []
    if len(bylines) == 1:
        parts.remove(bylines[0])
    if len(parts) > 2 or len(line) > 100 or (len(parts) == 1 and not alone):
        return False
    date = parse_date(parts[-1], meta.day_first) if len(parts) == 2 else None
    if len(parts) == 2 and not date and not is_name(parts[1], 1):
        return False  # "The Belém Courier — Weekend": a section name may follow
    name = _outlet_name(parts[0])
    if not name or (bylines and not parse_byline(bylines[0], meta)):
        return False
    meta.masthead = meta.masthead or name
    meta.published_at = meta.published_at or date
    return True


def parse_signature(line: str, meta: Meta) -> bool:
    """A byline without "By" under the headline: a person's name, then the outlet after a
    comma or bar ("Jane Doe, The Canadian Wire", "Jane Doe | Meridian Wire"). A role in
    that place ("Camille Roussel, Lyon correspondent") is not an outlet: not read here."""
    m = _SIGNATURE.match(line)
    if not m or not is_name(m.group("name"), 4) or _is_outlet(m.group("name")):
        return False
    outlet = _outlet_name(m.group("outlet"))
    if not outlet:
        return False
    meta.author = meta.author or m.group("name")
    meta.source = meta.source or outlet
    return True


def parse_copyright(line: str, meta: Meta) -> bool:
    """The copyright holder of a footer line ("© 2025 The Northern Courier. All rights
    reserved."): the outlet that publishes the page. The line is left to the footer rules."""
    if len(line) > 200:
        return False
    m = _COPYRIGHT.search(line)
    name = " ".join(m.group("name").split()) if m else ""
    if not name or not is_name(name, 6) or re.search(r"\brights?\b", name, re.I):
        return False
    meta.copyright = meta.copyright or name
    return True


def is_metadata_line(line: str) -> bool:
    """A byline or dateline (parsed into a scratch record): never a title."""
    scratch = Meta()
    return (
        parse_byline(line, scratch)
        or parse_dateline(line, scratch)
        or parse_wire(line, scratch)
        or bool(parse_date(line))
    )

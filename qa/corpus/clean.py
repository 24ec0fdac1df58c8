"""Strip news-page furniture from plain text, keeping body sentences word for word.

Everything downstream (chunking, citations, the extractive answerer) quotes the cleaned text,
so cleaning decides what a citation can show: captions, bylines, adverts and aggregator
footers must go, real body sentences must stay exactly as written. `clean_text` runs the
steps in order over the text's lines, marking lines to drop, then rebuilds the paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.corpus.dates import numeric_order, parse_date
from qa.corpus.markdown import strip_markdown
from qa.corpus.metadata import (
    Meta,
    is_metadata_line,
    parse_byline,
    parse_copyright,
    parse_dateline,
    parse_masthead,
    parse_read_on,
    parse_signature,
    parse_wire,
)
from qa.corpus.model import Cleaned
from qa.text import sentences

TITLE_MAX = 90  # derived titles are cut to about this many characters

# Odd spaces (NBSP, thin, ideographic...) that break matching and splitting.
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters (zero-width, BOM) that only get in the way.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_TERMINAL = re.compile(r"[.!?:;,\u2026][\"'\u201d\u2019)\]]*$")
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "for", "of", "in", "on", "at", "to", "by",
     "with", "from", "as", "vs", "via", "into", "over", "per"}
)  # fmt: skip

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


# --------------------------------------------------------------------------- line shapes


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _normalise(raw: str) -> list[str]:
    """Unify newlines and odd spaces, strip each line; returns lines ("" for blank)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    return [" ".join(line.split()) for line in text.split("\n")]


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


# A line labelled as a caption by the page it came from: "* Caption: Ines Ferreira at her
# presentation", "Photo: the dam after the collapse", "Image caption: ...".
_CAPTION_LABEL = re.compile(
    r"^[\W_]*(?:image |photo |picture )?(?:caption|photo|image|picture|pictured)\s*:\s+\S", re.I
)


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


def _continues(prev: str, line: str) -> bool:
    """Whether `line` carries on `prev`'s sentence (hard-wrapped text) rather than starting
    a new paragraph: `prev` has no closing punctuation and is long or `line` starts lowercase."""
    return not _ends_like_sentence(prev) and (line[:1].islower() or len(prev) >= 60)


# --------------------------------------------------------------------------- the steps


@dataclass
class _Page:
    """The text being cleaned: its lines, which of them go, and what it stated so far."""

    lines: list[str]
    drop: list[bool]
    meta: Meta

    def live(self) -> list[int]:
        """Indexes of the non-blank lines not dropped yet."""
        return [i for i, line in enumerate(self.lines) if line and not self.drop[i]]


def _drop_adverts(page: _Page) -> None:
    """Ad slots ("Advertisement", "Story continues below advertisement") anywhere."""
    for i, line in enumerate(page.lines):
        if line and _ADVERT.match(line):
            page.drop[i] = True


def _take_title(page: _Page, known_title: str | None) -> set[int]:
    """Drop the title from the top of the body (the known one, or a headline the text opens
    with, which becomes the title); returns the header: the first six lines left after it."""
    lines, drop = page.lines, page.drop
    nonblank = page.live()
    # A title already known: its copy at the top of the text is not body.
    if known_title and nonblank and _norm(lines[nonblank[0]]) == _norm(known_title):
        drop[nonblank[0]] = True
        nonblank = nonblank[1:]
    elif not known_title and len(nonblank) >= 2:
        first, second = nonblank[0], nonblank[1]
        head = lines[first]
        if _norm(head) == _norm(lines[second]):
            # A headline printed twice at the top (page title + article heading).
            page.meta.title = head
            drop[first] = drop[second] = True
        elif (
            _looks_like_headline(head)
            and not is_metadata_line(head)
            and not (second == first + 1 and _continues(head, lines[second]))
        ):
            # A headline-shaped first line (short, no closing punctuation) above the body.
            page.meta.title = head
            drop[first] = True
    return set(i for i in nonblank[:6] if not drop[i])


def _states_metadata(line: str, in_header: bool, meta: Meta, headline: bool = False) -> bool:
    """Bylines, datelines, and under the headline a bare date, a masthead or a wire dateline,
    and "Read this on X": what they state goes into `meta`; True when `line` was one of
    them. A copyright line is read but left to the footer rules. `headline`: the line may
    be the headline itself (the text's first, when no title was found), which a short
    title-case headline with "Press" or "Report" in it must not be taken for a masthead."""
    parse_copyright(line, meta)
    if parse_byline(line, meta) or parse_dateline(line, meta):
        return True
    if in_header:
        date = parse_date(line, meta.day_first) if len(line) <= 60 else None
        if date:
            meta.published_at = meta.published_at or date
            return True
        if not headline and (parse_masthead(line, meta) or parse_signature(line, meta)):
            return True
        if parse_wire(line, meta):
            return True
    return parse_read_on(line, meta)


def _drop_furniture(page: _Page, header: set[int]) -> set[str]:
    """Drop metadata lines and photo captions (with a caption's own headline right above
    it); returns the captions, normalised, to find their text repeated later."""
    lines, drop = page.lines, page.drop
    headline = min(header) if header and page.meta.title is None else None
    captions: set[str] = set()
    for i, line in enumerate(lines):
        if not line or drop[i]:
            continue
        if _states_metadata(line, i in header, page.meta, headline=i == headline):
            drop[i] = True
            continue
        if _caption_credit(line) or _CAPTION_LABEL.match(line):
            drop[i] = True  # a photo caption ending in its credit, or labelled as one
            captions.add(_norm(line))
            above = i - 1
            if (
                above >= 0
                and lines[above]
                and _looks_like_headline(lines[above], max_words=20)
                and _is_title_case(lines[above])
            ):
                drop[above] = True  # the photo's own headline right above its caption
    return captions


def _drop_repeats(page: _Page, known_title: str | None, captions: set[str]) -> None:
    """Drop a caption's text seen again without its credit, and substantial lines repeated
    verbatim (pull quotes, re-run captions, the title again)."""
    seen: set[str] = set()
    if known_title:
        seen.add(_norm(known_title))
    for i, line in enumerate(page.lines):
        if not line or page.drop[i]:
            continue
        key = _norm(line)
        if len(key) > 20 and (any(c.startswith(key) for c in captions) or key in seen):
            page.drop[i] = True
        else:
            seen.add(key)


def _drop_footer(page: _Page) -> None:
    """Site and aggregator footers: lone "About"/"Share" lines, boilerplate paragraphs and
    the outlet's signature, only at the end, stopping at the first real paragraph."""
    for i in range(len(page.lines) - 1, -1, -1):
        line = page.lines[i]
        if not line or page.drop[i]:
            continue
        if _FOOTER_LONE.match(line) or _FOOTER_VOCAB.search(line) or parse_copyright(line, Meta()):
            page.drop[i] = True  # a copyright line without the usual words: "(c) Wire 2025"
        elif parse_masthead(line, page.meta, alone=False):
            page.drop[i] = True  # the outlet's signature: "Maasstad Courant | Buitenland"
        else:
            break


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
    meta = Meta(day_first=numeric_order(raw))
    if markdown:
        lines, meta.title = strip_markdown(lines)
    page = _Page(lines, [False] * len(lines), meta)
    _drop_adverts(page)
    header = _take_title(page, title or meta.title)
    captions = _drop_furniture(page, header)
    _drop_repeats(page, title or meta.title, captions)
    _drop_footer(page)
    kept = [line if not page.drop[i] else "" for i, line in enumerate(lines)]
    return Cleaned(
        text=_rebuild(kept),
        title=meta.title,
        source=meta.outlet,
        published_at=meta.published_at or meta.updated_at,
        author=meta.author,
    )


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

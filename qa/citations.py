"""Citation markers in generated text: parse, split into statements, drop and renumber; and a
draft tidied of what a model echoed or repeated (`tidy_draft`).

Models write `[1]`, `[1, 3]`, `[1][2]`, `[1-2]` and sometimes `[Article 2]`; all are read.
The output side is strict: after `renumber`, markers are `[n]` or `[n, m]`, numbered 1..k in
order of first use, so the answer text and its citation list can be checked against each
other mechanically (docs/design.md: every `[n]` has a citation, every citation is used).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qa.text import Marker, parse_markers, render_marker, strip_markers


@dataclass
class Statement:
    """A sentence (or bullet) of the answer and the source numbers cited for it.

    `text` has the markers removed (what gets checked against the article); `start`/`end`
    span the statement in the answer text, trailing markers included.
    """

    text: str
    numbers: list[int]
    start: int
    end: int
    markers: list[Marker] = field(default_factory=list)


# A sentence ends at . ! ? (plus closing quotes/brackets), optionally followed by markers,
# then whitespace; or at a newline (bullets, paragraphs).
_END = re.compile(
    r"""(?:[.!?]+["'\u201d\u2019)]*(?:\s*\[[^\[\]\n]{1,40}\])*(?=\s|$))|\n+""",
)
# Abbreviations that end in a period but do not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Ltd|Co|Corp|vs|etc|"
    r"e\.g|i\.e|U\.S|U\.K|U\.N|E\.U|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|"
    r"\b[A-Z])\.$"
)


_CLOCK = re.compile(r"\b[ap]\.m\.$")


def split_statements(text: str) -> list[Statement]:
    """Split an answer into statements, each with the markers inside or right after it."""
    statements: list[Statement] = []
    markers = parse_markers(text)
    pos = 0
    bounds: list[tuple[int, int]] = []
    for m in _END.finditer(text):
        end = m.end()
        # "Dr." / "U.S." mid-sentence: not a boundary unless markers follow it.
        g = m.group(0)
        if g.startswith(".") and "[" not in g and _ABBREV.search(text[pos : m.start() + 1]):
            continue
        if _CLOCK.search(text[pos : m.start() + 1]) and re.match(r"\s*[a-z]", text[end:]):
            continue  # "at 5:52 p.m. local time": the sentence goes on
        if text[pos:end].strip():
            bounds.append((pos, end))
        pos = end
    if text[pos:].strip():
        bounds.append((pos, len(text)))
    # A line holding only markers belongs to the statement before it, and so does a lone
    # full stop after them ("at about 3.40 a.m. [1].").
    merged: list[tuple[int, int]] = []
    for a, b in bounds:
        if merged and not strip_markers(text[a:b]).strip(" \n\t-*.!?"):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    for a, b in merged:
        inside = [mk for mk in markers if mk.start >= a and mk.end <= b]
        nums: list[int] = []
        for mk in inside:
            for n in mk.numbers:
                if n not in nums:
                    nums.append(n)
        body = strip_markers(text[a:b]).strip()
        body = re.sub(r"^(?:[-*\u2022]|\d+[.)])\s+", "", body)  # bullet / list prefix
        # Trim leading whitespace from the span so edits keep the text's layout.
        lead = len(text[a:b]) - len(text[a:b].lstrip())
        statements.append(Statement(body, nums, a + lead, b, inside))
    return statements


def rewrite_markers(text: str, keep: Mapping[int, Iterable[int]] | None = None) -> str:
    """Re-render each marker with only the numbers allowed for the statement it sits in.

    `keep` maps a statement's start offset to the numbers it may keep (already renumbered);
    a marker whose numbers all go is removed together with the space before it. Markers of a
    statement are merged into one, placed where the first of them was.
    """
    keep = keep or {}
    out: list[str] = []
    pos = 0
    for st in split_statements(text):
        out.append(text[pos : st.start])
        seg_start, seg_end = st.start, st.end
        allowed = list(keep.get(seg_start, ()))
        piece = text[seg_start:seg_end]
        if not st.markers and allowed:
            piece = _append_marker(piece, render_marker(allowed))
        elif st.markers:
            first = st.markers[0]
            buf: list[str] = []
            cur = seg_start
            for mk in st.markers:
                chunk = text[cur : mk.start]
                if mk is first and allowed:
                    buf.append(chunk.rstrip(" \t") + " " + render_marker(allowed))
                else:
                    tight = _next_is_punct_or_end(text, mk.end, seg_end)
                    buf.append(chunk.rstrip(" \t") if tight else chunk)
                cur = mk.end
            buf.append(text[cur:seg_end])
            piece = "".join(buf)
            # Tidy "word ." left by a removed marker, and runs of spaces.
            piece = re.sub(r"[ \t]+([.,;:!?])", r"\1", piece)
            piece = re.sub(r"[ \t]{2,}", " ", piece)
        out.append(piece)
        pos = seg_end
    out.append(text[pos:])
    return "".join(out)


_TAIL = re.compile(r"""([.!?]*["'\u201d\u2019)]*[.!?]*)(\s*)$""")


def _append_marker(piece: str, marker: str) -> str:
    """Put a marker at the end of a statement, before its closing punctuation."""
    m = _TAIL.search(piece)
    assert m is not None  # the pattern matches the empty tail too
    head = piece[: m.start()].rstrip(" \t")
    punct, space = m.group(1), m.group(2)
    if any(ch in punct for ch in "\"'\u201d\u2019)"):
        return f"{head}{punct} {marker}{space}"  # after a closing quote: 'said "x." [1]'
    return f"{head} {marker}{punct}{space}"


def _next_is_punct_or_end(text: str, i: int, end: int) -> bool:
    rest = text[i:end]
    return not rest.strip() or rest.lstrip(" \t")[:1] in ".,;:!?[\n"


@dataclass
class Renumbered:
    """Result of `renumber`: new text, old->new numbers, and what was dropped."""

    text: str
    mapping: dict[int, int]
    dropped: int  # marker numbers removed because no source has that number
    statements: list[Statement]


def renumber(
    text: str,
    valid: Iterable[int],
    keep: Mapping[int, Iterable[int]] | None = None,
    add: Mapping[int, Iterable[int]] | None = None,
) -> Renumbered:
    """Drop cited numbers not in `valid` (counting them) and renumber the rest 1..k by first use.

    `keep`, if given, maps a statement's start offset (from `split_statements(text)`) to the
    old numbers it may keep, so validation can also remove citations whose article does not
    support the statement; `add` maps a statement's start to numbers to cite that the text
    did not (validation attributes uncited, supported statements). Returns the text with
    clean `[n]` / `[n, m]` markers.
    """
    valid_set = set(valid)
    statements = split_statements(text)
    dropped = 0
    allowed: dict[int, list[int]] = {}
    for st in statements:
        ok: list[int] = []
        for mk in st.markers:
            for n in mk.numbers:
                if n not in valid_set:
                    dropped += 1
                elif n not in ok:
                    ok.append(n)
        if keep is not None:
            permitted = set(keep.get(st.start, ()))
            ok = [n for n in ok if n in permitted]
        if add is not None:
            ok += [n for n in add.get(st.start, ()) if n in valid_set and n not in ok]
        allowed[st.start] = ok
    mapping: dict[int, int] = {}
    for st in statements:
        for n in allowed[st.start]:
            if n not in mapping:
                mapping[n] = len(mapping) + 1
    new_keep = {s: [mapping[n] for n in nums] for s, nums in allowed.items()}
    new_text = rewrite_markers(text, new_keep).strip()
    return Renumbered(new_text, mapping, dropped, split_statements(new_text))


_SCAFFOLD = re.compile(
    r"^\s*(?:</?\s*articles?\b[^>\n]*>|(?:Title|Source|Date|Question)\s*:.*|"
    r"Article numbers you may cite:.*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def tidy_draft(draft: str) -> tuple[str, int]:
    """Remove prompt scaffolding a model echoed (our tags, the Title:/Date: header lines) and
    statements repeated word for word (small models loop). Returns (text, repeats removed)."""
    text = _SCAFFOLD.sub("", draft)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    seen: set[str] = set()
    out: list[str] = []
    pos = 0
    repeats = 0
    for st in split_statements(text):
        key = " ".join(st.text.lower().split())
        if len(key.split()) >= 3 and key in seen:
            out.append(text[pos : st.start].rstrip(" \t"))
            pos = st.end
            repeats += 1
            continue
        seen.add(key)
    out.append(text[pos:])
    return "".join(out).strip(), repeats

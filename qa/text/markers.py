"""`[n]` citation markers: reading every form models write, and writing ours.

The engine (qa.citations, qa.validate) and the UI (ui/render.py) both go through
`parse_markers` / `sub_markers`, so they agree on which articles an answer cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Models write `[1]`, `[1, 3]`, `[1][2]`, `[1-2]` and sometimes `[Article 2]`; all are read.
# What we write is always `[n]` or `[n, m]` (`render_marker`).
# One bracket group: numbers separated by commas/semicolons/"and", or ranges with - or en dash.
_ONE = r"\d{1,3}(?:\s*[-\u2013]\s*\d{1,3})?"
_NUM_LIST = _ONE + r"(?:\s*(?:,|;|\band\b)\s*" + _ONE + r")*"
MARKER_RE = re.compile(
    r"\[\s*(?:(?:article|source|doc(?:ument)?)s?\s*#?\s*)?(" + _NUM_LIST + r")\s*\]",
    re.IGNORECASE,
)
_MAX_RANGE = 20  # "[1-300]" is not a citation anyone meant


@dataclass(frozen=True)
class Marker:
    """One bracket group as written: its span in the text and the numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


def _expand(group: str) -> tuple[int, ...]:
    nums: list[int] = []
    for part in re.split(r"\s*(?:,|;|\band\b)\s*", group.strip(), flags=re.IGNORECASE):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[-\u2013]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b and b - a <= _MAX_RANGE:
                nums.extend(range(a, b + 1))
            else:
                nums.extend([a, b])
        elif part.isdigit():
            nums.append(int(part))
    out: list[int] = []
    for n in nums:
        if n not in out:
            out.append(n)
    return tuple(out)


def parse_markers(text: str) -> list[Marker]:
    """Every citation marker in `text`, in order; `[1][2]` is two markers."""
    return [Marker(m.start(), m.end(), _expand(m.group(1))) for m in MARKER_RE.finditer(text)]


def sub_markers(text: str, replace: Callable[[Marker, str], str]) -> str:
    """`text` with each marker replaced by `replace(marker, as_written)`: how the UI turns
    markers into links with the very parser the engine cites with."""
    out: list[str] = []
    pos = 0
    for mk in parse_markers(text):
        out += [text[pos : mk.start], replace(mk, text[mk.start : mk.end])]
        pos = mk.end
    out.append(text[pos:])
    return "".join(out)


def cited_numbers(text: str) -> list[int]:
    """Distinct numbers cited in `text`, in order of first use."""
    seen: list[int] = []
    for mk in parse_markers(text):
        for n in mk.numbers:
            if n not in seen:
                seen.append(n)
    return seen


def strip_markers(text: str) -> str:
    """`text` without any markers (and without the space a marker leaves behind)."""
    out = sub_markers(text, lambda _marker, _written: "")
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def render_marker(numbers: Iterable[int]) -> str:
    """`[1]` or `[1, 3]` (sorted, distinct); empty for no numbers."""
    nums = sorted(set(numbers))
    return "[" + ", ".join(str(n) for n in nums) + "]" if nums else ""

"""Sentence spans: where the sentences of an article are, so a quote is always a whole
sentence (never cut after "Mr." or inside a quotation)."""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# nltk's punkt (what llama-index ships) splits after "Mr.", "Aug." and "U.S.", which cuts
# quotes in half; this small regex splitter knows the abbreviations news text uses.
_NEVER_ENDS = _words(
    "Mr Mrs Ms Dr Prof Sen Rep Gov Gen Lt Col Sgt Capt Adm Supt Rev Hon St No vs Vs Jan "
    "Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
)
# Abbreviations that can also end a sentence: split after them only when the next word
# is a typical sentence opener ("... in the U.S. The president ...").
_MAY_END = _words("Jr Sr Inc Co Corp Ltd etc Bros")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, D.C, a.m, e.g, Ph.D
_OPENERS = _words(
    "The A An He She It They We I You But And In On At This That These Those There Then "
    "His Her Its Their Our My However Meanwhile Still Yet So If When While As After "
    "Before For Officials Some Many Most Now Later Earlier"
)
_BOUNDARY = re.compile(
    r"([.!?\u2026]+)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[]*[A-Z0-9])"
)
_FIRST_WORD = re.compile(r"[\"'\u201c\u2018(\[]*([A-Za-z']+)")
_LINE = re.compile(r"[^\n]+")


def _is_boundary(line: str, m: re.Match[str]) -> bool:
    if m.group(1) != ".":
        return True  # "!", "?", "..." always end a sentence when a capital follows
    token = line[line.rfind(" ", 0, m.start()) + 1 : m.start()].lstrip("\"'\u201c\u2018([")
    if token in _NEVER_ENDS:
        return False
    if token in _MAY_END or _DOTTED.fullmatch(token) or (len(token) == 1 and token.isupper()):
        nxt = _FIRST_WORD.match(line, m.end())
        return bool(nxt and nxt.group(1) in _OPENERS)
    return True


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`; newlines are hard boundaries and spans
    carry no surrounding whitespace, so `text[s:e]` is the exact quotable sentence."""
    spans: list[tuple[int, int]] = []
    for line_m in _LINE.finditer(text):
        line, base = line_m.group(), line_m.start()
        start = len(line) - len(line.lstrip())
        for m in _BOUNDARY.finditer(line):
            if m.start() < start or not _is_boundary(line, m):
                continue
            spans.append((base + start, base + m.end(2)))
            start = m.end(3)
        end = len(line.rstrip())
        if end > start:
            spans.append((base + start, base + end))
    return _join_open_quotes(text, spans)


def _quote_open(s: str) -> bool:
    return s.count('"') % 2 == 1 or s.count("\u201c") > s.count("\u201d")


def _join_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a quotation that spans sentences in one piece, so a quote is never cut mid-way
    ('"It is urgent. It is taking shape," she said.' is one quotable sentence)."""
    out: list[tuple[int, int]] = []
    merged = 0
    for s, e in spans:
        if out and merged < 3 and "\n" not in text[out[-1][1] : s]:
            ps, pe = out[-1]
            if _quote_open(text[ps:pe]):
                out[-1] = (ps, e)
                merged += 1
                continue
        out.append((s, e))
        merged = 0
    return out

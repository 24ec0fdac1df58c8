"""Light markdown to plain text for .md files, so quoted sentences match what a reader sees:
emphasis, links, images, heading and quote marks go; a leading "# Heading" is the title."""

from __future__ import annotations

import re

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


def _inline(line: str) -> str:
    """One line's images, links and emphasis reduced to their text."""
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REFLINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    for _ in range(2):  # ***both*** needs two rounds
        line = _MD_STRONG.sub(r"\2", line)
        line = _MD_EM_STAR.sub(r"\1", line)
        line = _MD_EM_UNDER.sub(r"\1", line)
    return _MD_CODE.sub(r"\1", _MD_STRIKE.sub(r"\1", line)).strip()


def strip_markdown(lines: list[str]) -> tuple[list[str], str | None]:
    """Markdown lines to plain lines ("" where a line was layout only) and the title, if
    the text opens with "# Heading" or a setext "Title\\n=====" line."""
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
        line = _inline(heading.group(1) if heading else _MD_QUOTE.sub("", line))
        if heading and i == first and lines[i].startswith("# "):
            title = line  # "# Heading" at the top is the article's title
            line = ""
        out.append(line)
    return out, title

"""Bytes to text for the file readers: a byte-order mark (UTF-8/16/32) is honoured, anything
else must be strict UTF-8, and a failure says where (line, column) so the user can fix it."""

from __future__ import annotations

import codecs


class DecodeError(Exception):
    """Why the bytes are not text, and the line where that shows, when known."""

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


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `head` announces, if any."""
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def utf8_error(raw: bytes, exc: UnicodeDecodeError, first_line: int = 1) -> DecodeError:
    """`exc` as a DecodeError naming the line and column of the bad byte."""
    line = first_line + raw.count(b"\n", 0, exc.start)
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = raw[exc.start]
    return DecodeError(
        f"not valid UTF-8 (byte 0x{bad:02x} at line {line}, column {column}); "
        "save the file as UTF-8",
        line,
    )


def decode(raw: bytes) -> str:
    """Bytes to text: BOM-marked UTF-8/16/32 honoured, else strict UTF-8."""
    encoding = bom_encoding(raw[:4])
    if encoding and encoding != "utf-8-sig":
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding.upper()} despite its byte-order mark") from exc
    if b"\x00" in raw[:8192]:
        raise DecodeError("looks like a binary file (NUL bytes), not text")
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise utf8_error(raw, exc) from exc

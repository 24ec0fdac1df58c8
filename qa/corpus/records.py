"""JSON input: a .json file (one record or a list of them) and a .jsonl file (one record a
line, streamed, so a huge feed never sits in memory).

A record's explicit fields win over what its text states. A bad record or line becomes an
`IngestFailure` naming the line or record and the field, and reading goes on.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from qa.corpus.clean import clean_text, derive_title
from qa.corpus.dates import parse_date
from qa.corpus.decode import bom_encoding, utf8_error
from qa.corpus.ids import check_id, domain, id_from_text, id_from_url
from qa.corpus.model import Article
from qa.types import IngestFailure

TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published_at", "date")
# Metadata fields in the order they are checked: (key, the record fields that may hold it).
_META_FIELDS = (
    ("title", ("title",)),
    ("url", ("url",)),
    ("source", ("source",)),
    ("author", ("author",)),
    ("date", DATE_FIELDS),
)

_Results = Iterator[Article | IngestFailure]


class _Invalid(Exception):
    """A record that cannot become an article: the reason and the field at fault."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def type_name(value: Any) -> str:
    """A JSON value's type in JSON's words, for error messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "null" if value is None else type(value).__name__


def _get_str(record: dict[str, Any], *names: str) -> tuple[str | None, str | None]:
    """The first of `names` holding a non-blank string, and which one it was; metadata
    (not text) has its whitespace collapsed. A non-string value is refused."""
    for name in names:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Invalid(f"expected a string, got {type_name(value)}", name)
        value = " ".join(value.split()) if name not in TEXT_FIELDS else value
        if value.strip():
            return value, name
    return None, None


def _body(record: dict[str, Any]) -> tuple[str, str]:
    """The record's text and the field it came from."""
    text, field = _get_str(record, *TEXT_FIELDS)
    if text is None or field is None:
        present = next((n for n in TEXT_FIELDS if n in record), None)
        if present:
            raise _Invalid("is empty", present)
        raise _Invalid(f"missing (expected one of {', '.join(TEXT_FIELDS)})", "text")
    return text, field


def _metadata(record: dict[str, Any]) -> dict[str, str | None]:
    """title, url, source, author, date and (from the date) published_at as YYYY-MM-DD."""
    fields: dict[str, str | None] = {}
    for key, names in _META_FIELDS:
        value, name = _get_str(record, *names)
        fields[key] = value
        if key == "date" and value is not None:
            iso = parse_date(value)
            if iso is None:
                raise _Invalid(
                    f"cannot read the date {value!r} (expected e.g. 2025-09-01 or "
                    "September 1, 2025)",
                    name,
                )
            fields["published_at"] = iso
    return fields


def _record_id(record: dict[str, Any], url: str | None, text: str) -> str:
    """The "id" field, else an id from the url, else one from the cleaned text."""
    raw_id = record.get("id")
    if raw_id is None:
        return id_from_url(url) if url else id_from_text(text)
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise _Invalid(f"expected a string or integer, got {type_name(raw_id)}", "id")
    id_ = str(raw_id).strip()
    problem = check_id(id_)
    if problem:
        raise _Invalid(problem, "id")
    return id_


def _to_article(record: Any, origin: str) -> Article:
    if not isinstance(record, dict):
        raise _Invalid(f"expected a JSON object, got {type_name(record)}")
    text, text_field = _body(record)
    fields = _metadata(record)
    cleaned = clean_text(text, title=fields["title"])
    if not cleaned.text:
        raise _Invalid("no article text left after removing boilerplate", text_field)
    url = fields["url"]
    return Article(
        id=_record_id(record, url, cleaned.text),
        text=cleaned.text,
        title=fields["title"] or cleaned.title or derive_title(cleaned.text),
        source=fields["source"] or cleaned.source or (domain(url) if url else None),
        published_at=fields.get("published_at") or cleaned.published_at,
        url=url,
        author=fields["author"] or cleaned.author,
        origin=origin,
    )


def from_record(
    record: Any, path: Path, line: int | None = None, index: int | None = None
) -> Article | IngestFailure:
    """One JSON record to an Article; explicit fields win over what the text states."""
    try:
        return _to_article(record, f"{path}:{line}" if line is not None else str(path))
    except _Invalid as exc:
        where = f" (record {index})" if index is not None else ""
        return IngestFailure(str(path), exc.reason + where, line=line, field=exc.field)


def from_json(path: Path, text: str) -> _Results:
    """A .json file: one record, or a list of records numbered from 1 in messages."""
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
        yield from_record(data, path)
    elif isinstance(data, list):
        if not data:
            yield IngestFailure(str(path), "the JSON list holds no records")
        for i, record in enumerate(data, start=1):
            yield from_record(record, path, index=i)
    else:
        yield IngestFailure(
            str(path), f"expected a JSON object or a list of objects, got {type_name(data)}"
        )


def from_jsonl(path: Path) -> _Results:
    """One record per line, read line by line so a huge file never sits in memory."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        encoding = bom_encoding(head[:4])
        if encoding is None and b"\x00" in head:
            yield IngestFailure(str(path), "looks like a binary file (NUL bytes), not text")
            return
        fh.seek(0)
        reported = yield from _jsonl_lines(path, fh, encoding)
    if not reported:
        yield IngestFailure(str(path), "file is empty")


def _jsonl_lines(
    path: Path, fh: IO[bytes], encoding: str | None
) -> Generator[Article | IngestFailure, None, bool]:
    """The records of an open .jsonl file; returns whether any line gave a result."""
    lines: Iterable[bytes | str] = fh
    if encoding in ("utf-16", "utf-32"):
        lines = io.TextIOWrapper(fh, encoding=encoding, newline="")
    reported = False
    number = 0
    try:
        for number, item in enumerate(lines, start=1):
            line = _line_text(path, item, number)
            if isinstance(line, IngestFailure):
                yield line
                reported = True
                continue
            if not line.strip():
                continue
            reported = True
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield IngestFailure(
                    str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", line=number
                )
                continue
            yield from_record(record, path, line=number)
    except UnicodeDecodeError:
        yield IngestFailure(
            str(path), f"not valid {encoding} despite its byte-order mark", line=number + 1
        )
        return True  # said what is wrong: not "file is empty" too
    return reported


def _line_text(path: Path, item: bytes | str, number: int) -> str | IngestFailure:
    """One .jsonl line as text (UTF-8 unless the file's BOM said UTF-16/32)."""
    if isinstance(item, str):
        return item
    if number == 1 and item.startswith(codecs.BOM_UTF8):
        item = item[len(codecs.BOM_UTF8) :]
    try:
        return item.decode("utf-8")
    except UnicodeDecodeError as exc:
        return IngestFailure(
            str(path), utf8_error(item, exc, first_line=number).reason, line=number
        )

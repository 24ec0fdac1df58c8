"""Read articles from files and folders: .txt, .md, .html/.htm, .json and .jsonl.

Bad input never raises: `load` yields an `IngestFailure` naming the file (and line/field)
and carries on with the next file or record.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from qa.corpus.clean import clean_text, derive_title
from qa.corpus.dates import parse_date
from qa.corpus.decode import DecodeError, decode
from qa.corpus.ids import check_id, domain
from qa.corpus.model import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, Article, Cleaned
from qa.corpus.records import from_json, from_jsonl
from qa.types import IngestFailure

SUPPORTED = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")

HTML_MIN_CHARS = 40  # less extracted text than this is page chrome, not an article

_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TITLE_SUFFIX = re.compile(r"^\s*[|\u2013\u2014:-]\s*(?P<site>\S.{0,60}?)\s*$")


def _site_name(doc: object, content: str | bytes, title: str | None) -> str | None:
    """The site's name: og:site_name as trafilatura reads it, unless that is only the
    headline again (its guess when a page has no site name), else the part of <title>
    after the headline ("Headline | Flanders Business Daily")."""
    site = " ".join((getattr(doc, "sitename", None) or "").split()) or None
    if site and (not title or site.casefold() != title.casefold()):
        return site
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    m = _HTML_TITLE.search(text[:20000])
    raw = " ".join(html.unescape(m.group(1)).split()) if m else ""
    if not title or not raw.casefold().startswith(title.casefold()):
        return None
    suffix = _TITLE_SUFFIX.match(raw[len(title) :])
    return suffix.group("site") if suffix else None


def _article(
    id_: str, cleaned: Cleaned, origin: str, path: Path, url: str | None = None
) -> Article | IngestFailure:
    """An article named after its file: the file name (without suffix) is its id."""
    id_ = id_.strip()
    problem = check_id(id_)
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


def _from_text(path: Path, text: str, *, markdown: bool) -> Article | IngestFailure:
    cleaned = clean_text(text, markdown=markdown)
    if not cleaned.text:
        return IngestFailure(str(path), "no article text left after removing boilerplate")
    return _article(path.stem, cleaned, str(path), path)


def _from_html(path: Path, raw: bytes) -> Article | IngestFailure:
    """HTML through trafilatura (a real extractor: drops scripts, nav, footers)."""
    import trafilatura  # imported here: ~0.4 s, and only HTML needs it

    try:
        content: str | bytes = decode(raw)
    except DecodeError as exc:
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
    site = _site_name(doc, content, page_title)
    source = site or cleaned.source or doc.hostname or (domain(url) if url else None)
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


def _read_whole(path: Path) -> bytes | IngestFailure:
    """A file read whole, unless it is over MAX_FILE_BYTES or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return IngestFailure(
                str(path),
                f"file is {size / 2**20:.1f} MB; files read whole are limited to "
                f"{MAX_FILE_BYTES // 2**20} MB (split it, or use .jsonl, which is streamed)",
            )
        return path.read_bytes()
    except OSError as exc:
        return IngestFailure(str(path), f"cannot read the file: {exc.strerror or exc}")


def _load_jsonl(path: Path) -> Iterator[Article | IngestFailure]:
    try:
        if path.stat().st_size == 0:
            yield IngestFailure(str(path), "file is empty")
            return
        yield from from_jsonl(path)
    except OSError as exc:
        yield IngestFailure(str(path), f"cannot read the file: {exc.strerror or exc}")


def _load_file(path: Path) -> Iterator[Article | IngestFailure]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield IngestFailure(
            str(path),
            f"unsupported file type {suffix or '(no extension)'!r} "
            f"(supported: {', '.join(SUPPORTED)})",
        )
        return
    if suffix == ".jsonl":
        yield from _load_jsonl(path)
        return
    raw = _read_whole(path)
    if isinstance(raw, IngestFailure):
        yield raw
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
        text = decode(raw)
    except DecodeError as exc:
        yield IngestFailure(str(path), exc.reason, line=exc.line)
        return
    if not text.strip():
        yield IngestFailure(str(path), "file is empty (only whitespace)")
    elif suffix == ".json":
        yield from from_json(path, text)
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


def _within_limit(got: Article | IngestFailure, file: Path) -> Article | IngestFailure:
    """An article over MAX_ARTICLE_CHARS becomes a failure (it is a dump, not an article)."""
    if isinstance(got, Article) and len(got.text) > MAX_ARTICLE_CHARS:
        line = int(got.origin.rsplit(":", 1)[1]) if got.origin.count(":") else None
        return IngestFailure(
            str(file),
            f"article '{got.id}' is {len(got.text):,} characters; "
            f"the limit is {MAX_ARTICLE_CHARS:,}",
            line=line,
            field="text",
        )
    return got


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
                yield _within_limit(got, file)

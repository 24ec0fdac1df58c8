"""The REST endpoints under /api: ask, search, the corpus, health.

Replies are the JSON the CLI's `--json` prints (`Answer.to_dict()`, `Hit.to_dict()`,
`ArticleInfo.to_dict()`, `IngestReport.to_dict()`), so they carry every field the engine
adds. Uploads follow the UI's rules (`qa.uploads`: allowed types, sanitised names, the size
cap per file), and what is kept goes to `<index>/data/` as the UI's uploads do.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from qa.api import QuestionError
from qa.httpapi.errors import ApiError
from qa.httpapi.models import (
    AnswerOut,
    ArticlePage,
    ArticleTextOut,
    AskRequest,
    Deleted,
    ErrorOut,
    IngestOut,
    SearchRequest,
    Source,
)
from qa.httpapi.streams import StreamStats
from qa.types import Hit, IngestReport
from qa.uploads import Upload, ingest_upload

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase

_ERR = {"model": ErrorOut}


def check_filters(since: str | None, until: str | None, source: Source) -> dict[str, Any]:
    """The filters, checked by the engine's rule (`make_filters`); a bad one is a 400
    naming its field."""
    from qa.retrieve import make_filters

    try:
        make_filters(source, since, until)
    except ValueError as e:
        field = str(e).split(":", 1)[0] if str(e).startswith(("since:", "until:")) else "since"
        raise ApiError(400, str(e), field) from e
    return {"since": since, "until": until, "source": source}


def check_time(body: Any) -> dict[str, Any]:
    """`as_of` checked by the engine's rule (`qa.when.parse_day`), a 400 naming it, and
    `parse_time`, as `kb.ask`/`kb.search` take them."""
    from qa.when import parse_day

    try:
        day = parse_day(body.as_of)
    except ValueError as e:
        raise ApiError(400, str(e), "as_of") from e
    return {"as_of": day, "parse_time": body.parse_time}


def _question(exc: QuestionError, field: str) -> ApiError:
    return ApiError(400, f"{field}: {exc}", field)


def merged(reports: list[IngestReport]) -> dict[str, Any]:
    """Several files' ingest reports as one."""
    out = IngestReport()
    for r in reports:
        out.added += r.added
        out.updated += r.updated
        out.unchanged += r.unchanged
        out.duplicates.update(r.duplicates)
        out.failed += r.failed
        out.failures_not_listed += r.failures_not_listed
        out.chunks_added += r.chunks_added
        out.chunks_removed += r.chunks_removed
        out.embedded += r.embedded
    return out.to_dict()


def router(kb: KnowledgeBase, stats: StreamStats) -> APIRouter:
    """The /api routes over one knowledge base (registered in the order /docs lists them)."""
    r = APIRouter(prefix="/api", tags=["REST"])
    _question_routes(r, kb)
    _article_routes(r, kb)
    _upload_route(r, kb)
    _health_route(r, kb, stats)
    return r


def _question_routes(r: APIRouter, kb: KnowledgeBase) -> None:
    @r.post("/ask", responses={200: {"model": AnswerOut}, 400: _ERR, 401: _ERR})
    def ask(body: AskRequest) -> dict[str, Any]:
        """Answer with `[n]` citations, or refuse: the object `qa ask --json` prints."""
        opts = {**check_filters(body.since, body.until, body.source), **check_time(body)}
        try:
            return kb.ask(body.question, k=body.k, llm=body.llm, **opts).to_dict()
        except QuestionError as e:
            raise _question(e, "question") from e

    @r.post("/search", responses={200: {"model": list[Hit]}, 400: _ERR, 401: _ERR})
    def search(body: SearchRequest) -> list[dict[str, Any]]:
        """Retrieval only: the k best chunks, as `qa search --json` prints them."""
        opts = {**check_filters(body.since, body.until, body.source), **check_time(body)}
        try:
            hits = kb.search(body.query, k=body.k, max_per_article=body.max_per_article, **opts)
        except QuestionError as e:
            raise _question(e, "query") from e
        return [h.to_dict() for h in hits]


def _article_routes(r: APIRouter, kb: KnowledgeBase) -> None:
    @r.get("/articles", response_model=ArticlePage, responses={400: _ERR, 401: _ERR})
    def articles(
        limit: int = Query(50, ge=1, le=1000),
        offset: int = Query(0, ge=0),
        since: str | None = None,
        until: str | None = None,
        source: list[str] | None = Query(None, description="repeatable"),  # noqa: B008
    ) -> dict[str, Any]:
        """Stored articles, newest first, a page at a time; the filters are retrieval's."""
        opts = check_filters(since, until, source)
        found = kb.articles(**opts)
        page = [a.to_dict() for a in found[offset : offset + limit]]
        return {"total": len(found), "limit": limit, "offset": offset, "articles": page}

    @r.get(
        "/articles/{article_id:path}",
        response_model=ArticleTextOut,
        responses={404: _ERR, 401: _ERR},
    )
    def article(article_id: str) -> dict[str, Any]:
        """One article's metadata and its cleaned text (what quotes refer to)."""
        info = kb.article(article_id)
        text = kb.article_text(article_id) if info else None
        if info is None or text is None:
            raise ApiError(404, f"article_id: no article '{article_id}'", "article_id")
        return {**info.to_dict(), "text": text}

    @r.delete(
        "/articles/{article_id:path}", response_model=Deleted, responses={404: _ERR, 401: _ERR}
    )
    def delete(article_id: str) -> dict[str, Any]:
        """Remove an article and all its chunks from both indexes."""
        if not kb.delete(article_id):
            raise ApiError(404, f"article_id: no article '{article_id}'", "article_id")
        return {"deleted": article_id}


def _upload_route(r: APIRouter, kb: KnowledgeBase) -> None:
    @r.post(
        "/articles",
        response_model=IngestOut,
        responses={400: _ERR, 401: _ERR, 413: _ERR, 415: _ERR, 422: _ERR},
        openapi_extra={"requestBody": _UPLOAD_BODY},
    )
    async def add_articles(request: Request) -> Any:
        """Ingest files (multipart, field `files`, repeatable) or JSON records (a body like a
        .json file: one object or a list). Each is stored and ingested by the UI's rules;
        the reply is the ingest report and each file's result."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        with tempfile.TemporaryDirectory(prefix="qa-upload-") as tmp:
            files = await _saved_uploads(request, ctype, Path(tmp), kb.settings.api_max_files)
            done: list[Upload] = []
            for path, name in files:
                done.append(await run_in_threadpool(ingest_upload, kb, path, name))
        result = {
            "report": merged([u.report for u in done]),
            "files": [u.to_dict() for u in done],
        }
        if not any(u.ok for u in done):
            raise _nothing_kept(done, ctype, result)
        return result


async def _saved_uploads(
    request: Request, ctype: str, tmp: Path, max_files: int
) -> list[tuple[Path, str]]:
    """The request's files (or its JSON records, as one file) saved under `tmp`, with the
    names they were sent as."""
    if ctype == "multipart/form-data":
        return await _save_files(request, tmp, max_files)
    if ctype == "application/json":
        return [await _save_records(request, tmp)]
    raise ApiError(
        415,
        "Content-Type: send multipart/form-data (files) or application/json (records)",
        "Content-Type",
    )


def _nothing_kept(done: list[Upload], ctype: str, result: dict[str, Any]) -> ApiError:
    """The error for an upload of which nothing was kept, naming the first file's problem."""
    i, first = next((i, u) for i, u in enumerate(done))
    field = "body" if ctype == "application/json" else f"files[{i}]"
    status = 422 if first.result != "refused" else _refused_status(first.details)
    return ApiError(status, f"{field}: {first.details}", field, extra=result)


def _health_route(r: APIRouter, kb: KnowledgeBase, stats: StreamStats) -> None:
    @r.get("/health", responses={401: _ERR})
    def health() -> dict[str, Any]:
        """Index format version, counts, answer mode and the streams now running."""
        from qa.httpapi.v1 import models

        return {
            "status": "ok",
            **kb.info(),
            "models": list(models(kb)),
            "streams": stats.to_dict(),
        }


def _refused_status(details: str) -> int:
    if details.startswith("unsupported file type"):
        return 415
    if "limit" in details:
        return 413
    return 400


async def _save_files(request: Request, tmp: Path, max_files: int) -> list[tuple[Path, str]]:
    try:
        form = await request.form(max_files=max_files, max_fields=100)
    except HTTPException as e:  # Starlette's multipart errors (too many files, bad framing)
        raise ApiError(400, f"files: {e.detail}", "files") from e
    out = []
    try:
        parts = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
        if not parts:
            raise ApiError(
                400, "files: no file in the form (send one or more `files` parts)", "files"
            )
        for i, part in enumerate(parts):
            path = tmp / f"{i}.upload"
            with open(path, "wb") as fh:
                while chunk := await part.read(1 << 20):
                    fh.write(chunk)
            out.append((path, part.filename or ""))
    finally:
        await form.close()
    return out


async def _save_records(request: Request, tmp: Path) -> tuple[Path, str]:
    body = await request.body()
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ApiError(400, f"body: not valid JSON ({e})", "body") from e
    if not isinstance(data, (dict, list)) or not data:
        raise ApiError(400, "body: send one article record (an object) or a list of them", "body")
    path = tmp / "records.json"
    path.write_bytes(body)
    # Stored like an uploaded .json file, named by its content (the same records, one file).
    return path, f"records-{hashlib.sha256(body).hexdigest()[:12]}.json"


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
                "required": ["files"],
            }
        },
        "application/json": {
            "schema": {
                "oneOf": [
                    {"type": "object", "description": "one article record"},
                    {"type": "array", "items": {"type": "object"}},
                ]
            },
            "example": [
                {
                    "id": "example-1",
                    "title": "A headline",
                    "text": "The article's text …",
                    "source": "example.com",
                    "published_at": "2025-09-01",
                    "url": "https://example.com/a",
                }
            ],
        },
    },
}

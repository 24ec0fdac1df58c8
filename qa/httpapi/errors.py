"""Every error the API returns is JSON, OpenAI's shape, naming the field at fault:
`{"error": {"message": "messages: Field required", "type": "invalid_request_error",
"param": "messages", "code": null}}`. Never a traceback: an unexpected exception is logged
here, and the client hears only that it happened."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from qa.api import QuestionError
from qa.store import IndexBusy, StoreError
from qa.when import TimeError

log = logging.getLogger("qa.httpapi")

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "request_too_large",
    415: "invalid_request_error",
    422: "invalid_request_error",
    503: "unavailable",
}


class ApiError(HTTPException):
    """An HTTP error with the field at fault (`param`). An HTTPException, so FastAPI lets it
    through unchanged even from inside its body reading (the body size guard raises it)."""

    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(status, message, headers)
        self.param = param
        self.extra = extra or {}


def error_body(status: int, message: str, param: str | None = None) -> dict[str, Any]:
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


def error_response(
    status: int,
    message: str,
    param: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse({**error_body(status, message, param), **(extra or {})}, status, headers)


def field_name(loc: Sequence[str | int]) -> str:
    """("body", "messages", 0, "content") -> "messages[0].content"."""
    out = ""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif not str(p).startswith("function-") and "[" not in str(p):  # union branch labels
            out += f".{p}" if out else str(p)
    return out


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    err = exc.errors()[0]
    if err.get("type") == "json_invalid":
        return error_response(400, f"body: not valid JSON ({err.get('msg')})", "body")
    param = field_name(err.get("loc", ())) or "body"
    msg = {"extra_forbidden": "unknown field", "missing": "required"}.get(
        err.get("type", ""), err.get("msg", "invalid")
    )
    return error_response(400, f"{param}: {msg}", param)


def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    param = getattr(exc, "param", None)
    extra = getattr(exc, "extra", None)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return error_response(exc.status_code, message, param, exc.headers, extra)


def _busy(_: Request, exc: Exception) -> JSONResponse:
    return error_response(503, str(exc), None, {"Retry-After": "5"})


def _store(_: Request, exc: Exception) -> JSONResponse:
    log.warning("index error: %s", exc)
    return error_response(503, str(exc))


def _question(_: Request, exc: Exception) -> JSONResponse:
    return error_response(400, str(exc), "question")


def _time(_: Request, exc: Exception) -> JSONResponse:
    """A date in the question that is no date ("since 31 February"), or a bad as_of."""
    field = "as_of" if str(exc).startswith("as_of:") else "question"
    return error_response(400, str(exc), field)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error while answering this request (see the server log)")


def install(app: FastAPI) -> None:
    """JSON errors for everything the API raises."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(IndexBusy, _busy)
    app.add_exception_handler(StoreError, _store)
    app.add_exception_handler(QuestionError, _question)
    app.add_exception_handler(TimeError, _time)
    app.add_exception_handler(Exception, _unexpected)


def not_found(app: FastAPI, routes: Sequence[Any]) -> None:
    """Unknown paths under /v1 and /api get the API's JSON 404 (or 405), not the UI's page
    (the UI, mounted at /, would otherwise answer for them)."""
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    def unknown(request: Request) -> None:
        path = request.url.path
        allowed = set()
        for route in routes:
            match, _ = route.matches(request.scope)
            if match is Match.PARTIAL:
                allowed |= getattr(route, "methods", set())
        if allowed:
            raise ApiError(
                405,
                f"{request.method} is not allowed on {path}; use {', '.join(sorted(allowed))}",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        raise ApiError(404, f"no endpoint {request.method} {path} (see /docs)")

    for prefix in ("/v1", "/api"):
        app.add_api_route(
            prefix + "/{rest:path}", unknown, methods=methods, include_in_schema=False
        )

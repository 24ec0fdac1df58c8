"""Who may call the API and how much they may send: the bearer key, the bind rule, body size
limits and CORS. All of it applies to the API's paths (/v1, /api) only; the UI mounted beside
it keeps Gradio's own rules (its login is QA_UI_AUTH)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.config import Settings
from qa.httpapi.errors import ApiError, error_body
from qa.uploads import max_upload_bytes

API_PREFIXES = ("/v1", "/api")
UPLOAD_PATH = "/api/articles"
_bearer = HTTPBearer(auto_error=False, description="QA_API_KEY, when the server has one")


class BindRefused(ValueError):
    """The server would listen beyond this machine with no API key; the message says why."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: Settings) -> None:
    """Refuse to listen on anything but loopback without QA_API_KEY."""
    if is_loopback(host) or settings.api_key:
        return
    raise BindRefused(
        f"refusing to serve on {host} without QA_API_KEY: the HTTP API beside the UI can read, "
        "add and delete articles, so anyone who can reach this address could. Set QA_API_KEY "
        "(clients then send 'Authorization: Bearer <key>'), or serve on 127.0.0.1."
    )


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def require_key(settings: Settings) -> Callable[..., Awaitable[None]]:
    """A dependency: with `api_key` set, the request must carry `Authorization: Bearer <key>`.
    Compared in constant time (digests of equal length, so not even the length leaks)."""
    want = _digest(settings.api_key.get_secret_value()) if settings.api_key else None

    async def check(creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:  # noqa: B008
        if want is None:
            return
        given = _digest(creds.credentials if creds else "")
        if not hmac.compare_digest(given, want):
            raise ApiError(
                401,
                "missing or wrong API key: send 'Authorization: Bearer <QA_API_KEY>'",
                "Authorization",
                {"WWW-Authenticate": "Bearer"},
            )

    return check


def is_api_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in API_PREFIXES)


class ApiGuard:
    """ASGI middleware for the API's paths: body size limits (refused by Content-Length up
    front, and counted as the body arrives, for chunked bodies), then CORS when `api_cors`
    lists origins. Other paths (the UI) pass through untouched."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.json_limit = settings.api_max_body_kb * 1024
        # The upload rules' cap per file, times the files one request may carry, plus room
        # for the multipart headers.
        self.upload_limit = max_upload_bytes(settings) * settings.api_max_files + 1024 * 1024
        self.inner: ASGIApp = app
        if settings.api_cors:
            self.inner = CORSMiddleware(
                app,
                allow_origins=settings.api_cors,
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"] == UPLOAD_PATH
        limit = self.upload_limit if upload else self.json_limit
        what = "an upload" if upload else "a request body"
        setting = "QA_UI_MAX_UPLOAD_MB per file" if upload else "QA_API_MAX_BODY_KB"
        message = f"body: {what} may be at most {_size(limit)} ({setting})"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _send_json(send, 413, error_body(413, message, "body"))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise ApiError(413, message, "body")
            return msg

        await self.inner(scope, counted, send)


def _size(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n // 1024} KB"


async def _send_json(send: Send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})

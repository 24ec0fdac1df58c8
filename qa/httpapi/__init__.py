"""The HTTP API: OpenAI-compatible chat with citations (/v1) and REST (/api) over one
`KnowledgeBase`. `create_app(kb)` is a FastAPI app with the API alone; `ui.serve` mounts the
web UI on the same app, so `qa serve` (and `qa ui`, `make run`) serve both on one port.

- `v1`        GET /v1/models, POST /v1/chat/completions (streamed or not)
- `rest`      /api/ask, /api/search, /api/articles (list, one, upload, delete), /api/health
- `models`    the request bodies and reply shapes (pydantic; /docs shows them)
- `security`  the bearer key (QA_API_KEY), the loopback-only rule without one, body limits, CORS
- `errors`    every error as JSON naming the field at fault, never a traceback
- `streams`   server-sent events from the engine's generators; what each stream became

It depends on the engine's public API only (`KnowledgeBase`, `qa.uploads`, `qa.types`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa.httpapi.security import BindRefused, check_bind, is_loopback

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from qa.api import KnowledgeBase

__all__ = ["BindRefused", "check_bind", "create_app", "is_loopback"]


def create_app(kb: KnowledgeBase) -> FastAPI:
    """The API over `kb`: /v1 and /api (behind the key when `api_key` is set), /docs and
    /openapi.json. Mount other apps (the UI) after it, so its routes match first."""
    from fastapi import Depends, FastAPI

    import qa
    from qa.httpapi import errors, rest, v1
    from qa.httpapi.security import ApiGuard, require_key
    from qa.httpapi.streams import StreamStats

    app = FastAPI(
        title="News QA API",
        version=qa.__version__,
        summary="Answers about news articles with [n] citations checked against the articles.",
        description="OpenAI-compatible chat under /v1, REST under /api. See docs/api.md.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    stats = StreamStats()
    app.state.kb, app.state.streams = kb, stats
    errors.install(app)
    auth = [Depends(require_key(kb.settings))]
    routers = [v1.router(kb, stats), rest.router(kb, stats)]
    for r in routers:
        app.include_router(r, dependencies=auth)
    errors.not_found(app, [route for r in routers for route in r.routes])
    app.add_middleware(ApiGuard, settings=kb.settings)
    return app

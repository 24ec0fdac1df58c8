"""One app on one port: the HTTP API (`qa.httpapi`) with the web UI mounted beside it.

`qa serve`, `qa ui`, `python -m ui` and `make run` all serve this app: the API under /v1,
/api and /docs, the Gradio UI at / (mounted with `gr.mount_gradio_app`, not a second server),
run by uvicorn in a thread so the caller decides when to stop.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr
import uvicorn
from starlette.routing import Mount

from qa.httpapi import check_bind, create_app
from qa.uploads import max_upload_bytes
from ui import render

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from qa.api import KnowledgeBase

START_WAIT = 60.0  # seconds for uvicorn to bind and run the startup events


def build(
    kb: KnowledgeBase, host: str, port: int, auth: tuple[str, str] | None = None
) -> tuple[FastAPI, gr.Blocks]:
    """The API app with the UI mounted at / (after the API's routes, so those match first)."""
    from ui.app import HEAD, build_app

    app = create_app(kb)
    demo = build_app(kb)
    demo.queue(default_concurrency_limit=1)
    gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=host,
        server_port=port,
        footer_links=["api"],
        auth=auth,
        auth_message="News QA: sign in with the QA_UI_AUTH user and password." if auth else None,
        show_error=False,
        max_file_size=max_upload_bytes(kb.settings),
        ssr_mode=False,
        enable_monitoring=False,
        pwa=False,
        mcp_server=False,
        css=render.CSS,
        head=HEAD,
    )
    return app, demo


@dataclass
class Served:
    """A running server: `close()` stops it (the UI's queue first, then uvicorn)."""

    server: uvicorn.Server
    thread: threading.Thread
    blocks: gr.Blocks
    ui_app: Any  # the Gradio app mounted at /
    server_name: str
    server_port: int

    @property
    def url(self) -> str:
        return f"http://{self.server_name}:{self.server_port}/"

    def close(self) -> None:
        # The UI's heartbeat streams stay open while a browser tab (or gradio_client) is
        # connected, and uvicorn waits for open connections: end them first, as
        # `Blocks.close` does for a server Gradio started itself (its queue too).
        self.blocks.is_running = True
        self.blocks.close(verbose=False)
        self.ui_app.stop_event.set()
        self.server.should_exit = True
        self.thread.join(10)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(10)


def serve(
    kb: KnowledgeBase,
    host: str,
    port: int,
    auth: tuple[str, str] | None = None,
    *,
    quiet: bool = True,
) -> Served:
    """Start the app on host:port in a thread and return once it answers. Refuses a
    non-loopback host without QA_API_KEY (`qa.httpapi.BindRefused`)."""
    check_bind(host, kb.settings)
    if kb.settings.warm_index:
        kb.store.warm()  # a background read: the first questions find the index cached
    app, demo = build(kb, host, port, auth)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"qa-serve-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_WAIT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise OSError(f"could not serve on {host}:{port} (is the port in use?)")
        time.sleep(0.02)
    ui_app = next(r.app for r in app.routes if isinstance(r, Mount) and r.path == "")
    return Served(server, thread, demo, ui_app, host, port)

"""The Gradio web UI for News QA: renders the engine's events, holds no retrieval logic.

`build_app(kb)` returns the Blocks; `launch(kb, ...)` serves it; `main(argv)` is `python -m ui`.
Importing this package is cheap; gradio is imported only when `ui.app` is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import gradio as gr

__all__ = ["build_app", "launch", "main"]


def build_app(kb: Any) -> gr.Blocks:
    """Build the Blocks app over a KnowledgeBase (see `ui.app.build_app`)."""
    from ui.app import build_app as _build

    return _build(kb)


def launch(kb: Any, host: str = "127.0.0.1", port: int = 7860, auth: Any = None, **kw: Any) -> Any:
    """Serve the app (see `ui.app.launch`)."""
    from ui.app import launch as _launch

    return _launch(kb, host=host, port=port, auth=auth, **kw)


def main(argv: list[str] | None = None) -> int:
    """`python -m ui` entry point (see `ui.app.main`)."""
    from ui.app import main as _main

    return _main(argv)

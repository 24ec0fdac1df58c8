"""The Gradio web UI for News QA: renders the engine's events, holds no retrieval logic.

`build_app(kb)` returns the Blocks; `launch(kb, ...)` serves it; `main(argv)` is `python -m ui`.
Importing this package is cheap; gradio is imported only when `ui.app` is. The page is built
in `ui.app` from one module per tab (`ui.chat_tab`, `ui.corpus_tab`); HTML in `ui.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import gradio as gr

    from qa.api import KnowledgeBase

__all__ = ["build_app", "launch", "main"]


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    """Build the Blocks app over a KnowledgeBase (see `ui.app.build_app`)."""
    from ui.app import build_app as _build

    return _build(kb)


def launch(
    kb: KnowledgeBase,
    host: str | None = None,
    port: int | None = None,
    auth: tuple[str, str] | None = None,
    **kw: Any,
) -> gr.Blocks:
    """Serve the app; host, port and auth default to the kb's settings (see `ui.app.launch`)."""
    from ui.app import launch as _launch

    return _launch(kb, host=host, port=port, auth=auth, **kw)


def main(argv: list[str] | None = None) -> int:
    """`python -m ui` entry point (see `ui.app.main`)."""
    from ui.app import main as _main

    return _main(argv)

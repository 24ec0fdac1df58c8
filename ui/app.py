"""The Gradio app: a streaming, cited chat over the corpus, plus a corpus manager.

This module assembles the page (one module per tab: `ui.chat_tab`, `ui.corpus_tab`) and serves
it beside the HTTP API (`ui.serve`: one app, one port); the tabs only wire components to qa's
public API (`KnowledgeBase`, `Conversation`) and render the events `ask_stream` yields. All
retrieval, prompting and citation checking lives in the engine. HTML comes from `ui.render`,
which escapes everything it is given.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import gradio as gr

from qa.config import Settings, settings_from
from qa.httpapi import check_bind, is_loopback
from ui import chat_tab, corpus_tab, render

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase
    from ui.serve import Served

HEAD = """
<script>
// Clicking a [n] marker scrolls to its card and flashes it, even if the hash is unchanged.
document.addEventListener("click", (ev) => {
  const a = ev.target.closest && ev.target.closest("a.qa-cite");
  if (!a) return;
  const id = (a.getAttribute("href") || "").slice(1);
  const card = id && document.getElementById(id);
  if (!card) return;
  ev.preventDefault();
  history.replaceState(null, "", "#" + id);
  card.scrollIntoView({block: "center"});
  document.querySelectorAll(".qa-card.qa-flash").forEach((c) => c.classList.remove("qa-flash"));
  card.classList.add("qa-flash");
});
</script>
"""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def header_md(kb: KnowledgeBase) -> str:
    """The page title with the corpus size and the answer mode."""
    return (
        f"# News QA\nAsk questions about **{_plural(len(kb.articles()), 'article')}** from "
        f"{_plural(len(kb.sources()), 'source')}; every claim links to the article it came "
        f"from. Answer mode: **{kb.settings.llm_mode}**."
    )


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    """The whole UI over one KnowledgeBase; per-tab chat history lives in gr.State."""
    articles = kb.articles()
    with gr.Blocks(title="News QA", analytics_enabled=False) as demo:
        session = gr.State(None)
        header = gr.Markdown(header_md(kb), elem_id="qa-header")
        if kb.settings.llm_mode == "extractive":
            gr.Markdown(render.EXTRACTIVE_BANNER, elem_id="qa-banner", elem_classes="qa-banner")
        with gr.Tabs():
            ask = chat_tab.build(kb, articles)
            corpus = corpus_tab.build(kb, articles)

        def refresh() -> tuple[Any, ...]:
            """Everything that shows the corpus, after a write or on page load."""
            arts = kb.articles()
            return (
                header_md(kb),
                gr.Dropdown(choices=kb.sources()),
                gr.Chatbot(examples=chat_tab.examples(arts)),
                render.article_rows(arts),
                gr.Dropdown(choices=render.article_choices(arts), value=None),
            )

        refresh_outputs = [header, ask.sources, ask.chatbot, corpus.articles, corpus.to_delete]
        chat_tab.wire(kb, ask, session)
        corpus_tab.wire(kb, corpus, refresh, refresh_outputs)
        demo.load(refresh, outputs=refresh_outputs, api_name="refresh")
    return demo


def login(settings: Settings) -> tuple[str, str] | None:
    """`ui_auth` (env `QA_UI_AUTH=user:password`) as Gradio's auth pair; unset: no login."""
    raw = settings.ui_auth.get_secret_value().strip() if settings.ui_auth else ""
    if not raw:
        return None
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise ValueError("QA_UI_AUTH must look like user:password")
    return user, password


def launch(
    kb: KnowledgeBase,
    host: str | None = None,
    port: int | None = None,
    auth: tuple[str, str] | None = None,
    *,
    block: bool = True,
    quiet: bool = False,
) -> Served:
    """Serve the UI and the HTTP API (one app, one port, `ui.serve`); with block=False return
    the running server at once (`.close()` stops it).

    host, port and auth default to the kb's settings (`ui_host` 127.0.0.1, `ui_port` 7860,
    `ui_auth` none). A host beyond loopback needs QA_API_KEY (`qa.httpapi.BindRefused`).
    Blocking mode returns after Ctrl-C (or SIGTERM) once the server is closed, so `qa ui`
    exits cleanly.
    """
    from ui.serve import serve

    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # for gradio itself; not a setting
    settings = kb.settings
    auth = login(settings) if auth is None else auth
    host = settings.ui_host if host is None else host
    port = settings.ui_port if port is None else port
    stop = threading.Event()
    previous = None
    if block and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    served = None
    try:
        served = serve(kb, host, port, auth, quiet=quiet)
        if not block:
            return served
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:  # Ctrl-C, even during start-up, is the normal way to stop
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("\nStopping News QA…", file=sys.stderr)
    if served is not None:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C while closing
            served.close()
    return served  # type: ignore[return-value]


def run(settings: Settings, ingest: Sequence[str] = ()) -> int:
    """Open the index `settings` name, ingest `ingest` first, serve until stopped: the exit
    code. `qa ui` and `python -m ui` both end here, so every flag they take reaches the app."""
    from qa import KnowledgeBase

    try:
        auth = login(settings)
        check_bind(settings.ui_host, settings)  # before opening anything
    except ValueError as exc:  # BindRefused is one too
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        kb = KnowledgeBase(settings=settings)
        if ingest:
            print(kb.ingest(list(ingest), progress=True).summary(), file=sys.stderr)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    host, port = settings.ui_host, settings.ui_port
    if not is_loopback(host) and not auth:
        print(
            f"warning: serving the UI on {host} without a login; set QA_UI_AUTH=user:password",
            file=sys.stderr,
        )
    url = f"http://{host}:{port}"
    print(
        f"News QA: UI {url}/, API {url}/v1 and {url}/api (docs {url}/docs)  (Ctrl-C to stop)",
        file=sys.stderr,
    )
    try:
        launch(kb, host=host, port=port, auth=auth, quiet=True)
    except OSError as exc:  # the port is taken, the address isn't ours
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        kb.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m ui`: open an index (QA_INDEX by default), optionally ingest, then serve."""
    p = argparse.ArgumentParser(
        prog="python -m ui", description="Serve the News QA web UI and HTTP API."
    )
    p.add_argument("--index", help="index folder (default: QA_INDEX or the per-user folder)")
    p.add_argument("--host", help="address to bind (default: QA_UI_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: QA_UI_PORT or 7860)")
    p.add_argument("--chroma-url", help="use a `chroma run` server (default: QA_CHROMA_URL)")
    p.add_argument("--ingest", nargs="*", default=[], metavar="PATH", help="ingest first")
    args = p.parse_args(argv)
    settings = settings_from(
        index=args.index, chroma_url=args.chroma_url, ui_host=args.host, ui_port=args.port
    )
    return run(settings, args.ingest)

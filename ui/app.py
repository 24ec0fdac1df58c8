"""The Gradio app: a streaming, cited chat over the corpus, plus a corpus manager.

This module only wires components to qa's public API (`KnowledgeBase`, `Conversation`) and
renders the events `ask_stream` yields; all retrieval, prompting and citation checking lives
in the engine. HTML comes from `ui.render`, which escapes everything it is given.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import argparse
import contextlib
import re
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from qa.types import Answer, CitationEvent, Final, IngestReport, Status, TextDelta
from ui import render
from ui.uploads import ALLOWED_SUFFIXES, UploadRefused, max_upload_bytes, store_upload

DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")

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


@dataclass
class ChatSession:
    """One browser tab's conversation: the engine's Conversation and the rendered messages."""

    conv: Any
    messages: list[dict[str, str]] = field(default_factory=list)


def data_dir(kb: Any) -> Path:
    """The folder uploads are copied into: `<index>/data`."""
    return Path(kb.settings.index) / "data"


def auth_from_env() -> tuple[str, str] | None:
    """`QA_UI_AUTH=user:password` turns on the login page; unset means no login."""
    raw = os.environ.get("QA_UI_AUTH", "").strip()
    if not raw:
        return None
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise ValueError("QA_UI_AUTH must look like user:password")
    return user, password


def _date(value: Any, label: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    m = DATE.match(str(value))
    if not m:
        raise gr.Error(f"{label} must be a date like 2025-08-31, not {str(value)[:40]!r}")
    return m.group(1)


def _filters(sources: Any, since: Any, until: Any) -> dict[str, Any]:
    if isinstance(sources, str):
        sources = [sources]
    src = [s for s in (sources or []) if s]
    lo, hi = _date(since, "From"), _date(until, "To")
    if lo and hi and lo > hi:
        raise gr.Error("The 'From' date is after the 'To' date.")
    return {"since": lo, "until": hi, "source": src or None}


def _ingest_result(rep: IngestReport) -> tuple[str, str]:
    """A one-word result and the details for one file's IngestReport."""
    details = rep.summary()
    if rep.duplicates:
        dup = ", ".join(f"{new} = {old}" for new, old in rep.duplicates.items())
        details += f"; duplicate content of: {dup}"
    if rep.failed:
        details += "; " + "; ".join(str(f) for f in rep.failed[:5])
        if len(rep.failed) > 5:
            details += f"; … {len(rep.failed) - 5} more"
    if rep.added:
        word = "added"
    elif rep.updated:
        word = "updated"
    elif rep.unchanged:
        word = "unchanged"
    elif rep.duplicates:
        word = "duplicate"
    elif rep.failed:
        word = "failed"
    else:
        word = "nothing found"
    if rep.failed and word != "failed":
        word += " (some records failed)"
    return word, details


def _example_text(evt: gr.SelectData) -> str:
    """The question of the example box that was clicked."""
    value = evt.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def build_app(kb: Any) -> gr.Blocks:
    """The whole UI over one KnowledgeBase; per-tab chat history lives in gr.State."""
    mode = kb.settings.llm_mode
    max_mb = max_upload_bytes() / 1048576

    def header_md() -> str:
        arts = kb.articles()
        srcs = kb.sources()
        return (
            f"# News QA\nAsk questions about **{_plural(len(arts), 'article')}** from "
            f"{_plural(len(srcs), 'source')}; every claim links to the article it came from. "
            f"Answer mode: **{mode}**."
        )

    def article_choices() -> list[tuple[str, str]]:
        return [(f"{render.short_title(a.title, 60)} ({a.id})", a.id) for a in kb.articles()]

    def refresh(needle: str = "") -> tuple[Any, ...]:
        arts = kb.articles()
        qs = render.example_questions(arts)
        return (
            header_md(),
            gr.Dropdown(choices=kb.sources()),
            gr.Chatbot(examples=[{"text": q} for q in qs]),
            render.article_rows(arts, needle or ""),
            gr.Dropdown(choices=article_choices(), value=None),
        )

    def ask(question: str, sources: Any, since: Any, until: Any, session: ChatSession | None):
        """Stream one turn: draft text and status while it runs, then the final answer."""
        session = session or ChatSession(kb.chat())
        q = (question or "").strip()
        if not q:
            gr.Warning("Type a question first.")
            yield session.messages, session, gr.skip(), question
            return
        filters = _filters(sources, since, until)
        turn = render.new_turn_id()
        msgs = [*session.messages, {"role": "user", "content": render.user_html(q)}]
        msgs.append({"role": "assistant", "content": render.render_draft("", "retrieving")})
        yield msgs, session, gr.skip(), ""
        draft, status, n_cit = "", None, 0
        final: Answer | None = None
        try:
            for ev in session.conv.ask_stream(q, **filters):
                if isinstance(ev, Final):
                    final = ev.answer  # no break: the conversation records the turn after it
                    continue
                if isinstance(ev, Status):
                    status = ev.message
                elif isinstance(ev, TextDelta):
                    draft += ev.text
                elif isinstance(ev, CitationEvent):
                    n_cit += 1
                msgs[-1] = {
                    "role": "assistant",
                    "content": render.render_draft(draft, status, n_cit),
                }
                yield msgs, session, gr.skip(), gr.skip()
        except Exception as exc:  # the engine's message, never a traceback, in the chat
            msgs[-1] = {"role": "assistant", "content": render.render_error(str(exc) or repr(exc))}
            session.messages = msgs
            yield msgs, session, {"error": str(exc)}, gr.skip()
            return
        if final is None:
            msgs[-1] = {"role": "assistant", "content": render.render_error("No answer came back.")}
            session.messages = msgs
            yield msgs, session, {"error": "no final answer"}, gr.skip()
            return
        msgs[-1] = {
            "role": "assistant",
            "content": render.render_answer(final, turn, kb.article_text),
        }
        session.messages = msgs
        yield msgs, session, final.to_dict(), gr.skip()

    def clear() -> tuple[list, None, None, str]:
        """Forget this tab's conversation (a new one starts with the next question)."""
        return [], None, None, ""

    def search(needle: str) -> tuple[list[list[object]], str]:
        """Filter the article list and show the best-matching passages from the index."""
        needle = (needle or "").strip()
        if not needle:
            return render.article_rows(kb.articles()), ""
        try:
            found = kb.search(needle, k=8)
        except ValueError as exc:  # the engine's QuestionError: too long, only symbols, ...
            return render.article_rows(kb.articles(), needle), render.render_error(str(exc))
        rows = render.article_rows(kb.articles(), needle, also=[h.article_id for h in found])
        return rows, render.hits_html(found)

    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Copy each file into the data folder under a safe name, ingest it, report per file."""
        files = [f for f in (files or []) if f]
        results: list[list[str]] = []
        target = data_dir(kb)
        for i, path in enumerate(files):
            name = Path(path).name
            progress((i, len(files)), desc=f"Ingesting {name}", unit="files")
            try:
                dest = store_upload(path, name, target)
            except UploadRefused as exc:
                results.append([name, "refused", str(exc)])
                continue
            try:
                rep = kb.ingest([str(dest)], progress=False)
            except Exception as exc:
                dest.unlink(missing_ok=True)
                results.append([name, "failed", str(exc) or repr(exc)])
                continue
            word, details = _ingest_result(rep)
            if word in ("failed", "nothing found"):
                dest.unlink(missing_ok=True)  # keep no junk in the data folder
            results.append([name, word, f"stored as {dest.name}; {details}"])
        progress((len(files), len(files)), desc="Done", unit="files")
        if not files:
            summary = "Choose one or more files first."
        else:
            ok = sum(1 for r in results if r[1] not in ("refused", "failed", "nothing found"))
            summary = f"{ok} of {len(files)} files ingested."
        return (results, summary, None, *refresh())

    def delete(article_id: str | None) -> tuple[Any, ...]:
        """Remove one article (all its chunks) from the index."""
        if not article_id:
            msg = "Choose an article to delete."
        elif kb.delete(article_id):
            msg = f"Deleted {article_id}."
        else:
            msg = f"No article with id {article_id}."
        return (msg, *refresh())

    arts0 = kb.articles()
    with gr.Blocks(title="News QA", analytics_enabled=False) as demo:
        session = gr.State(None)
        header = gr.Markdown(header_md(), elem_id="qa-header")
        if mode == "extractive":
            gr.Markdown(render.EXTRACTIVE_BANNER, elem_id="qa-banner", elem_classes="qa-banner")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row():
                with gr.Column(scale=4):
                    chatbot = gr.Chatbot(
                        label="Answers",
                        elem_id="qa-chat",
                        height=560,
                        render_markdown=False,  # we send escaped HTML, not markdown
                        sanitize_html=True,
                        allow_tags=False,
                        feedback_options=None,
                        buttons=["copy"],
                        placeholder="Ask about the articles in the corpus, or try one of these:",
                        # Example questions drawn from the corpus, shown while the chat is empty.
                        examples=[{"text": q} for q in render.example_questions(arts0)],
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            show_label=False,
                            placeholder="Ask a question about the news…",
                            elem_id="qa-question",
                            scale=6,
                            max_lines=6,
                        )
                        ask_btn = gr.Button("Ask", variant="primary", elem_id="qa-ask", scale=1)
                        clear_btn = gr.Button("Clear chat", elem_id="qa-clear", scale=1)
                    with gr.Accordion("Last answer as JSON", open=False):
                        answer_json = gr.JSON(label="answer", elem_id="qa-json")
                with gr.Column(scale=1, min_width=220):
                    gr.Markdown("### Filters")
                    sources = gr.Dropdown(
                        choices=kb.sources(),
                        multiselect=True,
                        label="Sources",
                        info="Empty means all sources.",
                        elem_id="qa-sources",
                    )
                    since = gr.DateTime(
                        include_time=False,
                        type="string",
                        label="Published from",
                        elem_id="qa-since",
                    )
                    until = gr.DateTime(
                        include_time=False,
                        type="string",
                        label="Published to",
                        elem_id="qa-until",
                    )
            with gr.Tab("Corpus", id="corpus"):
                with gr.Row():
                    needle = gr.Textbox(
                        show_label=False,
                        placeholder="Search titles and passages…",
                        elem_id="qa-search",
                        scale=5,
                    )
                    search_btn = gr.Button("Search", elem_id="qa-search-btn", scale=1)
                articles = gr.Dataframe(
                    value=render.article_rows(arts0),
                    headers=["Title", "Source", "Published", "Chunks", "ID"],
                    datatype=["str", "str", "str", "number", "str"],
                    interactive=False,
                    label="Articles",
                    elem_id="qa-articles",
                    wrap=True,
                )
                hits = gr.HTML(elem_id="qa-hits")
                with gr.Row():
                    with gr.Column():
                        gr.Markdown(
                            f"### Add articles\nAccepted: {' '.join(ALLOWED_SUFFIXES)}; "
                            f"up to {max_mb:.0f} MB per file. Files are copied into the "
                            "index's data folder; a .txt/.md/.html file's article id is its "
                            "(sanitised) file name."
                        )
                        files = gr.File(
                            file_count="multiple",
                            type="filepath",
                            label="Files to ingest",
                            elem_id="qa-upload",
                        )
                        ingest_btn = gr.Button(
                            "Ingest files", variant="primary", elem_id="qa-ingest"
                        )
                        ingest_summary = gr.Markdown(elem_id="qa-ingest-summary")
                        ingest_table = gr.Dataframe(
                            headers=["File", "Result", "Details"],
                            datatype=["str", "str", "str"],
                            interactive=False,
                            label="Per-file result",
                            elem_id="qa-ingest-results",
                            wrap=True,
                        )
                    with gr.Column():
                        gr.Markdown("### Delete an article")
                        to_delete = gr.Dropdown(
                            choices=[
                                (f"{render.short_title(a.title, 60)} ({a.id})", a.id) for a in arts0
                            ],
                            label="Article",
                            allow_custom_value=True,  # API clients pass an article id
                            elem_id="qa-delete-choice",
                        )
                        delete_btn = gr.Button(
                            "Delete article", variant="stop", elem_id="qa-delete"
                        )
                        delete_msg = gr.Markdown(elem_id="qa-delete-msg")

        refresh_outputs = [header, sources, chatbot, articles, to_delete]
        gr.on(
            [question.submit, ask_btn.click],
            ask,
            inputs=[question, sources, since, until, session],
            outputs=[chatbot, session, answer_json, question],
            api_name="ask",
            show_progress="hidden",  # the streamed draft shows the engine's status instead
            concurrency_limit=int(os.environ.get("QA_UI_CONCURRENCY", "1") or 1),
            concurrency_id="ask",
        )
        chatbot.example_select(
            _example_text, outputs=[question], api_visibility="private", queue=False
        ).then(
            ask,
            inputs=[question, sources, since, until, session],
            outputs=[chatbot, session, answer_json, question],
            api_visibility="private",
            show_progress="hidden",
            concurrency_id="ask",
        )
        clear_btn.click(
            clear, outputs=[chatbot, session, answer_json, question], api_name="clear", queue=False
        )
        # The chat's own trash icon empties the chat; forget the conversation with it.
        chatbot.clear(
            clear, outputs=[chatbot, session, answer_json, question], api_visibility="private"
        )
        gr.on(
            [needle.submit, search_btn.click],
            search,
            inputs=[needle],
            outputs=[articles, hits],
            api_name="search",
        )
        ingest_btn.click(
            upload,
            inputs=[files],
            outputs=[ingest_table, ingest_summary, files, *refresh_outputs],
            api_name="upload",
            concurrency_id="kb-write",
            concurrency_limit=1,
        )
        delete_btn.click(
            delete,
            inputs=[to_delete],
            outputs=[delete_msg, *refresh_outputs],
            api_name="delete",
            concurrency_id="kb-write",
            concurrency_limit=1,
        )
        demo.load(refresh, outputs=refresh_outputs, api_name="refresh")
    return demo


def launch(
    kb: Any,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    *,
    block: bool = True,
    quiet: bool = False,
) -> gr.Blocks:
    """Serve the app on host:port (127.0.0.1 by default); with block=False return at once.

    `auth` defaults to `QA_UI_AUTH`. Blocking mode returns after Ctrl-C (or SIGTERM) once
    the server is closed, so `qa ui` exits cleanly.
    """
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    if auth is None:
        auth = auth_from_env()
    demo = build_app(kb)
    demo.queue(default_concurrency_limit=1)
    stop = threading.Event()
    previous = None
    if block and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            auth_message="News QA: sign in with the QA_UI_AUTH user and password."
            if auth
            else None,
            max_file_size=max_upload_bytes(),
            prevent_thread_lock=True,
            quiet=quiet,
            show_error=False,
            ssr_mode=False,
            mcp_server=False,
            pwa=False,
            enable_monitoring=False,
            footer_links=["api"],
            css=render.CSS,
            head=HEAD,
        )
        if not block:
            return demo
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:  # Ctrl-C, even during start-up, is the normal way to stop
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("\nStopping News QA UI…", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C while closing
        demo.close()
    return demo


def main(argv: list[str] | None = None) -> int:
    """`python -m ui`: open an index (QA_INDEX by default), optionally ingest, then serve."""
    from qa import KnowledgeBase

    p = argparse.ArgumentParser(prog="qa ui", description="Serve the News QA web UI.")
    p.add_argument("--index", help="index folder (default: QA_INDEX or the per-user folder)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--chroma-url", help="use a `chroma run` server (default: QA_CHROMA_URL)")
    p.add_argument("--ingest", nargs="*", default=[], metavar="PATH", help="ingest first")
    args = p.parse_args(argv)
    try:
        auth = auth_from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        overrides = {"chroma_url": args.chroma_url} if args.chroma_url else {}
        kb = KnowledgeBase(args.index, **overrides)
        if args.ingest:
            print(kb.ingest(args.ingest, progress=True).summary(), file=sys.stderr)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    if args.host not in ("127.0.0.1", "localhost", "::1") and not auth:
        print(
            f"warning: serving on {args.host} without a login; set QA_UI_AUTH=user:password",
            file=sys.stderr,
        )
    print(f"News QA UI: http://{args.host}:{args.port}  (Ctrl-C to stop)", file=sys.stderr)
    launch(kb, host=args.host, port=args.port, auth=auth, quiet=True)
    kb.close()
    return 0

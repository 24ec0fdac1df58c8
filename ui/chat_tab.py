"""The Ask tab: a streaming, cited chat over the corpus, with source and date filters.

Each browser tab holds its own `ChatSession` in a gr.State; a turn renders the events of the
engine's `Conversation.ask_stream` and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import gradio as gr

from qa.retrieve import make_filters
from qa.types import Answer, ArticleInfo, CitationEvent, Event, Final, Status, TextDelta
from qa.when import parse_day
from ui import render

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase
    from qa.chat import Conversation


@dataclass
class ChatSession:
    """One browser tab's conversation: the engine's Conversation and the rendered messages."""

    conv: Conversation
    messages: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AskTab:
    """The Ask tab's components that events read or write."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    ask_btn: gr.Button
    clear_btn: gr.Button
    answer_json: gr.JSON
    sources: gr.Dropdown
    since: gr.DateTime
    until: gr.DateTime
    as_of: gr.DateTime
    parse_time: gr.Checkbox


def examples(articles: Sequence[ArticleInfo]) -> list[dict[str, str]]:
    """Example questions drawn from the corpus, shown while the chat is empty."""
    return [{"text": q} for q in render.example_questions(articles)]


def build(kb: KnowledgeBase, articles: Sequence[ArticleInfo]) -> AskTab:
    """The tab's layout: the chat and question box on the left, the filters on the right."""
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
                examples=examples(articles),
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
            # Labelled with the engine's words, so its messages about them read naturally.
            since = gr.DateTime(
                include_time=False, type="string", label="Published since", elem_id="qa-since"
            )
            until = gr.DateTime(
                include_time=False, type="string", label="Published until", elem_id="qa-until"
            )
            # The question's "today" for "yesterday", "last week" (qa/when.py); empty: today,
            # or the server's QA_AS_OF.
            as_of = gr.DateTime(
                include_time=False, type="string", label="Answer as of", elem_id="qa-as-of"
            )
            parse_time = gr.Checkbox(
                value=True,
                label="Read dates in the question",
                info="'yesterday', 'last week', 'in March' limit the articles searched",
                elem_id="qa-parse-time",
            )
    return AskTab(
        chatbot, question, ask_btn, clear_btn, answer_json, sources, since, until, as_of, parse_time
    )


def filters(
    sources: Any, since: Any, until: Any, as_of: Any = None, parse_time: Any = True
) -> dict[str, Any]:
    """The filter values as the engine checks them (`qa.retrieve.make_filters`,
    `qa.when.parse_day`: one rule); a bad date shows the engine's message."""
    try:
        f = make_filters(sources, since, until)
        day = parse_day(as_of or None)
    except ValueError as exc:
        raise gr.Error(str(exc)) from None
    opts = {"since": f.since, "until": f.until, "source": list(f.sources) or None}
    return {**opts, "as_of": day, "parse_time": parse_time is not False}


class Draft:
    """What has streamed in so far: text, the latest status, citations, and the Final answer."""

    def __init__(self) -> None:
        self.text = ""
        self.status: str | None = None
        self.citations = 0
        self.final: Answer | None = None

    def take(self, ev: Event) -> bool:
        """Record one event; True when the shown draft changed (a Final shows nothing yet)."""
        if isinstance(ev, Final):
            self.final = ev.answer
            return False
        if isinstance(ev, Status):
            self.status = ev.message
        elif isinstance(ev, TextDelta):
            self.text += ev.text
        elif isinstance(ev, CitationEvent):
            self.citations += 1
        return True

    def html(self) -> str:
        return render.render_draft(self.text, self.status, self.citations)


def _assistant(html: str) -> dict[str, str]:
    return {"role": "assistant", "content": html}


def _finish(session: ChatSession, msgs: list[dict[str, str]], html: str, json: Any) -> tuple:
    """The turn's last update: its message is kept in the session's history."""
    msgs[-1] = _assistant(html)
    session.messages = msgs
    return msgs, session, json, gr.skip()


def ask_turn(
    kb: KnowledgeBase,
    question: str,
    sources: Any,
    since: Any,
    until: Any,
    session: ChatSession | None,
    as_of: Any = None,
    parse_time: Any = True,
) -> Iterator[tuple]:
    """Stream one turn: draft text and status while it runs, then the final answer.

    Yields (chat messages, session, answer JSON, question box) for the tab's outputs.
    """
    session = session or ChatSession(kb.chat())
    q = (question or "").strip()
    if not q:
        gr.Warning("Type a question first.")
        yield session.messages, session, gr.skip(), question
        return
    opts = filters(sources, since, until, as_of, parse_time)
    turn = render.new_turn_id()
    msgs = [*session.messages, {"role": "user", "content": render.user_html(q)}]
    msgs.append(_assistant(render.render_draft("", "retrieving")))
    yield msgs, session, gr.skip(), ""
    draft = Draft()
    try:
        # No break at Final: the conversation records the turn after yielding it.
        for ev in session.conv.ask_stream(q, **opts):
            if draft.take(ev):
                msgs[-1] = _assistant(draft.html())
                yield msgs, session, gr.skip(), gr.skip()
    except Exception as exc:  # the engine's message, never a traceback, in the chat
        error = render.render_error(str(exc) or repr(exc))
        yield _finish(session, msgs, error, {"error": str(exc)})
        return
    if draft.final is None:
        error = render.render_error("No answer came back.")
        yield _finish(session, msgs, error, {"error": "no final answer"})
        return
    html = render.render_answer(draft.final, turn, kb.article_text)
    yield _finish(session, msgs, html, draft.final.to_dict())


def _example_text(evt: gr.SelectData) -> str:
    """The question of the example box that was clicked."""
    value = evt.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")


def wire(kb: KnowledgeBase, tab: AskTab, session: gr.State) -> None:
    """The tab's events: ask (button, Enter, an example), clear; `/ask` and `/clear` in the API."""

    # Defaults make as_of and parse_time optional for gradio_client callers (who pass the
    # question, sources, since and until as before).
    def ask(
        question: str,
        sources: Any,
        since: Any,
        until: Any,
        as_of: Any = None,
        parse_time: Any = True,
        session: ChatSession | None = None,
    ):
        yield from ask_turn(kb, question, sources, since, until, session, as_of, parse_time)

    def clear() -> tuple[list, None, None, str]:
        """Forget this tab's conversation (a new one starts with the next question)."""
        return [], None, None, ""

    inputs = [tab.question, tab.sources, tab.since, tab.until, tab.as_of, tab.parse_time, session]
    outputs = [tab.chatbot, session, tab.answer_json, tab.question]
    gr.on(
        [tab.question.submit, tab.ask_btn.click],
        ask,
        inputs=inputs,
        outputs=outputs,
        api_name="ask",
        show_progress="hidden",  # the streamed draft shows the engine's status instead
        concurrency_limit=kb.settings.ui_concurrency,
        concurrency_id="ask",
    )
    tab.chatbot.example_select(
        _example_text, outputs=[tab.question], api_visibility="private", queue=False
    ).then(
        ask,
        inputs=inputs,
        outputs=outputs,
        api_visibility="private",
        show_progress="hidden",
        concurrency_id="ask",
    )
    tab.clear_btn.click(clear, outputs=outputs, api_name="clear", queue=False)
    # The chat's own trash icon empties the chat; forget the conversation with it.
    tab.chatbot.clear(clear, outputs=outputs, api_visibility="private")

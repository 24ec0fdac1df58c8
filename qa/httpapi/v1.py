"""The OpenAI-compatible endpoints: `GET /v1/models` and `POST /v1/chat/completions`.

The last user message is the question; the earlier user and assistant messages are the
conversation, replayed into a `kb.chat()` so a follow-up is rewritten as `qa chat` rewrites it.
System messages are ignored: answers come from the articles, not from instructions. The reply
is the answer text with its `[n]` markers and a Markdown list of the sources; the structured
citations ride along as `citations` (and the whole answer, `qa ask --json`, as `news_qa`) on
the completion and on the last stream chunk. A refusal is an ordinary assistant message.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from qa.api import QuestionError, clean_question
from qa.httpapi.errors import ApiError, log
from qa.httpapi.models import ChatCompletionOut, ChatMessage, ChatRequest, ErrorOut, ModelList
from qa.httpapi.rest import check_filters, check_time
from qa.httpapi.streams import EventStream, StreamStats
from qa.types import Answer, Event, Final, Status, TextDelta

if TYPE_CHECKING:  # pragma: no cover
    from qa.api import KnowledgeBase

MODEL = "news-qa"
SOURCES_HEADING = "**Sources**"
# Where the sources list starts in a reply we sent: cut there when the reply comes back as
# conversation history.
_SOURCES_AT = "\n\n" + SOURCES_HEADING + "\n"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_ERRORS = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}}


def models(kb: KnowledgeBase) -> dict[str, str | None]:
    """Model id -> answer mode (None: the configured default). `news-qa-llm` only when an
    LLM is configured."""
    out: dict[str, str | None] = {MODEL: None, f"{MODEL}-extractive": "extractive"}
    if kb.settings.llm_mode != "extractive":
        out[f"{MODEL}-llm"] = kb.settings.llm_mode
    return out


def _md(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def sources_markdown(answer: Answer) -> str:
    """The cited articles as a Markdown list, one line each: [n] title (source, date), url,
    and the quoted sentence. Empty for an answer that cites nothing (a refusal)."""
    if not answer.citations:
        return ""
    lines = []
    for c in answer.citations:
        meta = ", ".join(_md(x) for x in (c.source, c.published_at) if x)
        line = f"- \\[{c.n}\\] **{_md(c.title)}**" + (f" ({meta})" if meta else "")
        if c.url and c.url.startswith(("http://", "https://")):
            line += f" <{c.url.replace('>', '%3E').replace(' ', '%20')}>"
        lines.append(line + f": “{_md(c.quote)}”")
    return _SOURCES_AT + "\n".join(lines)


def content(answer: Answer) -> str:
    """The assistant message: the answer text, then the sources list."""
    return answer.text + sources_markdown(answer)


def without_sources(reply: str) -> str:
    """A reply of ours sent back as history, minus the sources list we appended."""
    return reply.split(_SOURCES_AT, 1)[0]


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """(the question, earlier (question, reply) pairs); refuses what can't be a chat."""
    last = len(messages) - 1
    if messages[last].role != "user":
        raise ApiError(400, f"messages[{last}]: the last message must be the user's", "messages")
    question = messages[last].text()
    try:
        clean_question(question)
    except QuestionError as e:
        raise ApiError(400, f"messages[{last}].content: {e}", f"messages[{last}].content") from e
    pairs: list[tuple[str, str]] = []
    asked: str | None = None
    for m in messages[:last]:
        if m.role == "user":
            if asked is not None:
                pairs.append((asked, ""))
            asked = m.text()
        elif m.role == "assistant" and asked is not None:
            pairs.append((asked, without_sources(m.text())))
            asked = None
    if asked is not None:
        pairs.append((asked, ""))
    return question, [(q, a) for q, a in pairs if q.strip()]


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": "news-qa"}


def _completion_base(model: str, kind: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": kind,
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
    }


def _extras(answer: Answer) -> dict[str, Any]:
    d = answer.to_dict()
    return {"citations": d["citations"], "news_qa": d}


def _sse(obj: dict[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


def sse_chunks(events: Iterator[Event], model: str) -> Iterator[str]:
    """The stream: a role chunk, the text as the engine produces it, then the rest of the
    final content (the sources list) and a last chunk with finish_reason "stop" and the
    citations. Status events become SSE comments (clients skip them; they keep proxies from
    timing out). When the checked answer differs from the streamed draft (a generated
    answer whose citations were corrected), the checked answer follows the draft under a
    rule, since a stream can only append."""
    base = _completion_base(model, "chat.completion.chunk")

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return _sse({**base, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    streamed = ""
    try:
        for ev in events:
            if isinstance(ev, Status):
                yield ": " + " ".join(ev.message.split()) + "\n\n"
            elif isinstance(ev, TextDelta) and ev.text:
                streamed += ev.text
                yield chunk({"content": ev.text})
            elif isinstance(ev, Final):
                full = content(ev.answer)
                if full.startswith(streamed):
                    rest = full[len(streamed) :]
                else:
                    rest = "\n\n---\nChecked answer (citations validated):\n\n" + full
                if rest:
                    yield chunk({"content": rest})
                yield chunk({}, "stop", **_extras(ev.answer))
        yield "data: [DONE]\n\n"
    except Exception as exc:  # the response has started: an error event, as OpenAI sends
        log.error("chat stream failed", exc_info=exc)
        yield _sse({"error": {"message": "internal error while answering", "type": "server_error"}})
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()  # the client left or we are done: stop the engine where it is


def completion(answer: Answer, model: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": content(answer), "refusal": None}
    choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
    return {**_completion_base(model, "chat.completion"), "choices": [choice], **_extras(answer)}


def router(kb: KnowledgeBase, stats: StreamStats) -> APIRouter:
    r = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

    @r.get("/models", response_model=ModelList)
    def list_models() -> dict[str, Any]:
        """The answer modes as models: `news-qa` (the configured mode), `news-qa-extractive`
        (always), `news-qa-llm` (only when an LLM is configured)."""
        return {"object": "list", "data": [_model(m) for m in models(kb)]}

    @r.get("/models/{model_id}", responses=_ERRORS)
    def get_model(model_id: str) -> dict[str, Any]:
        if model_id not in models(kb):
            raise ApiError(404, f"model: no model '{model_id}' (see GET /v1/models)", "model")
        return _model(model_id)

    @r.post(
        "/chat/completions",
        responses={200: {"model": ChatCompletionOut}, **_ERRORS},
        response_model=None,
    )
    def chat_completions(body: ChatRequest) -> Any:
        """OpenAI's chat completions, streamed (`stream: true`, server-sent events) or not.
        Filters go in the body beside the messages (`extra_body` in the openai client)."""
        available = models(kb)
        if body.model not in available:
            raise ApiError(
                404,
                f"model: no model '{body.model}'; available: {', '.join(available)}",
                "model",
            )
        mode = available[body.model]
        question, history = split_messages(body.messages)
        opts: dict[str, Any] = {
            **check_filters(body.since, body.until, body.source),
            **check_time(body),
            "k": body.k,
        }
        if mode:
            opts["llm"] = mode
        if history:
            conv = kb.chat(**opts)
            for asked, reply in history:
                conv.remember(asked, reply)
            events = conv.ask_stream(question)
        else:
            events = kb.ask_stream(question, **opts)
        if body.stream:
            return EventStream(sse_chunks(events, body.model), stats)
        answer = next(ev.answer for ev in events if isinstance(ev, Final))
        return completion(answer, body.model)

    return r

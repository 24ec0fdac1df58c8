"""The LLM answerer: gate, prompt, stream the model's draft, then validate every citation.

If retrieval found nothing relevant (`qa.evidence.relevant_sources`), the model is not called
and the answer is a refusal. If the model cannot be set up or reached (after bounded
retries), the fallback answerer (the extractive one) answers instead, with a notice saying
why. The prompt is built in qa.prompt and the draft checked in qa.validate.

An answerer never sees a conversation's history: `qa.chat` rewrites a follow-up into a
standalone question before retrieval, which keeps each turn's [n] numbering its own.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from qa.citations import tidy_draft
from qa.evidence import REFUSAL_TEXT, Source, relevant_sources
from qa.llm import (
    LLMBackend,
    LLMBackends,
    LLMUnavailable,
    Restart,
    Retrying,
    StreamResult,
    redact,
    stream_chat,
)
from qa.prompt import build_context, build_messages
from qa.types import Answer, CitationEvent, Event, Final, Status, TextDelta, Timings
from qa.validate import counted, validate
from qa.verify import model_verifier, wanted

if TYPE_CHECKING:
    from qa.answerer import AnswerContext, Answerer
    from qa.retrieve import Retrieval


class LLMAnswerer:
    """Generated answers with validated citations; `fallback` answers when the model can't.

    The model is looked up per question in `backends` (the KnowledgeBase's, so one client
    per mode is shared with chat) with the settings of the question's `AnswerContext`.
    """

    def __init__(self, backends: LLMBackends, mode: str, fallback: Answerer) -> None:
        self.backends = backends
        self.mode = mode
        self.fallback = fallback

    def stream(
        self, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> Iterator[Event]:
        t0 = time.perf_counter()
        timings = Timings()
        for ev in self._answer_or_fall_back(question, retrieval, context, timings):
            if isinstance(ev, Final):
                # A fallback answer keeps its own stages and shows where the model's time went.
                ev.answer.timings_ms = Timings({**timings, **ev.answer.timings_ms})
                ev.answer.timings_ms["answer"] = (time.perf_counter() - t0) * 1e3
            yield ev

    def _answer_or_fall_back(
        self, question: str, retrieval: Retrieval, context: AnswerContext, timings: Timings
    ) -> Iterator[Event]:
        try:
            backend = self.backends.get(context.settings, self.mode)
        except Exception as e:  # noqa: BLE001 - bad config must not cost the user the answer
            why = redact(f"The language model could not be set up: {e}.")
        else:
            if backend is None:
                why = "No language model is configured."
            else:
                why = yield from self._generate(question, retrieval, context, backend, timings)
        if why is not None:
            notice = f"{why} Showing the extractive answer (quoted sentences) instead."
            yield Status(notice)
            for ev in self.fallback.stream(question, retrieval, context):
                if isinstance(ev, Final):
                    ev.answer.notices.insert(0, notice)
                yield ev

    def _generate(
        self,
        question: str,
        retrieval: Retrieval,
        context: AnswerContext,
        backend: LLMBackend,
        timings: Timings,
    ) -> Generator[Event, None, str | None]:
        """Gate, prompt, draft, validate. Returns why the model could not answer (then the
        caller falls back), or None when it yielded its own Final."""
        yield Status("checking that the articles are relevant")
        with timings.stage("relevance"):
            sources, why_not = relevant_sources(question, retrieval, context)
        if not sources:
            ans = _answer(question, REFUSAL_TEXT, True, backend, timings)
            ans.notices.append(f"Not asking the model: {why_not}.")
            yield TextDelta(ans.text)
            yield Final(ans)
            return None
        ctx = build_context(sources, context.article_text, backend.context_chars)
        messages = build_messages(question, ctx, context.as_of)  # the question's "today"
        yield Status(f"generating with {backend.model} ({backend.mode})")
        result = StreamResult()
        try:
            draft = yield from _draft(backend, messages, result, timings)
        except LLMUnavailable as e:
            return str(e)
        asks = wanted(context.settings.llm_verify, backend)
        also = f", then asking {backend.model} whether each quote holds" if asks else ""
        yield Status(f"checking citations against the articles{also}")
        ans = _checked(question, draft, ctx.sources, context, backend, timings, asks)
        if result.finish_reason == "length":
            ans.notices.append("The answer was cut off at the length limit.")
        for c in ans.citations:
            yield CitationEvent(c)
        yield Final(ans)
        return None


def _draft(
    backend: LLMBackend, messages: list[dict[str, str]], result: StreamResult, timings: Timings
) -> Generator[Event, None, str]:
    """Stream the model's text as TextDeltas (retries and restarts as Status); returns the
    draft. Raises LLMUnavailable when the retries are spent."""
    draft = ""
    t1 = time.perf_counter()
    for item in stream_chat(backend, messages, result=result):
        if isinstance(item, Retrying):
            yield Status(
                f"The model did not answer ({item.reason}); retry {item.attempt} of "
                f"{item.retries} in {item.wait_s:.1f} s"
            )
        elif isinstance(item, Restart):
            draft = ""
            yield Status(f"Restarting the answer: {item.reason}")
        else:
            if not draft:
                timings["first_token"] = (time.perf_counter() - t1) * 1e3
            draft += item
            yield TextDelta(item)
    timings["generate"] = (time.perf_counter() - t1) * 1e3
    return draft


def _checked(
    question: str,
    draft: str,
    sources: list[Source],
    context: AnswerContext,
    backend: LLMBackend,
    timings: Timings,
    asks: bool,
) -> Answer:
    """The validated answer: citations that hold, unsupported statements flagged, and the
    refusal (the model's text kept as unverified) when nothing answering the question holds.
    `asks`: the model gives its second opinion on each citation the fact check passed."""
    settings = context.settings
    verify = model_verifier(backend) if asks else None
    with timings.stage("validate"):
        tidy, repeats = tidy_draft(draft)
        v = validate(
            tidy,
            sources,
            context.article_text,
            context.embedder,
            settings.llm_min_support,
            question=question,
            check=settings.llm_check,
            verify=verify,
        )
    timings["check"] = v.check_ms
    if verify is not None:
        timings["verify"] = v.verify_ms
    ans = _answer(question, v.text, v.refused, backend, timings)
    ans.citations, ans.unsupported, ans.notices = v.citations, v.unsupported, list(v.notices)
    ans.unverified = v.unverified
    if repeats:
        ans.notices.append(f"Removed {counted(repeats, 'repeated sentence')}.")
    return ans


def _answer(
    question: str, text: str, refused: bool, backend: LLMBackend, timings: Timings
) -> Answer:
    return Answer(
        question=question,
        text=text,
        refused=refused,
        mode=backend.mode,
        model=backend.model,
        timings_ms=timings,
    )

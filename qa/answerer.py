"""The one interface every answerer implements, and the context it is given.

`KnowledgeBase.ask_stream` retrieves, then hands the question, the `Retrieval` and an
`AnswerContext` to the answerer picked for the mode (`qa.extractive.ExtractiveAnswerer`, or
`qa.generate.LLMAnswerer`, which falls back to the extractive one). An answerer yields
`Status`, `TextDelta` and `CitationEvent`s, then one `Final` whose `Answer` carries its own
`mode` and `model` and an "answer" timing; the caller adds only the question as typed, the
retrieval timings, "total" and the contexts.

A new kind of answer (another model family, a rule-based answerer for dates) is a new class
with this `stream` method; nothing else needs the whole `KnowledgeBase`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from qa.config import Settings
from qa.types import Answer, Event, Final, Status

if TYPE_CHECKING:
    from qa.embed import Embedder
    from qa.retrieve import Retrieval


@dataclass(frozen=True)
class AnswerContext:
    """What an answerer may use besides the question and the retrieval."""

    article_text: Callable[[str], str | None]  # the cleaned text quotes and offsets refer to
    embedder: Embedder
    settings: Settings
    # The question's "today" (qa/when.py): what dated answers and the prompt count from.
    as_of: date | None = None


class Answerer(Protocol):
    """Answers one retrieved question as a stream of events that ends with `Final`."""

    def stream(
        self, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> Iterator[Event]: ...


class Replacing:
    """A generated answerer whose final answer another answerer's events may replace (the
    latest report's figure, qa/latest.py; an agreeing article sentence, qa/agreed.py).

    A subclass says when and with what (`instead`: a notice and the events to stream) and
    what the shown answer keeps of the replaced one (`keep`: the model's text as unverified,
    the timings). The notice comes first as a `Status`; every other event passes through."""

    def __init__(self, inner: Answerer) -> None:
        self.inner = inner
        self.mode = getattr(inner, "mode", None)
        self.fallback = getattr(inner, "fallback", None)

    def instead(
        self, answer: Answer, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> tuple[str, Iterator[Event]] | None:
        raise NotImplementedError

    def keep(self, replaced: Answer, shown: Answer, notice: str) -> None:
        raise NotImplementedError

    def stream(
        self, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> Iterator[Event]:
        for ev in self.inner.stream(question, retrieval, context):
            a = ev.answer if isinstance(ev, Final) else None
            found = None if a is None else self.instead(a, question, retrieval, context)
            if a is None or found is None:
                yield ev
                continue
            notice, events = found
            yield Status(notice)
            for e in events:
                if isinstance(e, Final):
                    self.keep(a, e.answer, notice)
                yield e

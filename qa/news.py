"""The news-aware answer path: the question's time window (qa/when.py) applied to retrieval,
the answerer chosen by the question's kind (a timeline, the latest report, or the mode's own),
and each citation's "also published by" (qa/dupes.py) filled in from the retrieval.

`KnowledgeBase.ask_stream` calls `retrieve_scoped` and `answer_news`; nothing here holds state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from qa.agreed import AgreedChecked
from qa.latest import LatestAnswerer, LatestChecked
from qa.retrieve import Retrieval, make_filters, retrieve
from qa.timeline import TimelineAnswerer, is_timeline
from qa.types import CitationEvent, Event, Final

if TYPE_CHECKING:
    from qa.answerer import AnswerContext, Answerer
    from qa.store import Filters
    from qa.when import TimeScope


def retrieve_scoped(
    kb: Any,
    scope: TimeScope,
    filters: Filters,
    source: Any,
    k: int | None,
    max_per_article: int | None = None,
) -> tuple[Retrieval, TimeScope, list[str]]:
    """Retrieve within the scope's window. A window read from the question that holds no
    article at all ("on Thursday" about an old corpus, a month named without a year) says
    nothing about this corpus: it is searched again over all dates, with a notice saying so."""
    s, rec, per = kb.settings, scope.recency, max_per_article
    r = retrieve(kb.store, kb.embedder, scope.query, s, k, filters, per, recency=rec)
    if r.hits or scope.origin != "question":
        return r, scope, []
    archive = scope.as_of < date.today().isoformat()
    wider = replace(scope, since=None, until=scope.as_of if archive else None, phrase=None)
    notice = (
        f'No article was published {scope.since} to {scope.until} ("{scope.phrase}"); '
        "searched articles of any date instead."
    )
    f = make_filters(source, None, wider.until)
    r = retrieve(kb.store, kb.embedder, scope.query, s, k, f, per, recency=rec)
    return r, wider, [notice]


def pick(answerer: Answerer, scope: TimeScope, question: str, latest: bool = False) -> Answerer:
    """A timeline or latest-report answerer for those questions when the mode is extractive
    (generated answers are asked for the same in the prompt, qa/prompt.py). A timeline is
    read from the question as asked: "between January and February" is its window and also
    what makes it one."""
    if getattr(answerer, "mode", None) != "extractive":
        # A generated answer the fact check refused may agree with the extractive one.
        if hasattr(answerer, "fallback"):
            answerer = AgreedChecked(answerer)
        # A generated answer's figure is checked against the latest report's.
        if scope.recency and latest and hasattr(answerer, "fallback"):
            return LatestChecked(answerer)
        return answerer
    if is_timeline(question):
        return TimelineAnswerer(answerer)  # type: ignore[arg-type]
    if scope.recency and latest:
        return LatestAnswerer(answerer)  # type: ignore[arg-type]
    return answerer


def answer_news(
    answerer: Answerer,
    question: str,
    scope: TimeScope,
    r: Retrieval,
    context: AnswerContext,
) -> Iterator[Event]:
    """The chosen answerer's events, each citation with the other outlets of its story. The
    answerer reads the question as asked: its time words ("in July") help find the sentence,
    while retrieval searched without them (the window does their work there)."""
    also = {h.article_id: h.also_published_by for h in r.hits if h.also_published_by}
    chosen = pick(answerer, scope, question, context.settings.latest_answers)
    for ev in chosen.stream(question, r, context):
        if also and isinstance(ev, CitationEvent) and ev.citation.article_id in also:
            ev = CitationEvent(replace(ev.citation, also_published_by=also[ev.citation.article_id]))
        elif also and isinstance(ev, Final):
            ev.answer.citations = [
                replace(c, also_published_by=also.get(c.article_id, ()))
                for c in ev.answer.citations
            ]
        yield ev

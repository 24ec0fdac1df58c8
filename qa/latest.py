"""The latest report wins: for a question asking for the current state ("latest", "now",
"still"), the answer leads with the newest report's value and then says what earlier reports
gave, each statement with its own date and citation:

    13, according to the latest report (24 Oct 2025) [1]. "The death toll ... rose to 13 ..."
    [1] Earlier reports gave nine (22 Oct 2025) [2]. Before that, four people (21 Oct 2025) [3].

Only questions asking for a value (a name, place, date, number: qa/asked.py) get it, and a
report takes part only with a sentence the plain extractive answer could quote beside its best
(qa/extractive.py): it passes the same floor, holds a span of the asked-for kind bound to the
question (a toll is a number of people, qa/answer_types.py), and scores within
`CORROBORATION_BAND` of the plain answer's best sentence. The dated answer is given only when
it changes something: a newer report than the one the plain answer leads with, or earlier
reports that gave another value. Otherwise (and for a refusal) the answer is the plain one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.answer_types import SPAN_KINDS
from qa.answerer import Replacing
from qa.asked import question_parts
from qa.dated import DatedAnswerer, N, Pieces, article_bests, best_per_article, dates_of, day
from qa.entities import answer_kind
from qa.extractive import CORROBORATION_BAND, choose_sentences, short_answer
from qa.relations import asked_relations
from qa.text import numbers_in, same_number, strip_markers
from qa.types import Timings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from qa.answerer import AnswerContext
    from qa.evidence import Candidate
    from qa.retrieve import Retrieval
    from qa.types import Answer, Event

MAX_EARLIER = 2  # earlier reports named after the latest


class LatestAnswerer(DatedAnswerer):
    """The newest report's value first, earlier reports' values after it with their dates;
    else the plain extractive answer."""

    status = "selecting the latest report"

    def pieces(self, question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
        if len(question_parts(question)) > 1:
            return []
        if answer_kind(question) not in SPAN_KINDS:
            return latest_state(question, retrieval, context)
        chosen, _ = choose_sentences(question, retrieval, context)
        if not chosen:
            return []  # the plain answer refuses: so does this one
        dates = dates_of(retrieval.hits)
        reports = reports_of(question, retrieval, context, chosen[0].score, dates)
        if not reports:
            return []
        # Earlier values that differ from the latest's (and from each other's).
        latest, *earlier = distinct_values(reports, context)
        earlier = [c for c in earlier if dates[c.article_id] < dates[latest.article_id]]
        newer = dates[latest.article_id] > dates[chosen[0].article_id]
        if not newer and not earlier:
            return []
        same = [c for c in chosen if c.article_id == latest.article_id and c.start != latest.start]
        return _dated_pieces([latest, *same], earlier[:MAX_EARLIER], dates, context)


def latest_state(question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
    """ "What is the latest on the talks?" asks for no value to compare, but for the newest
    report: of the articles whose best sentence passes the plain answer's floor, the newest
    one's best sentence is quoted (its date is on the citation), not the best-scoring older
    report's. Nothing when the plain answer would refuse or already quotes the newest."""
    chosen, _ = choose_sentences(question, retrieval, context)
    if not chosen:
        return []
    dates = dates_of(retrieval.hits)
    bests = [c for c in article_bests(question, retrieval, context) if dates.get(c.article_id)]
    if not bests:
        return []
    newest = max(bests, key=lambda c: (dates[c.article_id], c.score))
    if dates[newest.article_id] <= dates.get(chosen[0].article_id, ""):
        return []
    return [(f"{newest.text} [{N}]", newest)]


def reports_of(
    question: str,
    retrieval: Retrieval,
    context: AnswerContext,
    best_score: float,
    dates: dict[str, str],
) -> list[Candidate]:
    """Each dated article's best sentence that the plain answer could quote beside its best
    (the floor, a span of the asked-for kind bound to the question, the corroboration band),
    newest first; same-day reports by score. (With the floor alone, sentences of other
    stories and stray numbers, "one of Norway's largest utilities", came in as earlier
    values on the tuning half.) A question asking about a relation ("still missing", "died")
    needs no band: a span bound to that relation's word is a report of the same fact, however
    briefly a later report states it ("Two people remain missing.")."""
    band = best_score - CORROBORATION_BAND if not asked_relations(question) else -1.0
    every = [c for c in article_bests(question, retrieval, context, every=True) if c.score >= band]
    good = [_exact(c, every) for c in best_per_article(every) if dates.get(c.article_id)]
    return sorted(good, key=lambda c: (dates[c.article_id], c.score), reverse=True)


# What makes a figure a lower bound: "the death toll climbed above 200".
_ABOVE = re.compile(r"\b(?:above|over|more than|at least|exceeded|topped|passed)\s*$", re.I)


def _above(c: Candidate) -> float | None:
    """The bound a sentence's figure is given as ("above 200" -> 200), else None."""
    a = c.answer
    if a is None or a.kind != "number" or not _ABOVE.search(c.text[: a.start]):
        return None
    nums = numbers_in(a.text)
    return nums[0].value if nums else None


def _exact(best: Candidate, every: list[Candidate]) -> Candidate:
    """A report's figure given as a bound gives way to the same report's exact figure that
    meets it ("climbed above 200", then "203 people had been confirmed dead"), when that
    sentence passes too: the latest value is the report's count, not its headline's bound."""
    bound = _above(best)
    if bound is None:
        return best
    for c in every:
        if c.article_id != best.article_id or c.answer is None or c.answer.kind != "number":
            continue
        nums = numbers_in(c.answer.text)
        if nums and _above(c) is None:
            return c if nums[0].value > bound else best
    return best


def value_of(c: Candidate, context: AnswerContext) -> str:
    """The sentence's answer span as the article words it (a full name, a number with its
    unit)."""
    assert c.answer is not None
    v = short_answer(c.answer, c.text, context.article_text(c.article_id) or "")
    # "Three people" opened its sentence; inside the answer's it is "three people"
    first = v.split()[0] if v.split() else ""
    return (
        v[0].lower() + v[1:] if first.isalpha() and first[0].isupper() and numbers_in(first) else v
    )


def distinct_values(reports: list[Candidate], context: AnswerContext) -> list[Candidate]:
    """The reports whose value differs from every newer one's (numbers compared as numbers:
    "nine" is 9); the first report always stays."""
    out: list[Candidate] = []
    seen: list[str] = []
    for c in reports:
        if c.answer is None:
            continue
        v = value_of(c, context)
        if not any(_same_value(v, s) for s in seen):
            out.append(c)
            seen.append(v)
    return out


def _same_value(a: str, b: str) -> bool:
    na, nb = numbers_in(a), numbers_in(b)
    if na and nb:
        return same_number(na[0].value, nb[0].value)
    return a.strip().lower() == b.strip().lower()


def _dated_pieces(
    quotes: list[Candidate], earlier: list[Candidate], dates: dict[str, str], ctx: AnswerContext
) -> Pieces:
    """The latest report's value as a dated statement and its quotes (as the plain answer
    quotes them), then one dated statement per earlier report's value, each cited on its own."""
    latest = quotes[0]
    when = day(dates[latest.article_id])
    head = f"{value_of(latest, ctx)}, according to the latest report ({when})"
    pieces = [(f"{head[0].upper()}{head[1:]} [{N}].", latest)]
    pieces += [(f'"{c.text}" [{N}]', c) for c in quotes]
    for i, c in enumerate(earlier):
        said = f"{value_of(c, ctx)} ({day(dates[c.article_id])}) [{N}]."
        pieces.append((f"Before that, {said}" if i else f"Earlier reports gave {said}", c))
    return pieces


class LatestChecked(Replacing):
    """A generated answer to a count asked about now is checked against the reports' dates:
    when it does not give the latest report's figure and cites only older reports (a model
    reading "9" in the first report it was shown), every statement may be true of its
    article and still not answer "what is the toll now". The latest report's dated answer
    replaces it, with a notice, and the model's text is kept as unverified."""

    def instead(
        self, answer: Answer, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> tuple[str, Iterator[Event]] | None:
        if answer.refused or answer.mode == "extractive":
            return None
        cited = [c.article_id for c in answer.citations]
        stale = stale_value(answer.text, cited, question, retrieval, context)
        if stale is None:
            return None
        notice = f"The model's figure is not the latest report's ({stale}); showing that."
        fallback = LatestAnswerer(self.fallback)
        return notice, fallback.stream(question, retrieval, context)

    def keep(self, replaced: Answer, shown: Answer, notice: str) -> None:
        shown.notices.insert(0, notice)
        shown.unverified = replaced.text
        shown.timings_ms = Timings({**replaced.timings_ms, **shown.timings_ms})


def stale_value(
    text: str, cited: list[str], question: str, retrieval: Retrieval, context: AnswerContext
) -> str | None:
    """Why a generated answer to a count asked about now is out of date, or None: it does not
    give the latest report's figure, and every article it cites is older than that report
    (the toll in the first report it was shown). The latest report is the one the
    latest-report answer reads (`reports_of`), so the same sentences decide."""
    if not cited or len(question_parts(question)) > 1 or answer_kind(question) != "number":
        return None
    chosen, _ = choose_sentences(question, retrieval, context)
    if not chosen:
        return None
    dates = dates_of(retrieval.hits)
    values = distinct_values(
        reports_of(question, retrieval, context, chosen[0].score, dates), context
    )
    if not values:
        return None
    latest = values[0]
    newest = dates[latest.article_id]
    v = numbers_in(value_of(latest, context))
    given = [n.value for n in numbers_in(strip_markers(text))]
    if not v or any(same_number(v[0].value, g) for g in given):
        return None
    if any(dates.get(a, "") >= newest for a in cited):
        return None
    old = max(dates.get(a, "") for a in cited)
    return f"it cites the report of {day(old)}" if old else "it cites an undated report"

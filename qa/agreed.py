"""Two readings that agree: when the model's answer fails the fact check and would become the
refusal, an article sentence that gives the same answer is shown instead.

The fact check (qa/facts) asks a generated statement to be *stated* by its cited passage, and
a right answer often fails it for its wording alone: the model adds a name from the headline,
or words the fact differently ("Lysen named Hanne De Wilde its finance chief" for "its finance
officer, Hanne De Wilde, will join"). The extractive answerer reads the articles by another
route (qa/extractive.py: sentences that hold a name, place, date or number of the kind asked,
bound to the question, scored against it). When one of the sentences it could quote (its
best, or one within `CORROBORATION_BAND` of it) gives the value the model's answer gives, the
two readings agree, and the user gets that sentence verbatim, cited, with the value as the
short answer, rather than a refusal. The model's text is kept as unverified, as for the
refusal, and a notice says what happened. Nothing the fact check rejected is shown as the
model's statement; when no such sentence gives the model's value, or the question asks for
something other than a value ("why", "what happened"), the refusal stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from qa.answerer import Replacing
from qa.dated import dates_of
from qa.entities import DATE_WORD, spans
from qa.evidence import Candidate
from qa.extractive import CORROBORATION_BAND, ExtractiveAnswerer, bound_answers, short_answer
from qa.text import fold, name_stated, names, numbers_in, same_number, sentences
from qa.types import Answer, Event
from qa.verify import known_small

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.retrieve import Retrieval

# The kinds whose answer is a name (a date or a number is the rest of SPAN_KINDS).
_NAMED = ("person", "org", "place", "work")


class AgreedChecked(Replacing):
    """A generated answer that the fact check turned into the refusal gives way to the
    article's sentence that gives the model's answer (`agreed_answer`)."""

    def instead(
        self, answer: Answer, question: str, retrieval: Retrieval, context: AnswerContext
    ) -> tuple[str, Iterator[Event]] | None:
        a = answer
        # (not for a model known to be too small: it copies the sentence the extractive
        # reading picks, wrong or right, so its agreeing says nothing; docs/evals.md)
        if not (a.refused and a.unverified) or known_small(a.model):
            return None
        found = agreed_answer(a.unverified, question, retrieval, context)
        if found is None:
            return None
        value, sentence = found
        notice = (
            f"The model's answer ({value}) is not stated in its own words by the articles, "
            "but the article's sentence below gives the same answer; showing that sentence."
        )
        return notice, ExtractiveAnswerer().quoted(question, [sentence], retrieval, value)

    def keep(self, replaced: Answer, shown: Answer, notice: str) -> None:
        shown.notices = [notice, *replaced.notices, *shown.notices]
        shown.unverified = replaced.unverified
        shown.unsupported = replaced.unsupported
        shown.timings_ms = replaced.timings_ms


def agreed_answer(
    text: str, question: str, retrieval: Retrieval, context: AnswerContext
) -> tuple[str, Candidate] | None:
    """The model's answer as an article words it, and the sentence that gives it, or None.
    The model's answer is the first thing of the asked kind its `text` gives that the
    question does not ("The plant is stuck in the queue in Glomfjord, a village in Nordland
    county" answers Glomfjord; "Halden intends to cut 650 jobs rather than the 540" answers
    650; "Breznik beat Korsholm" answers Breznik). The sentence is the best of those the
    extractive answerer could quote for the question (`bound_answers`) whose value it is."""
    offered = _agreeable(bound_answers(question, retrieval, context), retrieval)
    if not offered:
        return None
    kind = offered[0].answer.kind  # type: ignore[union-attr]
    for a, b in sentences(text):
        new = _new_values(text[a:b], question, kind)
        if new:
            break
    else:
        return None
    for c in offered:
        if c.answer is not None and _same_value(new[0], c.answer.text, kind):
            article = context.article_text(c.article_id) or ""
            return short_answer(c.answer, c.text, article), c
    return None


def _agreeable(offered: list[Candidate], retrieval: Retrieval) -> list[Candidate]:
    """Of the bound sentences, best first, those whose value may agree with the model's: the
    ones the plain answer could quote (the best and those within `CORROBORATION_BAND` of it)
    and those of the latest report that gives one. A later report's figure supersedes an
    earlier one's ("27 sailings had been cancelled in total" after "at least 18 sailings"),
    however much closer the earlier one's wording is to the question's."""
    if not offered:
        return []
    dates = dates_of(retrieval.hits)
    newest = max(dates.get(c.article_id, "") for c in offered)
    floor = offered[0].score - CORROBORATION_BAND
    return [
        c for c in offered if c.score >= floor or (newest and dates.get(c.article_id) == newest)
    ]


def _new_values(sentence: str, question: str, kind: str) -> list[str]:
    """What a sentence of the model's answer gives of the asked kind that the question does
    not, in the order it gives them: names for a name, numbers for a number, dates for a
    date."""
    q = fold(question)
    if kind in _NAMED:
        return [n for n in names(sentence) if not name_stated(fold(n), q)]
    if kind == "date":
        return [d.text for d in spans(sentence, "date") if fold(d.text).lower() not in q.lower()]
    asked = [n.value for n in numbers_in(question)]
    return [n.text for n in numbers_in(sentence) if not any(same_number(n.value, v) for v in asked)]


def _same_value(given: str, value: str, kind: str) -> bool:
    """Is what the model gave the extractive value? A name by its full or short form ("De
    Wilde" for "Hanne De Wilde"); a number by its value; a date when one names all the other
    names ("12 March" and "12 March 2025", not "12 March" and "14 March")."""
    if kind in _NAMED:
        g, v = fold(given), fold(value)
        return name_stated(v, g) or name_stated(g, v)
    if kind != "date":
        got, want = numbers_in(given), numbers_in(value)
        return bool(got and want) and same_number(got[0].value, want[0].value)
    g, v = _date_parts(given), _date_parts(value)
    return bool(g and v) and (g <= v or v <= g)


def _date_parts(text: str) -> set[str]:
    """A date's numbers and month or day names (their first three letters: "Mar", "March")."""
    return {str(n.value) for n in numbers_in(text)} | {
        m.group(0).lower()[:3] for w in text.split() if (m := DATE_WORD.fullmatch(w.strip(",.")))
    }

"""Timelines: "How did the death toll develop?", "timeline of ...", "what happened since ...":
one line per article, oldest first, each its best sentence quoted with its date and citation.

    - 21 Oct 2025: "Four people died ..." [1]
    - 22 Oct 2025: "The toll rose to nine ..." [2]

Sentences are scored as the extractive answerer scores them (qa/evidence.py), and an article
gets a line only when its best sentence passes the same floor an extractive answer must; with
fewer than two such articles the answer is the plain extractive one. Syndicated copies are one
article here (retrieval keeps one per group), so an event is listed once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.dated import DatedAnswerer, N, Pieces, article_bests, dates_of, day

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.retrieve import Retrieval

# Questions that ask how something developed over time.
_CHANGE = r"(?:chang|develop|evolv|grow|grew|unfold|play(?:ed)?\s+out|progress|rise|rose|fall|fell)"
TIMELINE_RE = re.compile(
    r"\b(?:timeline|chronology|sequence of events|how\s+(?:has|have|did|does|do)\b.{0,120}?"
    rf"\b{_CHANGE}"
    r"|what\s+(?:has\s+)?happened\b.{0,80}?\b(?:since|between|after)\b"
    r"|over\s+the\s+(?:past|last)\s+\w+)",
    re.IGNORECASE,
)
MAX_LINES = 8
# What a timeline is of: "How did <the death toll> develop ...", "What happened with <the
# launch> between ...", "timeline of <the strike>".
_TOPIC_RES = (
    re.compile(
        rf"^\W*how\s+(?:has|have|did|does|do)\s+(?P<t>.+?)\s+{_CHANGE}",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*what\s+(?:has\s+)?happened\s+(?:with|to|in|at|on|over)?\s*(?P<t>.+?)\s+"
        r"(?:since|between|after|from|over)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:timeline|chronology)\s+of\s+(?P<t>.+?)\W*$", re.IGNORECASE),
)


def is_timeline(question: str) -> bool:
    return bool(TIMELINE_RE.search(question))


def timeline_topic(question: str) -> str:
    """What the timeline is of, without the words asking for one: each report's sentence is
    scored against the story ("the cyberattack on the Danish hospital network"), since no
    single report says how it "played out from attack to recovery"."""
    for rx in _TOPIC_RES:
        m = rx.search(question)
        if m and len(m.group("t").split()) >= 2:
            return m.group("t")
    return question


class TimelineAnswerer(DatedAnswerer):
    """A dated list of cited statements, oldest first; else the extractive answer."""

    status = "putting the reports in date order"
    joiner = "\n"

    def pieces(self, question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
        topic = timeline_topic(question)
        best = article_bests(topic, retrieval, context, own_vector=topic != question)
        if len(best) < 2:
            return []
        dates = dates_of(retrieval.hits)
        rank = {c.article_id: i for i, c in enumerate(best)}
        lines = sorted(
            best[:MAX_LINES], key=lambda c: (dates[c.article_id] or "9", rank[c.article_id])
        )
        return [(f'- {day(dates[c.article_id])}: "{c.text}" [{N}]', c) for c in lines]

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
TIMELINE_RE = re.compile(
    r"\b(?:timeline|chronology|sequence of events|how\s+(?:has|have|did|does|do)\b.{0,120}?"
    r"\b(?:chang|develop|evolv|grow|grew|unfold|play(?:ed)?\s+out|progress|rise|rose|fall|fell)"
    r"|what\s+(?:has\s+)?happened\s+(?:since|between|after)|over\s+the\s+(?:past|last)\s+\w+)",
    re.IGNORECASE,
)
MAX_LINES = 8


def is_timeline(question: str) -> bool:
    return bool(TIMELINE_RE.search(question))


class TimelineAnswerer(DatedAnswerer):
    """A dated list of cited statements, oldest first; else the extractive answer."""

    status = "putting the reports in date order"
    joiner = "\n"

    def pieces(self, question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
        best = article_bests(question, retrieval, context)
        if len(best) < 2:
            return []
        dates = dates_of(retrieval.hits)
        rank = {c.article_id: i for i, c in enumerate(best)}
        lines = sorted(
            best[:MAX_LINES], key=lambda c: (dates[c.article_id] or "9", rank[c.article_id])
        )
        return [(f'- {day(dates[c.article_id])}: "{c.text}" [{N}]', c) for c in lines]

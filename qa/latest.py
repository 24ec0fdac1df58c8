"""The latest report wins: for a question asking for the current state ("latest", "now",
"still"), the answer leads with the newest article's statement and then says what earlier
reports gave, each with its date and citation:

    The latest report (24 Oct 2025): "The death toll rose to 13 ..." [1]. Earlier reports:
    22 Oct 2025: "Nine people ..." [2].

Each retrieved article offers its best sentence, scored as the extractive answerer scores
sentences and held to the same floor (qa/dated.py `article_bests`); the newest article with
such a sentence leads. With one date among them it is the plain extractive answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa.dated import DatedAnswerer, N, Pieces, article_bests, dates_of, day
from qa.extractive import short_answer

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.retrieve import Retrieval

MAX_EARLIER = 2  # earlier reports quoted after the latest


class LatestAnswerer(DatedAnswerer):
    """Newest report first, earlier reports after it with their dates; else extractive."""

    status = "selecting the latest report"

    def pieces(self, question: str, retrieval: Retrieval, context: AnswerContext) -> Pieces:
        per_article = article_bests(question, retrieval, context)
        dates = dates_of(retrieval.hits)
        if len({dates[c.article_id] for c in per_article}) < 2:
            return []
        ranked = sorted(per_article, key=lambda c: dates[c.article_id], reverse=True)
        latest = ranked[0]
        earlier = [c for c in ranked[1:] if dates[c.article_id] < dates[latest.article_id]]
        lead = ""
        if latest.answer is not None:
            text = context.article_text(latest.article_id) or ""
            lead = short_answer(latest.answer, latest.text, text) + ", according to "
        head = f"{lead}the latest report ({day(dates[latest.article_id])}): "
        pieces = [(head[0].upper() + head[1:] + f'"{latest.text}" [{N}].', latest)]
        for i, c in enumerate(earlier[:MAX_EARLIER]):
            intro = "Earlier reports: " if i == 0 else ""
            pieces.append((f'{intro}{day(dates[c.article_id])}: "{c.text}" [{N}].', c))
        return pieces

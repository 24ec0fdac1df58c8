"""Asking the seed articles: right answers, right citations, refusals when they can't answer."""

from __future__ import annotations

import re

import pytest

from tests.conftest import CBS_ID, FT_ID


def markers(text: str) -> set[int]:
    return {int(n) for group in re.findall(r"\[([\d,\s]+)\]", text) for n in group.split(",")}


def check_citations(kb, answer) -> None:  # type: ignore[no-untyped-def]
    """The contract: every [n] has a citation, every citation is used, quotes are verbatim."""
    assert markers(answer.text) == {c.n for c in answer.citations}
    assert sorted(c.n for c in answer.citations) == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert c.quote in kb.article_text(c.article_id), (c.article_id, c.quote)
        assert c.quote in answer.text
    assert len({c.article_id for c in answer.citations}) == len(answer.citations)


@pytest.mark.parametrize(
    ("question", "expected", "article"),
    [
        ("Who told the Financial Times about the plans?", "von der Leyen", None),
        ("What did Trump tell Fox News on Aug. 19?", "will not deploy American troops", CBS_ID),
        ("Where will European leaders gather on Thursday?", "Paris", FT_ID),
        ("What did Sergei Lavrov call on European nations to do?", "guarantee", FT_ID),
        ("Who accused the European party of war of hindering peace efforts?", "Peskov", CBS_ID),
        ("Where did Putin give a speech on Monday?", "China", CBS_ID),
        ("How many troops could the deployment include?", "tens of thousands", FT_ID),
        ("Which publication interviewed President Trump over the weekend?", "Daily Caller", CBS_ID),
    ],
)
def test_factual_questions_are_answered_from_the_right_article(
    seed_kb, question: str, expected: str, article: str | None
) -> None:
    ans = seed_kb.ask(question)
    assert not ans.refused, ans.text
    assert expected.lower() in ans.text.lower()
    check_citations(seed_kb, ans)
    cited = {c.article_id for c in ans.citations}
    if article:
        supporting = [c for c in ans.citations if expected.lower() in c.quote.lower()]
        assert article in {c.article_id for c in supporting}, cited
    assert ans.mode == "extractive"


def test_a_fact_both_articles_state_cites_both(seed_kb) -> None:
    ans = seed_kb.ask("Who told the Financial Times about the plans?")
    assert {c.article_id for c in ans.citations} == {FT_ID, CBS_ID}
    assert all("von der Leyen" in c.quote for c in ans.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2024 Super Bowl?",
        "What is the capital of France?",
        "What did Joe Biden say about Ukraine?",
        "What is the current inflation rate in Brazil?",
        "How do I bake sourdough bread?",
    ],
)
def test_questions_outside_the_seeds_are_refused(seed_kb, question: str) -> None:
    ans = seed_kb.ask(question)
    assert ans.refused
    assert ans.citations == []
    assert ans.text.startswith("The articles don't say")
    assert "[" not in ans.text.replace(question, "")


def test_the_stream_ends_with_the_final_answer(seed_kb) -> None:
    from qa.types import CitationEvent, Final, Status, TextDelta

    events = list(seed_kb.ask_stream("What did Trump tell Fox News?"))
    assert isinstance(events[0], Status)
    assert isinstance(events[-1], Final)
    deltas = "".join(e.text for e in events if isinstance(e, TextDelta))
    final = events[-1].answer
    assert deltas == final.text
    assert [e.citation for e in events if isinstance(e, CitationEvent)] == final.citations
    assert {"retrieve", "answer", "total"} <= set(final.timings_ms)


def test_source_and_date_filters_narrow_the_articles(seed_kb) -> None:
    q = "What did von der Leyen tell the Financial Times?"
    only_cbs = seed_kb.ask(q, source="cbs politics")
    assert {c.article_id for c in only_cbs.citations} == {CBS_ID}
    # The FT write-up states no date, so a date range keeps only the dated CBS article.
    dated = seed_kb.search(q, k=10, since="2025-08-01", until="2025-09-30")
    assert dated and {h.article_id for h in dated} == {CBS_ID}
    assert seed_kb.search(q, since="2026-01-01") == []
    refused = seed_kb.ask(q, since="2026-01-01")
    assert refused.refused and not refused.citations


def test_search_ranks_chunks_with_scores(seed_kb) -> None:
    hits = seed_kb.search("Kremlin spokesman Peskov", k=3)
    assert 1 <= len(hits) <= 3
    assert hits[0].article_id == CBS_ID
    assert "Peskov" in hits[0].text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    text = seed_kb.article_text(hits[0].article_id)
    assert text[hits[0].start : hits[0].end] == hits[0].text


def test_retrieval_caps_chunks_per_article(seed_kb) -> None:
    from qa.retrieve import retrieve

    r = retrieve(seed_kb.store, seed_kb.embedder, "Trump Putin Ukraine", seed_kb.settings, k=8)
    per = {}
    for h in r.hits:
        per[h.article_id] = per.get(h.article_id, 0) + 1
    assert max(per.values()) <= seed_kb.settings.max_chunks_per_article
    assert len(per) == 2


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n\t ", "empty"), ("x" * 20_000, "limit")],
)
def test_unaskable_questions_get_a_clear_error(seed_kb, question: str, message: str) -> None:
    from qa.api import QuestionError

    with pytest.raises(QuestionError, match=message):
        seed_kb.ask(question)


def test_a_bad_date_filter_names_the_field(seed_kb) -> None:
    with pytest.raises(ValueError, match="since"):
        seed_kb.ask("Who is Peskov?", since="last tuesday")

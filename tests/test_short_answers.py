"""Extractive answers that lead with the short answer, and refuse when the asked-for kind of
fact is not in the articles. The corpus is written here, in the style of real wire copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_answers import check_citations

ARTICLES = [
    {
        "id": "match",
        "title": "Aldervale edge Harrowby with late strike",
        "published_at": "2025-02-22",
        "source": "Sports Desk",
        "text": (
            "FC Aldervale came from behind to beat Harrowby Town 2-1 at Millbrook Park on "
            "Saturday, with striker Tom Okafor settling the match in the closing minutes.\n\n"
            "Harrowby had led through Dean Castell's header in the 34th minute.\n\n"
            "Okafor then fired a low shot into the far corner in the 89th minute, his 15th "
            "league goal of the season.\n\n"
            "A crowd of 17,842 watched the match, the biggest of the season.\n\n"
            "Read more: Aldervale manager Callum Reid signs new contract\n\n"
            "So where does that leave the promotion race?\n\n"
            "Aldervale are now third in the table, two points off the automatic places."
        ),
    },
    {
        "id": "budget",
        "title": "German budget vote postponed",
        "published_at": "2025-06-04",
        "source": "Berlin Wire",
        "text": (
            "Germany's finance minister Marta Kessler postponed Thursday's Bundestag vote on "
            "the 2026 budget after her coalition partners objected to cuts in housing "
            "subsidies.\n\n"
            "Kessler said the vote would now take place on June 26, and that the government "
            "remained confident of a majority.\n\n"
            "The ferry operator NorthLink Isles, which faces a 72-hour strike in Scotland, was "
            "cited by opposition MPs as an example of underinvestment."
        ),
    },
]


def feed_kb(root: Path, articles: list[dict]):  # type: ignore[no-untyped-def]
    """A KnowledgeBase over `articles`, ingested from one JSONL feed under `root`."""
    from qa import KnowledgeBase

    feed = root / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    kb = KnowledgeBase(Path(root) / "index")
    kb.ingest([feed])
    return kb


@pytest.fixture(scope="module")
def news_kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    kb = feed_kb(tmp_path_factory.mktemp("short"), ARTICLES)
    yield kb
    kb.close()


def test_the_short_answer_leads_with_the_full_name_from_the_cited_article(news_kb) -> None:
    ans = news_kb.ask("Which Aldervale player got the decisive late goal against Harrowby?")
    assert not ans.refused, ans.text
    # The quote may name him by surname only; the lead gives the name the article gives.
    assert ans.text.startswith("Tom Okafor [1].")
    check_citations(news_kb, ans)
    assert ans.citations[0].article_id == "match"
    assert "Tom Okafor" in news_kb.article_text("match")


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("How many spectators attended the Harrowby match?", "17,842"),
        ("When is the rescheduled budget vote due to take place?", "June 26"),
        ("Who scored Harrowby's goal?", "Dean Castell"),
    ],
)
def test_answers_lead_with_a_fact_of_the_asked_kind(news_kb, question: str, short: str) -> None:
    ans = news_kb.ask(question)
    assert ans.text.startswith(f"{short} [1]."), ans.text
    check_citations(news_kb, ans)


@pytest.mark.parametrize(
    "question",
    [
        # The entity is in the articles; the fact asked about is not.
        "How old is Marta Kessler?",
        "How many ships does NorthLink Isles operate?",
    ],
)
def test_a_fact_the_articles_never_state_is_refused(news_kb, question: str) -> None:
    ans = news_kb.ask(question)
    assert ans.refused, ans.text
    assert ans.citations == []


def test_headlines_pointers_and_the_articles_own_questions_are_never_quoted(news_kb) -> None:
    for question in (
        "Where does the win leave Aldervale in the promotion race?",
        "Has Callum Reid signed a new contract?",
    ):
        ans = news_kb.ask(question)
        assert "Read more" not in ans.text
        assert "So where does that leave" not in ans.text
        for c in ans.citations:
            assert not c.quote.endswith("?")

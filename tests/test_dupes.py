"""Syndicated copies (qa/dupes.py): grouped at ingest, one article per group in retrieval, the
other outlets listed on the citation, follow-ups never merged, exact copies kept as members, and
deleting the article that stands for a group promotes another. Real embedder, real Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import KnowledgeBase
from qa.dupes import changed_figures

WIRE = (
    "Flash floods swept through villages in the Coimbra district on Tuesday, killing four people "
    "and forcing more than 300 residents from their homes, the civil protection agency said. "
    "Rivers burst their banks after 120 millimetres of rain fell in six hours, cutting the main "
    "road between Coimbra and Lousa and leaving several hamlets without power. Firefighters used "
    "boats to reach families trapped on upper floors, and the army sent two helicopters to lift "
    "stranded farmers from the rising water. The mayor of Miranda do Corvo said the damage to "
    "bridges and schools would take months to repair. Forecasters warned of more heavy rain on "
    "Wednesday and kept a red alert in place for the district."
)
COPY = (
    WIRE.replace(
        "the civil protection agency said", "according to the civil protection agency"
    ).replace("Firefighters used boats", "Firefighters in boats worked")
    + "\n\nRead more: our coverage of Portugal's weather. Sign up for the Lisbon Herald newsletter."
)
FOLLOWUP = (
    "The death toll from the Coimbra floods rose to nine on Wednesday as rescuers found five more "
    "bodies in the mud of flattened hamlets, the civil protection agency said. Officials said "
    "about 500 people had now left their homes and the red alert stayed in place."
)
CHANGED = WIRE.replace("killing four people", "killing seven people")
OTHER = (
    "The central bank of the Netherlands raised its key interest rate to 3.25 per cent on "
    "Thursday, citing stubborn inflation in services, and said further increases were possible."
)


def _records() -> list[dict[str, str]]:
    day = "2025-10-21"
    return [
        {
            "id": "wire",
            "title": "Floods kill four in Coimbra",
            "text": WIRE,
            "source": "Reuters",
            "published_at": day,
        },
        {
            "id": "herald",
            "title": "Coimbra floods: four dead",
            "text": COPY,
            "source": "The Lisbon Herald",
            "published_at": day,
        },
        {
            "id": "exact",
            "title": "Four killed in Portuguese floods",
            "text": WIRE,
            "source": "MSN",
            "published_at": day,
        },
        {
            "id": "toll-nine",
            "title": "Coimbra flood toll rises to nine",
            "text": FOLLOWUP,
            "source": "Reuters",
            "published_at": "2025-10-22",
        },
        {
            "id": "changed",
            "title": "Floods kill seven in Coimbra",
            "text": CHANGED,
            "source": "Iberia Daily",
            "published_at": day,
        },
        {
            "id": "next-day",
            "title": "Floods kill four in Coimbra",
            "text": COPY.replace("Forecasters warned", "Forecasters had warned"),
            "source": "Weekly Digest",
            "published_at": "2025-10-23",
        },
        {
            "id": "rates",
            "title": "Dutch central bank raises rates",
            "text": OTHER,
            "source": "Reuters",
            "published_at": day,
        },
    ]


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records()) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def news_kb(tmp_path: Path, feed: Path):
    with KnowledgeBase(tmp_path / "index") as kb:
        kb.ingest([feed])
        yield kb


def _group(kb: KnowledgeBase, aid: str) -> str | None:
    return kb.store.group_of(aid)[0]


def test_copies_share_a_group_and_follow_ups_never_do(news_kb: KnowledgeBase) -> None:
    kb = news_kb
    assert _group(kb, "wire") == _group(kb, "herald")
    for other in ("toll-nine", "changed", "next-day", "rates"):
        assert _group(kb, other) != _group(kb, "wire"), other
    # The exact copy is a member without chunks, so its outlet is known.
    assert kb.article("exact") is None
    assert [c["id"] for c in kb.store.copies_of("wire")] == ["exact"]


def test_changed_figures_in_a_shared_sentence() -> None:
    assert changed_figures(WIRE, CHANGED)
    assert not changed_figures(WIRE, COPY)


def test_reingest_is_incremental(news_kb: KnowledgeBase, feed: Path) -> None:
    report = news_kb.ingest([feed])
    assert report.added == [] and report.updated == [] and report.embedded == 0
    assert report.duplicates == {"exact": "wire"}
    assert [c["id"] for c in news_kb.store.copies_of("wire")] == ["exact"]


def test_search_keeps_one_article_per_group_and_names_the_others(news_kb: KnowledgeBase) -> None:
    hits = news_kb.search("How many people died in the Coimbra floods?", k=5, max_per_article=1)
    ids = [h.article_id for h in hits]
    assert len({"wire", "herald"} & set(ids)) == 1, ids
    rep = next(h for h in hits if h.article_id in ("wire", "herald"))
    others = {m["source"] for m in rep.also_published_by}
    assert others == {"Reuters", "The Lisbon Herald", "MSN"} - {rep.source}


def test_the_answer_cites_a_story_once_with_its_other_outlets(news_kb: KnowledgeBase) -> None:
    ans = news_kb.ask("How many residents were forced from their homes in Coimbra?")
    assert not ans.refused
    story = [c for c in ans.citations if c.article_id in ("wire", "herald")]
    assert len(story) == 1
    listed = {m["article_id"] for m in story[0].also_published_by}
    assert listed == {"wire", "herald", "exact"} - {story[0].article_id}
    assert ans.to_dict()["citations"][0]["also_published_by"] is not None


def test_deleting_the_representative_promotes_another(news_kb: KnowledgeBase) -> None:
    kb = news_kb
    gid = _group(kb, "wire")
    assert kb.delete("wire")
    # The exact copy takes the deleted article's place: chunked, embedded, in the group.
    assert kb.article("exact") is not None and kb.store.chunk_ids("exact")
    assert _group(kb, "exact") == gid and kb.store.copies_of("wire") == []
    hits = kb.search("Coimbra floods four people killed Tuesday", k=5, max_per_article=1)
    ids = [h.article_id for h in hits]
    assert len({"exact", "herald"} & set(ids)) == 1, ids
    assert "wire" not in ids
    assert kb.delete("herald") and kb.delete("exact")
    hits = kb.search("Coimbra floods four people killed Tuesday", k=5, max_per_article=1)
    assert not {"wire", "herald", "exact"} & {h.article_id for h in hits}
    assert kb.verify().ok


def test_question_time_and_the_latest_report(news_kb: KnowledgeBase) -> None:
    """As of 22 Oct the latest report is the follow-up (nine dead), and the answer leads with
    it (the dated form with earlier reports: tests/test_latest.py); a window with no article at
    all is searched over all dates, with a notice."""
    kb = news_kb
    ans = kb.ask("What is the latest death toll from the Coimbra floods?", as_of="2025-10-22")
    assert ans.window["recency"] and ans.window["until"] == "2025-10-22"
    assert ans.citations[0].article_id == "toll-nine", ans.text
    ans = kb.ask("How many people died in the Coimbra floods yesterday?", as_of="2025-10-22")
    assert (ans.window["since"], ans.window["until"]) == ("2025-10-21", "2025-10-22")
    assert not ans.refused and not ans.notices
    ans = kb.ask("How many people did the Coimbra floods kill on Thursday?", as_of="2026-03-20")
    assert ans.notices and "searched articles of any date" in ans.notices[0]
    assert not ans.refused
    with pytest.raises(ValueError, match='"31 February" is not a date'):
        kb.ask("What happened in Coimbra since 31 February?")


def test_timeline_lines_are_dated_cited_and_in_order(news_kb: KnowledgeBase) -> None:
    from evals.news import timeline_ordered

    ans = news_kb.ask("How did the death toll from the Coimbra floods develop?")
    lines = ans.text.splitlines()
    assert len(lines) >= 2, ans.text
    assert timeline_ordered(ans.text, [c.to_dict() for c in ans.citations]), ans.text
    assert lines[0].startswith("- 21 Oct 2025:") and "22 Oct 2025" in ans.text
    # One line per story: the syndicated copies of the first report are one line.
    assert sum(c.article_id in ("wire", "herald", "exact") for c in ans.citations) <= 1


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "How did the death toll from the Coimbra floods develop?",
            "the death toll from the Coimbra floods",
        ),
        (
            "What happened with the Coimbra floods between October 20 and October 25?",
            "the Coimbra floods",
        ),
        (
            "How did the flooding in Coimbra play out from the first rain to the rescue?",
            "the flooding in Coimbra",
        ),
        ("Give me a timeline of the Coimbra floods.", "the Coimbra floods"),
    ],
)
def test_a_timeline_is_of_its_story_not_of_the_words_asking_for_one(
    question: str, topic: str
) -> None:
    from qa.timeline import is_timeline, timeline_topic

    assert is_timeline(question)
    # Each report's sentence is scored against the story: no report says how it "developed".
    assert timeline_topic(question) == topic
    assert timeline_topic("Who was the mayor?") == "Who was the mayor?"


def test_a_timeline_asked_with_what_happened_between_lists_the_reports(
    news_kb: KnowledgeBase,
) -> None:
    q = "What happened with the Coimbra floods between October 20 and October 25?"
    ans = news_kb.ask(q, as_of="2025-10-30")
    lines = ans.text.splitlines()
    assert len(lines) >= 2 and all(line.startswith("- ") for line in lines), ans.text
    assert "toll-nine" in {c.article_id for c in ans.citations}


def test_yesterday_is_the_window_not_a_word_the_report_must_contain(
    news_kb: KnowledgeBase,
) -> None:
    from qa.evidence import key_terms

    assert "yesterday" not in " ".join(key_terms("Why did people leave yesterday?"))
    q = "Why did people in Coimbra leave their homes yesterday?"
    ans = news_kb.ask(q, as_of="2025-10-22")
    assert (ans.window["since"], ans.window["until"]) == ("2025-10-21", "2025-10-22")
    assert not ans.refused, ans.text
    assert ans.citations[0].article_id in ("wire", "herald", "exact", "changed")

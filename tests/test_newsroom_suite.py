"""The newsroom suite: what it promises about itself, and the CI gate on its test half.

The suite (evals/suites/newsroom/README.md) is the realistic corpus the engine is measured on;
its `test` half is never tuned on. These tests check that it stays what the issue asked for
and that the default (extractive) answerer keeps its measured baseline there.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, WHOLE_RUN_TIMEOUT

SUITE = ROOT / "evals" / "suites" / "newsroom"


def questions() -> list[dict]:
    return [json.loads(line) for line in (SUITE / "questions.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    from qa.corpus import load

    return {a.id: a.text for a in load([SUITE / "articles"]) if hasattr(a, "text")}


def test_the_suite_has_the_size_and_mix_the_issue_asks_for(cleaned: dict[str, str]) -> None:
    stories = json.loads((SUITE / "stories.json").read_text())
    story_articles = {a["id"] for s in stories for a in s["articles"]}
    assert len(story_articles) >= 60 and story_articles <= set(cleaned)
    qs = questions()
    kinds = Counter(q["type"] for q in qs)
    assert len(qs) >= 200
    assert kinds["unanswerable-absent"] >= 20 and kinds["unanswerable-entity"] >= 20
    assert {"who", "which", "where", "when", "how-many", "why", "latest", "multi"} <= set(kinds)
    # Feature-length pieces beside briefs.
    lengths = sorted(len(cleaned[a].split()) for a in story_articles)
    assert lengths[0] < 200 and lengths[-1] > 2000


def test_the_split_is_by_story(cleaned: dict[str, str]) -> None:
    split_of = {s["story"]: s["split"] for s in json.loads((SUITE / "stories.json").read_text())}
    for q in questions():
        assert q["split"] == split_of[q["story"]], q["id"]
    assert set(split_of.values()) == {"tune", "test"}


def test_every_accept_string_is_in_the_cleaned_text_of_a_gold_article(
    cleaned: dict[str, str],
) -> None:
    for q in questions():
        if q["answer"] is None:
            assert q["articles"] == [] and q["accept"] == [], q["id"]
            continue
        texts = [cleaned[a].lower() for a in q["articles"]]
        for accept in q["accept"]:
            assert any(accept.lower() in t for t in texts), (q["id"], accept)


def news_questions() -> list[dict]:
    return [json.loads(line) for line in (SUITE / "news.jsonl").read_text().splitlines()]


def test_the_news_questions_are_answerable_dated_and_split_by_story(
    cleaned: dict[str, str],
) -> None:
    """Issue 14's questions: at least 40 of the four news kinds, accept strings in a gold
    article, split by story, and every relative-time and latest question read against a date of
    the suite's own (`as_of`), not the day the suite runs."""
    split_of = {s["story"]: s["split"] for s in json.loads((SUITE / "stories.json").read_text())}
    qs = news_questions()
    kinds = Counter(q["type"] for q in qs)
    assert set(kinds) == {"relative-time", "latest", "syndicated", "timeline"} and len(qs) >= 40
    for q in qs:
        assert q["split"] == split_of[q["story"]], q["id"]
        texts = [cleaned[a].lower() for a in q["articles"]]
        for accept in q["accept"]:
            assert any(accept.lower() in t for t in texts), (q["id"], accept)
        if q["type"] in ("relative-time", "latest"):
            assert q.get("as_of", "").startswith("2025-"), q["id"]


def test_questions_with_relative_time_words_carry_their_own_date() -> None:
    """ "this year", "in July", "now", "latest": read against the suite's dates (`as_of`)."""
    from qa.when import TimeError, question_time

    for q in questions():
        try:
            scope = question_time(q["question"], date(2025, 12, 31))
        except TimeError:  # a year after 2025 ("in 2026"): absolute, not relative
            continue
        phrase = scope.phrase or ""
        relative = scope.recency or (bool(phrase) and not re.search(r"\d{4}", phrase))
        if relative or q["type"] == "latest":
            assert "as_of" in q, q["id"]


@pytest.mark.timeout(WHOLE_RUN_TIMEOUT)
def test_the_extractive_answerer_keeps_its_baseline_on_the_test_half(tmp_path: Path) -> None:
    """The CI gate: `qa eval ... --split test --gate evals/thresholds-newsroom.json`."""
    from evals.cli import main

    out = tmp_path / "run"
    code = main(
        [
            str(SUITE / "questions.jsonl"),
            "--index",
            str(tmp_path / "index"),
            "--ingest",
            str(SUITE / "articles"),
            "--split",
            "test",
            "--out",
            str(out),
            "--no-progress",
            "--gate",
            str(ROOT / "evals" / "thresholds-newsroom.json"),
        ]
    )
    gate = json.loads((out / "gate.json").read_text())
    assert code == 0, gate["failures"]
    report = json.loads((out / "report.json").read_text())
    assert report["suite"]["questions"] == sum(q["split"] == "test" for q in questions())

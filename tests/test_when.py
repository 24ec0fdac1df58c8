"""The question's time (qa/when.py): each expression becomes the published-date window a reader
would expect, as of a fixed day; bad or impossible dates give a clear error, never a crash."""

from __future__ import annotations

from datetime import date

import pytest

from qa.when import TimeError, parse_day, question_time

AS_OF = date(2025, 6, 12)  # a Thursday


@pytest.mark.parametrize(
    ("question", "since", "until", "phrase"),
    [
        ("What happened in Logan Lake yesterday?", "2025-06-11", "2025-06-12", "yesterday"),
        ("What were yesterday's figures?", "2025-06-11", "2025-06-12", "yesterday's"),
        ("Why are there no ferries today?", "2025-06-12", "2025-06-12", "today"),
        ("What did the Bundestag decide this week?", "2025-06-09", "2025-06-12", "this week"),
        ("What was decided earlier this week?", "2025-06-09", "2025-06-12", "earlier this week"),
        ("What rate did the bank set last week?", "2025-06-02", "2025-06-12", "last week"),
        ("What was the cause found last month?", "2025-05-01", "2025-06-12", "last month"),
        ("Who resigned in March?", "2025-03-01", "2025-06-12", "in March"),
        ("What happened in 2025?", "2025-01-01", "2025-06-12", "in 2025"),
        ("What happened in 2024?", "2024-01-01", "2025-06-12", "in 2024"),
        ("Why did dockers walk out on Tuesday?", "2025-06-10", "2025-06-11", "on Tuesday"),
        ("What did the minister say on Monday?", "2025-06-09", "2025-06-10", "on Monday"),
        ("Who won the race last Sunday?", "2025-06-08", "2025-06-09", "last Sunday"),
        ("What has changed since 1 August?", "2024-08-01", "2025-06-12", "since 1 August"),
        ("What changed since May 3, 2025?", "2025-05-03", "2025-06-12", "since May 3, 2025"),
        ("What happened two weeks ago?", "2025-05-26", "2025-06-12", "two weeks ago"),
        ("What happened on 2025-02-03?", "2025-02-03", "2025-02-04", "on 2025-02-03"),
        (
            "What happened between January and February 2025?",
            "2025-01-01",
            "2025-03-01",
            "between January and February 2025",
        ),
    ],
)
def test_expressions_become_windows(question: str, since: str, until: str, phrase: str) -> None:
    s = question_time(question, AS_OF)
    assert (s.since, s.until, s.phrase) == (since, until, phrase)
    assert s.origin == "question"
    assert phrase.lower() not in s.query.lower()  # what retrieval searches for


def test_until_and_before() -> None:
    s = question_time("What was the toll as of yesterday?", AS_OF)
    assert (s.since, s.until, s.recency) == (None, "2025-06-12", True)
    s = question_time("What was agreed before 1 June 2025?", AS_OF)
    assert (s.since, s.until) == (None, "2025-05-31")


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest death toll?",
        "How many people are still missing?",
        "How many have now fallen ill?",
        "Who is currently in charge?",
        "Which paintings have been recovered so far?",
    ],
)
def test_recency_words_prefer_new_reports_without_a_window(question: str) -> None:
    s = question_time(question, AS_OF)
    assert s.recency and s.since is None and s.until is None


def test_plain_questions_have_no_window() -> None:
    for q in ("Who is the finance minister?", "What did the 2026 budget plan?", "Will it march?"):
        s = question_time(q, AS_OF)
        assert (s.since, s.until, s.recency, s.origin) == (None, None, False, "none"), q


def test_explicit_filters_win_and_parsing_can_be_switched_off() -> None:
    s = question_time("What happened yesterday?", AS_OF, since="2025-01-01", until="2025-02-01")
    assert (s.since, s.until, s.origin, s.phrase) == ("2025-01-01", "2025-02-01", "filters", None)
    s = question_time("What is the latest toll yesterday?", AS_OF, parse=False)
    assert (s.since, s.until, s.recency) == (None, None, False)
    assert s.query == "What is the latest toll yesterday?"


def test_as_of_caps_the_window_when_chosen() -> None:
    s = question_time("Who is the minister?", AS_OF, cap=True)
    assert (s.since, s.until, s.origin) == (None, "2025-06-12", "as_of")
    s = question_time("Who is the minister?", AS_OF)  # the real today: no cap
    assert s.until is None


def test_default_as_of_is_today() -> None:
    s = question_time("What happened yesterday?")
    assert s.as_of == date.today().isoformat()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("What happened since 31 February?", '"31 February" is not a date'),
        ("What happened on 2025-02-30?", '"2025-02-30" is not a date'),
        ("What happened between 2025-05-01 and 2025-04-01?", "ends before it starts"),
    ],
)
def test_impossible_dates_are_clear_errors(question: str, message: str) -> None:
    with pytest.raises(TimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        question_time(question, AS_OF)


def test_a_time_after_the_question_date_names_the_event_not_the_reports() -> None:
    """Plans are reported before they happen: "in 2027" asked as of 2025 sets no window and
    stays in the query, instead of an error or an empty search."""
    s = question_time("Which routes will open in 2027?", AS_OF)
    assert (s.since, s.until, s.phrase, s.origin) == (None, None, None, "none")
    assert "2027" in s.query
    capped = question_time("Which routes will open in 2027?", AS_OF, cap=True)
    assert capped.until == AS_OF.isoformat()  # an archive's date still caps what is searched


def test_bad_as_of_names_the_field() -> None:
    with pytest.raises(TimeError, match="as_of: expected a date like 2025-08-01, got 'soon'"):
        parse_day("soon")
    assert parse_day("2025-06-12") == AS_OF
    assert parse_day(None) is None


def test_describe_and_dict_show_the_window() -> None:
    s = question_time("What happened yesterday?", AS_OF)
    assert (
        s.describe()
        == 'articles published 2025-06-11 to 2025-06-12 ("yesterday", as of 2025-06-12)'
    )
    assert s.to_dict() == {
        "as_of": "2025-06-12",
        "since": "2025-06-11",
        "until": "2025-06-12",
        "phrase": "yesterday",
        "recency": False,
        "origin": "question",
    }
    assert "newest reports first" in question_time("latest toll?", AS_OF).describe()


def test_as_of_comes_from_the_one_settings_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from qa.config import Settings

    monkeypatch.setenv("QA_AS_OF", "2025-06-12")
    monkeypatch.setenv("QA_PARSE_TIME", "false")
    s = Settings()
    assert (s.as_of, s.parse_time) == (AS_OF, False)
    monkeypatch.setenv("QA_AS_OF", "2025-02-30")
    with pytest.raises(ValidationError, match="as_of"):
        Settings()

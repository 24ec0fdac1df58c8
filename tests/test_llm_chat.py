"""Multi-turn chat without a model: the documented follow-up fallback, per-turn citations."""

from __future__ import annotations

import pytest

from qa.chat import _clean_rewrite, carry_context, key_terms_of, needs_context
from qa.text import cited_numbers
from qa.types import Final, Status
from tests.conftest import CBS_ID, FT_ID

PREV = "What did von der Leyen tell the Financial Times about Ukraine?"


@pytest.mark.parametrize(
    ("follow", "expected"),
    [
        ("and what did the Kremlin say?", True),  # continuation
        ("What did she say next?", True),  # pronoun
        ("How many troops?", True),  # short, names nothing
        ("Who is Emmanuel Macron?", False),  # short but names its subject
        ("What did Lavrov say about security guarantees for Kyiv?", False),
    ],
)
def test_needs_context(follow: str, expected: bool) -> None:
    assert needs_context(follow) is expected


def test_carry_context_adds_the_previous_names() -> None:
    assert key_terms_of(PREV) == ["von der Leyen", "Financial Times", "Ukraine"]
    out = carry_context("And what did she say about troops?", PREV)
    assert out == (
        "And what did she say about troops? (about: von der Leyen, Financial Times, Ukraine)"
    )
    # Names already in the follow-up are not repeated; standalone questions are untouched.
    assert carry_context("What did he say about Ukraine?", PREV).endswith(
        "(about: von der Leyen, Financial Times)"
    )
    assert carry_context("Who is Emmanuel Macron?", PREV) == "Who is Emmanuel Macron?"


def test_model_rewrites_are_cleaned_or_rejected() -> None:
    q = "and what did he say?"
    assert _clean_rewrite('Standalone question: "What did Peskov say?"\nmore', q) == (
        "What did Peskov say?"
    )
    assert _clean_rewrite("", q) is None
    # An answer instead of a question is rejected.
    assert _clean_rewrite("The Kremlin said no to the plan.", q) is None
    assert _clean_rewrite("x" * 1000 + "?", q) is None


def test_extractive_chat_carries_context_and_keeps_citations_per_turn(seed_kb) -> None:
    conv = seed_kb.chat()
    a1 = conv.ask("What did von der Leyen tell the Financial Times?")
    assert not a1.refused and a1.citations
    events = list(conv.ask_stream("And what did she say about troops?"))
    a2 = events[-1].answer
    assert isinstance(events[-1], Final)
    turn = conv.turns[-1]
    assert turn.rewrite_method == "heuristic"
    assert "von der Leyen" in turn.standalone
    assert any(isinstance(e, Status) and turn.standalone in e.message for e in events)
    assert a2.question == "And what did she say about troops?"
    for a in (a1, a2):
        assert sorted(cited_numbers(a.text)) == [c.n for c in a.citations]
        assert {c.article_id for c in a.citations} <= {FT_ID, CBS_ID}
    # A standalone question is not rewritten; reset forgets the conversation.
    conv.ask("Who is Sergei Lavrov?")
    assert conv.turns[-1].rewrite_method == "none"
    conv.reset()
    assert conv.turns == [] and conv.memory.get_all() == []


def test_openai_mode_without_key_or_url_answers_extractively(seed_kb) -> None:
    """A misconfiguration costs the user a notice, not the answer (and no traceback)."""
    ans = seed_kb.ask("What did von der Leyen tell the Financial Times?", llm="openai")
    assert ans.mode == "extractive" and ans.citations and not ans.refused
    assert any("OPENAI_API_KEY" in n and "extractive" in n for n in ans.notices)

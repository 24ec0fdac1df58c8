"""Validation of a generated draft against the real seed articles (real embedder, no model).

These drafts stand in for model output, so each rule is checked deterministically: the
tests in test_llm_local.py run the same code on what SmolLM2 actually writes.
"""

from __future__ import annotations

import pytest

from qa.evidence import Source
from qa.text import cited_numbers
from qa.validate import validate
from tests.conftest import CBS_ID, FT_ID

TRUE_FT = "European leaders, including Friedrich Merz, will meet in Paris on Thursday"
FALSE = "The Eiffel Tower was painted green in 1990 to celebrate the deal"


@pytest.fixture(scope="module")
def sources(seed_kb) -> list[Source]:
    def src(n: int, aid: str) -> Source:
        info = seed_kb.article(aid)
        return Source(n, aid, info.title, info.source, info.published_at, info.url, [])

    return [src(1, CBS_ID), src(2, FT_ID)]


def check(draft: str, sources, seed_kb):
    v = validate(draft, sources, seed_kb.article_text, seed_kb.embedder)
    assert sorted(cited_numbers(v.text)) == [c.n for c in v.citations]
    for c in v.citations:
        assert c.quote in seed_kb.article_text(c.article_id)
    return v


def test_supported_citation_is_kept_with_its_quote(sources, seed_kb) -> None:
    v = check(f"{TRUE_FT} [2].", sources, seed_kb)
    assert v.text == f"{TRUE_FT} [1]."  # renumbered: the only cited article becomes [1]
    assert [c.article_id for c in v.citations] == [FT_ID]
    assert "Paris" in v.citations[0].quote
    assert v.unsupported == [] and v.notices == [] and not v.refused


def test_unsupported_statement_is_kept_flagged_and_uncited(sources, seed_kb) -> None:
    v = check(f"{TRUE_FT} [2]. {FALSE} [1].", sources, seed_kb)
    assert FALSE in v.text  # kept, not silently dropped ...
    assert v.unsupported == [FALSE + "."]  # ... but flagged
    assert [c.article_id for c in v.citations] == [FT_ID]  # only cited articles are listed
    assert any("not support" in n for n in v.notices)


def test_wrong_article_is_corrected(sources, seed_kb) -> None:
    # Only the FT write-up mentions the Paris meeting; the draft cites the CBS piece.
    v = check(f"{TRUE_FT} [1].", sources, seed_kb)
    assert [c.article_id for c in v.citations] == [FT_ID]
    assert v.text == f"{TRUE_FT} [1]." and v.unsupported == []
    assert any(n.startswith("Moved 1 citation") for n in v.notices)


def test_uncited_supported_statement_gets_its_article(sources, seed_kb) -> None:
    v = check(f"{TRUE_FT}.", sources, seed_kb)
    assert v.text == f"{TRUE_FT} [1]."
    assert v.citations[0].article_id == FT_ID
    assert any(n.startswith("Added 1 citation") for n in v.notices)


def test_invented_number_is_removed_and_counted(sources, seed_kb) -> None:
    v = check(f"{TRUE_FT} [2][7]. {FALSE} [9].", sources, seed_kb)
    assert v.dropped_unknown == 2
    assert "[7]" not in v.text and "[9]" not in v.text
    assert FALSE + "." in v.unsupported  # an invented citation is no support either


def test_answer_from_memory_is_flagged(sources, seed_kb) -> None:
    v = check(f"{FALSE}. The deal was signed by twelve presidents.", sources, seed_kb)
    assert v.citations == [] and len(v.unsupported) == 2 and not v.refused


def test_partial_refusal_with_support_is_an_answer(sources, seed_kb) -> None:
    v = check(f"The articles do not say what it will cost. {TRUE_FT} [2].", sources, seed_kb)
    assert not v.refused and len(v.citations) == 1

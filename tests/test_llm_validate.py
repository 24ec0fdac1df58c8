"""Validation of a generated draft against the real seed articles (real embedder, no model).

These drafts stand in for model output, so each rule is checked deterministically: the
tests in test_llm_local.py run the same code on what SmolLM2 actually writes. The near
misses below are the failure the fact-level check exists for: a statement on the right
topic with one fact changed, which the similarity check (`check="similarity"`) let through.
"""

from __future__ import annotations

import pytest

from qa.evidence import Source
from qa.text import cited_numbers, strip_markers
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


def check(draft: str, sources, seed_kb, **kw):
    v = validate(draft, sources, seed_kb.article_text, seed_kb.embedder, **kw)
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


def test_answer_from_memory_becomes_the_refusal_kept_as_unverified(sources, seed_kb) -> None:
    draft = f"{FALSE} [1]. The deal was signed by twelve presidents."
    v = check(draft, sources, seed_kb)
    assert v.refused and v.text.startswith("The articles don't say") and v.citations == []
    assert len(v.unsupported) == 2  # what the model said, still listed
    assert v.unverified == f"{FALSE}. The deal was signed by twelve presidents."
    assert any("unverified" in n for n in v.notices)


NEAR_MISSES = [
    # (the article's fact, the same statement with one fact changed)
    (TRUE_FT, TRUE_FT.replace("Paris", "Berlin")),  # a place
    (TRUE_FT, TRUE_FT.replace("Thursday", "Friday")),  # a day
    (TRUE_FT, TRUE_FT.replace("Friedrich Merz", "Emmanuel Macron")),  # a name in the article
    (
        "Trump told Fox News on Aug. 19 that he will not deploy American troops to Ukraine",
        "Trump told Fox News on Aug. 29 that he will not deploy American troops to Ukraine",
    ),  # a date
    (
        "Trump told Fox News that he will not deploy American troops to Ukraine",
        "Trump told Fox News that he will deploy American troops to Ukraine",
    ),  # a negation
    (
        "The FT cited three diplomats briefed on the plans",
        "The FT cited five diplomats briefed on the plans",
    ),  # a number
]


@pytest.mark.parametrize(("true", "changed"), NEAR_MISSES)
def test_near_miss_loses_its_citation_and_is_not_given_another(
    true, changed, sources, seed_kb
) -> None:
    n = 2 if "FT" in true or "Merz" in true else 1
    assert [c.n for c in check(f"{true} [{n}].", sources, seed_kb).citations] == [1]
    v = check(f"{true} [{n}]. {changed} [{n}].", sources, seed_kb)
    assert v.unsupported == [changed + "."] and len(v.citations) == 1
    v = check(f"{true} [{n}]. {changed}.", sources, seed_kb)  # left uncited: not attributed
    assert v.unsupported == [changed + "."] and v.text.endswith(f" {changed}.")
    # The earlier, topical check kept the near miss's citation: the blind spot this closes.
    old = check(f"{changed} [{n}].", sources, seed_kb, check="similarity")
    assert old.citations and old.unsupported == []


def test_union_of_two_cited_articles_states_a_combined_statement(sources, seed_kb) -> None:
    joint = (
        "Von der Leyen told the Financial Times that Europe is drawing up precise plans, and "
        "Peskov said the Kremlin would continue the special military operation"
    )
    v = check(f"{joint} [1][2].", sources, seed_kb)
    assert v.unsupported == [] and {c.article_id for c in v.citations} == {CBS_ID, FT_ID}
    # One article alone states only half of it: not enough.
    v = check(f"{joint} [2].", sources, seed_kb)
    assert v.unsupported == [joint + "."] and v.citations == []


def test_cited_article_that_states_none_of_it_loses_its_citation(sources, seed_kb) -> None:
    # Only the CBS piece mentions Fox News; the FT write-up says nothing of it.
    fox = "Trump told Fox News on Aug. 19 that he will not deploy American troops to Ukraine"
    v = check(f"{fox} [1][2].", sources, seed_kb)
    assert [c.article_id for c in v.citations] == [CBS_ID] and v.unsupported == []
    assert v.text == f"{fox} [1]."


def test_answer_that_only_restates_the_question_becomes_the_refusal(sources, seed_kb) -> None:
    question = "On which day will European leaders gather in Paris?"
    right = check(f"{TRUE_FT} [2].", sources, seed_kb, question=question)
    assert not right.refused and right.unverified is None
    # Supported, but it does not say which day; the day it gives is not the article's.
    draft = "European leaders will gather in Paris [2]. They will meet on Friday [2]."
    v = check(draft, sources, seed_kb, question=question)
    assert v.refused and v.unverified == strip_markers(draft)
    assert v.unsupported == ["They will meet on Friday."]


def test_a_true_statement_about_another_place_does_not_answer(sources, seed_kb) -> None:
    """The cited article states it, but names nothing the question asks about: the
    extractive answerer's rule (every name the question gives is mentioned) holds here too."""
    draft = f"{TRUE_FT} [2]."
    question = "Where will European leaders meet the Ruritanian president?"
    v = check(draft, sources, seed_kb, question=question)
    assert v.refused and v.unverified == strip_markers(draft)
    v = check(draft, sources, seed_kb, question="Where will the European leaders meet?")
    assert not v.refused and [c.article_id for c in v.citations] == [FT_ID]


def test_model_verification_can_remove_a_citation_never_add_one(sources, seed_kb) -> None:
    asked: list[tuple[str, str]] = []

    def says_no(statement: str, passage: str) -> bool:
        asked.append((statement, passage))
        return False

    v = check(f"{TRUE_FT} [2]. {FALSE} [1].", sources, seed_kb, verify=says_no)
    assert v.citations == [] and TRUE_FT + "." in v.unsupported
    assert v.rejected_by_model == 1 and v.verified == 1  # only the statement that passed
    assert asked[0][0] == TRUE_FT + "." and "Paris" in asked[0][1]
    v = check(f"{FALSE} [1].", sources, seed_kb, verify=lambda s, p: True)
    assert v.citations == [] and v.verified == 0  # a yes cannot make FALSE supported
    v = check(f"{TRUE_FT} [2].", sources, seed_kb, verify=lambda s, p: None)  # no opinion
    assert len(v.citations) == 1


def test_partial_refusal_with_support_is_an_answer(sources, seed_kb) -> None:
    v = check(f"The articles do not say what it will cost. {TRUE_FT} [2].", sources, seed_kb)
    assert not v.refused and len(v.citations) == 1


def test_the_month_the_question_gives_is_read_from_the_article_s_date(sources, seed_kb) -> None:
    """The CBS piece was published in September 2025 (its metadata, not its text): a
    statement may repeat the question's "September 2025"; an "October 2025" is not stated."""
    question = "Who told the Financial Times about a clear road map, in September 2025?"
    said = (
        "In {} 2025, Ursula von der Leyen told the Financial Times there was a clear road map "
        "for post-war deployments [1]."
    )
    v = check(said.format("September"), sources, seed_kb, question=question)
    assert [c.article_id for c in v.citations] == [CBS_ID] and not v.unsupported
    v = check(said.format("October"), sources, seed_kb, question=question)
    assert v.citations == [] and v.unsupported


def test_a_short_answer_that_gives_a_name_is_an_answer(sources, seed_kb) -> None:
    """ "In Paris [2]." answers "in which city" (a name, under five words); a piece of the
    reply's frame does not."""
    question = "In which city will European leaders including Friedrich Merz meet on Thursday?"
    v = check("In Paris [2].", sources, seed_kb, question=question)
    assert not v.refused and [c.article_id for c in v.citations] == [FT_ID]
    v = check("Here is what I found: [1]", sources, seed_kb, question=question)
    assert v.refused


def test_a_later_paragraph_answers_under_the_storys_opening_sentence(seed_kb) -> None:
    """Who takes "the injured striker's place": the paragraph that says so names neither the
    injury nor the club; the story's opening sentence, which it refers back to, does. Without
    the opening, the headline alone ("Okafor out for six weeks") is not about the question."""
    text = (
        "FC Aldervale striker Tom Okafor will be out for around six weeks after tearing a "
        "hamstring in training, the club said on Tuesday.\n\n"
        "The 24-year-old pulled up during a sprint drill on Monday. A scan confirmed a grade "
        "two tear.\n\nHe will miss Saturday's derby against Castlebridge United.\n\n"
        "Reid said Senegalese forward Moussa Ndiaye would start in Okafor's place."
    )
    src = [Source(1, "okafor", "Okafor out for six weeks", "Reuters", "2025-03-04", None, [])]
    question = "Who will take the injured striker's place in Aldervale's team?"
    draft = "Moussa Ndiaye will start in Tom Okafor's place [1]."
    v = validate(draft, src, {"okafor": text}.get, seed_kb.embedder, question=question)
    assert not v.refused, v.notices
    assert (
        v.citations[0].quote
        == "Reid said Senegalese forward Moussa Ndiaye would start in Okafor's place."
    )
    # The same paragraph in a story that opens on something else answers nothing asked.
    other = text.replace("FC Aldervale striker Tom Okafor", "The Castlebridge United keeper")
    v = validate(draft, src, {"okafor": other}.get, seed_kb.embedder, question=question)
    assert v.refused

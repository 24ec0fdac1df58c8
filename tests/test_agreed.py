"""Two answerers that agree (qa/agreed.py): a generated answer that the fact check turns into
the refusal gives way to the extractive answer when that answer's name or figure is the one
the model gave; when they disagree, or the model gives more than one, the refusal stands.
Real embedder, real Chroma, the real fact check on fixed drafts."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Drafted, reuters_feed

from qa import KnowledgeBase

HIRE = (
    "Lysen Group said on Monday that its finance officer, Hanne De Wilde, would join the "
    "management board in May, after four years at the Antwerp-based brewer. De Wilde replaces "
    "Pieter Mertens, who is retiring. Shares in Lysen rose 2% in Brussels."
)
STRIKE = (
    "Dock workers at the port of Esbjerg walked out on Tuesday in a dispute over pay, halting "
    "the loading of wind turbine blades. The union said 320 members had joined the strike and "
    "that talks with the port authority would resume on Friday."
)
RECORDS = [
    ("lysen-hire", "Lysen Group names De Wilde to board", HIRE, "2025-03-03"),
    ("esbjerg-strike", "Esbjerg dock workers strike over pay", STRIKE, "2025-06-10"),
]
WHO = "Who will join the management board of Lysen Group?"
HOW_MANY = "How many members joined the strike at the port of Esbjerg?"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("agreed")
    with KnowledgeBase(root / "index") as kb:
        kb.ingest([reuters_feed(root, RECORDS)])
        yield kb


def _answer(kb: KnowledgeBase, question: str, draft: str, model: str | None = None):
    from qa.answerer import AnswerContext
    from qa.news import answer_news, retrieve_scoped
    from qa.types import Final

    scope, filters = kb.time_scope(question, "2025-07-01", None, None, None, None)
    r, scope, _ = retrieve_scoped(kb, scope, filters, None, None)
    ctx = AnswerContext(kb.store.article_text, kb.embedder, kb.settings, date(2025, 7, 1))
    events = list(answer_news(Drafted(draft, model), question, scope, r, ctx))
    return next(e.answer for e in events if isinstance(e, Final))


def test_a_right_answer_in_other_words_gives_way_to_the_articles_sentence(
    kb: KnowledgeBase,
) -> None:
    """ "chief financial officer" and "appointed" are not stated by the article, so the model's
    sentence cannot keep its citation; its answer, the first name it gives that the question
    does not (Antwerp comes after), is the extractive one."""
    draft = (
        "Lysen Group appointed its chief financial officer, Hanne De Wilde, who spent four years "
        "at the brewer in Antwerp, to the board [1]."
    )
    ans = _answer(kb, WHO, draft)
    assert not ans.refused
    assert ans.text.startswith("Hanne De Wilde [1].")
    assert ans.citations[0].article_id == "lysen-hire"
    assert ans.citations[0].quote in HIRE
    assert ans.unverified == draft.replace(" [1]", "")
    assert "gives the same answer" in ans.notices[0]
    assert any("kept as unverified text" in n for n in ans.notices[1:])


def test_a_figure_agrees_when_the_model_gives_the_same_number(kb: KnowledgeBase) -> None:
    draft = "Some 320 dockers took part in the stoppage, which the union organised [1]."
    ans = _answer(kb, HOW_MANY, draft)
    assert not ans.refused and "320" in ans.text.split("[1]")[0]
    assert ans.citations[0].article_id == "esbjerg-strike"


def test_a_date_agrees_when_the_model_gives_the_same_day(kb: KnowledgeBase) -> None:
    when = "When will talks with the port authority in Esbjerg resume?"
    draft = "Negotiators for the dockers and the port's managers meet again on Friday [1]."
    ans = _answer(kb, when, draft)
    assert not ans.refused and "Friday" in ans.text.split("[1]")[0], ans.text
    wrong = "Negotiators for the dockers and the port's managers meet again on Monday [1]."
    assert _answer(kb, when, wrong).refused


def test_a_different_answer_or_more_than_one_keeps_the_refusal(kb: KnowledgeBase) -> None:
    for question, draft in (
        (WHO, "Lysen Group appointed Pieter Mertens as its chief financial officer [1]."),
        (WHO, "Lysen picked Pieter Mertens and Hanne De Wilde for its top team [1]."),
        (HOW_MANY, "Some 230 dockers took part in the stoppage, the union organised it [1]."),
        (HOW_MANY, "Of the union's 900 dockers, some 320 took part in the stoppage [1]."),
    ):
        ans = _answer(kb, question, draft)
        assert ans.refused, draft
        assert ans.unverified == draft.replace(" [1]", "")
        assert any("kept as unverified text" in n for n in ans.notices)


def test_a_supported_answer_is_left_as_the_model_wrote_it(kb: KnowledgeBase) -> None:
    draft = "Hanne De Wilde, Lysen Group's finance officer, will join the management board [1]."
    ans = _answer(kb, WHO, draft)
    assert ans.text == draft and ans.unverified is None


def test_a_model_known_to_be_too_small_keeps_the_refusal(kb: KnowledgeBase) -> None:
    """SmolLM2-135M copies the sentence the extractive reading picks, wrong or right: on the
    newsroom `test` drafts its agreeing added as many wrong answers as right ones."""
    draft = "Some 320 dockers took part in the stoppage, which the union organised [1]."
    assert _answer(kb, HOW_MANY, draft, "SmolLM2-135M-Instruct").refused
    assert not _answer(kb, HOW_MANY, draft, "qwen2.5-coder-1.5b-instruct").refused


FERRY_STRIKE = (
    "Ferry crews at Holmsund Lines walked out on Tuesday in a dispute over pay. The company said "
    "at least 18 sailings had been cancelled because of the strike, and that passengers would "
    "be rebooked."
)
FERRY_DEAL = (
    "Holmsund Lines and the crews' union agreed a new pay deal on Monday, ending the dispute. "
    "The operator said 27 sailings had been cancelled in all over the dispute, more than it had "
    "forecast."
)
SAILINGS = "How many sailings did the Holmsund Lines strike cause to be cancelled?"


@pytest.mark.parametrize(("deal_date", "given"), [("2025-04-08", True), ("2025-03-25", False)])
def test_a_later_reports_figure_agrees_though_an_earlier_report_is_worded_closer(
    tmp_path, deal_date: str, given: bool
) -> None:
    """The strike report's "at least 18" is the sentence closest to the question; the model's
    27 is the deal report's. A later report supersedes an earlier one's figure, so 27 agrees
    when the deal report is the later one, and not when it is dated before the strike's."""
    records = [
        ("ferry-strike", "Holmsund Lines ferry crews strike", FERRY_STRIKE, "2025-04-01"),
        ("ferry-deal", "Holmsund Lines ends pay dispute", FERRY_DEAL, deal_date),
    ]
    draft = "The walkout meant that 27 Holmsund Lines crossings did not run [1]."
    with KnowledgeBase(tmp_path / "index") as kb:
        kb.ingest([reuters_feed(tmp_path, records)])
        ans = _answer(kb, SAILINGS, draft)
    assert ans.refused is not given
    if given:
        assert ans.text.startswith("27 sailings [1].")
        assert ans.citations[0].article_id == "ferry-deal"

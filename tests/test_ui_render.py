"""The UI's HTML for answers, built from real qa.types objects: cards, markers, escaping."""

from __future__ import annotations

import re

from qa.types import Answer, ArticleInfo, Citation
from ui import render

ARTICLE = (
    "Officials met on Monday.\n\nThe council   approved the new bridge after a long debate. "
    "Construction starts in May."
)


def cite(n: int, **kw) -> Citation:
    base = {
        "article_id": f"a{n}",
        "title": f"Title {n}",
        "source": "example.org",
        "published_at": "2025-01-0" + str(n),
        "url": f"https://example.org/{n}",
        "quote": "The council approved the new bridge after a long debate.",
    }
    return Citation(n=n, **{**base, **kw})


def texts(article_id: str) -> str | None:
    return ARTICLE if article_id.startswith("a") else None


def test_only_cited_articles_get_cards_and_markers_link_to_them() -> None:
    ans = Answer(
        question="q",
        text="The bridge was approved [2].",
        refused=False,
        citations=[cite(1), cite(2)],
        timings_ms={"retrieve": 12.4, "answer": 30.2, "total": 45.0, "dense": 3.0},
    )
    html = render.render_answer(ans, "t1", texts)
    assert html.count('class="qa-card"') == 1
    assert 'id="qa-t1-c2"' in html and 'id="qa-t1-c1"' not in html
    assert '<a class="qa-cite" href="#qa-t1-c2">[2]</a>' in html
    # The quote is found despite the article's double space, inside its context.
    assert re.search(r"Officials met on Monday\..*<mark class=\"qa-quote\">The council", html)
    assert "Construction starts in May." in html
    assert 'target="_blank" rel="noopener noreferrer"' in html
    assert "extractive (no LLM) · retrieval 12 ms · generation 30 ms · total 45 ms" in html


def test_refusal_unsupported_and_notices_are_marked() -> None:
    refused = Answer(question="q", text="The articles do not say.", refused=True)
    html = render.render_answer(refused, "t2", texts)
    assert "qa-refusal" in html and "No answer found in the articles" in html
    assert "qa-card" not in html

    ans = Answer(
        question="q",
        text="The bridge was approved [1]. It cost ten billion dollars [1].",
        refused=False,
        citations=[cite(1)],
        mode="openai",
        model="gpt-4o-mini",
        unsupported=["It cost ten billion dollars [1]."],
        notices=["One citation was removed."],
    )
    html = render.render_answer(ans, "t3", texts)
    assert '<mark class="qa-unsupported"' in html
    assert re.search(r'qa-unsupported"[^>]*>It cost ten billion dollars <a class="qa-cite"', html)
    assert "Not supported by the cited articles" in html
    assert "One citation was removed." in html
    assert "openai · gpt-4o-mini" in html


def test_unverified_model_answer_sits_behind_a_toggle_under_the_refusal() -> None:
    ans = Answer(
        question="How much did the bridge cost?",
        text="The articles don't say: they do not contain the answer to this question.",
        refused=True,
        mode="local",
        unsupported=["It cost <b>ten</b> billion dollars."],
        unverified="The bridge opened in May. It cost <b>ten</b> billion dollars.",
    )
    html = render.render_answer(ans, "t5", texts)
    refusal = html[html.index("qa-refusal") : html.index("qa-status")]
    assert '<details class="qa-unverified"><summary>' in refusal  # closed by default
    assert "unverified answer" in refusal and "The bridge opened in May." in refusal
    assert '<mark class="qa-unsupported"' in refusal and "<b>" not in html  # marked, escaped
    assert "qa-unsupported-list" not in html  # the toggle holds them; no second list
    assert "qa-unverified" not in render.render_answer(Answer("q", "x", True), "t6", texts)


def test_an_answer_that_took_the_models_place_keeps_its_text_behind_the_toggle() -> None:
    """qa/agreed.py: the extractive answer shown because it gives the model's value."""
    ans = Answer(
        question="Who will join the board?",
        text='Hanne De Wilde [1]. "Its finance officer, Hanne De Wilde, will join the board." [1]',
        refused=False,
        mode="local",
        citations=[cite(1)],
        unverified="Lysen appointed its chief financial officer, Hanne De Wilde, to the board.",
    )
    html = render.render_answer(ans, "t7", texts)
    shown = html[html.index("qa-text") : html.index("qa-status")]
    assert "qa-refusal" not in html
    assert '<details class="qa-unverified"><summary>' in shown
    assert "Lysen appointed its chief financial officer" in shown


def test_hostile_text_is_escaped_and_bad_urls_are_not_links() -> None:
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    c = cite(1, title=evil, source=evil, url="javascript:alert(3)", quote=evil)
    ans = Answer(question=evil, text=f"{evil} [1]", refused=False, citations=[c])
    html = render.render_answer(ans, "t4", lambda _id: f"Before. {evil} After.")
    html += render.user_html(evil) + render.render_draft(evil, evil)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("&lt;", "")  # the url text is not a link
    assert render.safe_url("JavaScript:alert(1)") is None
    assert render.safe_url("https://ok.example/a?b=1") == "https://ok.example/a?b=1"


def test_examples_come_from_titles_newest_first() -> None:
    arts = [
        ArticleInfo("x", "Old story", "s", "2020-01-01", None, None, "f", 1),
        ArticleInfo(
            "y", "New story about a long topic " * 5, "s", "2025-01-01", None, None, "f", 1
        ),
    ]
    qs = render.example_questions(arts, k=2)
    assert len(qs) == 2 and "New story" in qs[0] and "Old story" in qs[1]
    assert all(len(q) < 140 for q in qs)
    rows = render.article_rows(arts, "old")
    assert [r[4] for r in rows] == ["x"]
    assert [r[4] for r in render.article_rows(arts, "zzz", also=["y"])] == ["y"]


def test_a_marker_citing_two_articles_links_and_cards_both() -> None:
    """`[1, 2]` is what the citation renumbering writes for a statement with two sources."""
    ans = Answer(
        question="q",
        text="Both outlets reported the vote [1, 2].",
        refused=False,
        citations=[cite(1), cite(2)],
    )
    html = render.render_answer(ans, "t1", texts)
    assert '<a class="qa-cite" href="#qa-t1-c1">1</a>' in html
    assert '<a class="qa-cite" href="#qa-t1-c2">2</a>' in html
    assert 'id="qa-t1-c1"' in html and 'id="qa-t1-c2"' in html


def test_the_ui_links_exactly_the_numbers_the_engine_parses() -> None:
    """Every marker form the engine reads (`[1-3]`, `[Article 2]`, `[1][2]`, `[1 and 3]`) is
    linked in the UI to the same articles: both go through qa.text's one marker parser."""
    from qa.text import cited_numbers

    text = "A [1-3]. B [Article 2]. C [1][2]. D [1 and 3]. Not a marker [a] or [see above]."
    html = render.answer_text_html(text, "t", linkable=[1, 2, 3])
    linked = [int(n) for n in re.findall(r'href="#qa-t-c(\d+)"', html)]
    assert linked == [1, 2, 3, 2, 1, 2, 1, 3]
    assert sorted(set(linked)) == sorted(cited_numbers(text))
    assert "[a]" in html and "[see above]" in html  # untouched

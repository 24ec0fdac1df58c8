"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright).

Never a downloaded browser. Outside CI the tests skip when /usr/bin/chromium is missing;
in CI (CI=true) they always run.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import json
import re
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
    "--disable-sync",
]
FT_ID = "000_5276686c29e4255e"
CBS_ID = "002_9f82d241876d8fb4"
PESKOV_Q = "What did Kremlin spokesman Dmitry Peskov accuse the European party of war of?"
ZEBRA_Q = "What did the zebra council vote to paint?"
# Every field a browser shows carries a payload that sets window.__xss if it ever runs.
HOSTILE = {
    "id": "hostile-zebra",
    "title": '<script>window.__xss=1</script>Zebra council <img src=x onerror="window.__xss=2">',
    "text": (
        "The zebra council voted to paint every crosswalk purple on Tuesday. "
        '<script>window.__xss=3</script> Residents said <img src=x onerror="window.__xss=4"> '
        "they were surprised by the decision. The mayor promised a review."
    ),
    "source": '<b onmouseover="window.__xss=6">evil.example</b>',
    "published_at": "2025-10-01",
    "url": "javascript:window.__xss=5",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and os.environ.get("CI", "").lower() != "true",
        reason=f"{CHROMIUM} not installed (apt-get install chromium); required in CI",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ui_kb(seed_index: Path, tmp_path_factory: pytest.TempPathFactory):
    """The seeds plus one hostile article, in a private copy of the seed index."""
    from qa import KnowledgeBase

    base = tmp_path_factory.mktemp("ui-browser")
    path = base / "index"
    shutil.copytree(seed_index, path)
    hostile = base / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    kb = KnowledgeBase(path, llm="extractive")
    report = kb.ingest([hostile])
    assert report.added == [HOSTILE["id"]], report
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def app_url(ui_kb):
    from ui.app import launch

    port = free_port()
    demo = launch(ui_kb, port=port, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def two_source_kb_class():
    """A KnowledgeBase whose every answer cites both seed articles in one `[1, 2]` marker.

    Fault injection: the extractive answerer and the local SmolLM2 cannot be made to write
    `[1, 2]` on demand, so this subclass keeps the real retrieval (its status events and
    timings) and replaces the answer events with a real `Answer` whose two citations quote
    real sentences of the two seed articles. Everything the UI does with it is the real app.
    """
    from qa import KnowledgeBase
    from qa.text import sentences
    from qa.types import Answer, Citation, CitationEvent, Final, TextDelta

    class TwoSourcesInOneMarker(KnowledgeBase):
        def citation(self, n: int, article_id: str) -> Citation:
            info, text = self.article(article_id), self.article_text(article_id) or ""
            quote = next(text[a:b] for a, b in sentences(text) if "troops" in text[a:b])
            return Citation(
                n, article_id, info.title, info.source, info.published_at, info.url, quote
            )

        def ask_stream(self, question: str, **kwargs):  # type: ignore[no-untyped-def]
            cites = [self.citation(1, CBS_ID), self.citation(2, FT_ID)]
            text = "European troops in Ukraine are discussed by both outlets [1, 2]."
            for ev in super().ask_stream(question, **kwargs):
                if isinstance(ev, Final):
                    yield TextDelta(text)
                    for c in cites:
                        yield CitationEvent(c)
                    real = ev.answer
                    yield Final(
                        Answer(
                            question=question,
                            text=text,
                            refused=False,
                            citations=cites,
                            timings_ms=real.timings_ms,
                            contexts=real.contexts,
                        )
                    )
                elif not isinstance(ev, (TextDelta, CitationEvent)):
                    yield ev  # the real status events

    return TwoSourcesInOneMarker


@pytest.fixture(scope="module")
def two_source_url(seed_index: Path, tmp_path_factory: pytest.TempPathFactory):
    """The real app over the seeds, served by `two_source_kb_class()` on its own port."""
    from ui.app import launch

    path = tmp_path_factory.mktemp("ui-browser-two") / "index"
    shutil.copytree(seed_index, path)
    kb = two_source_kb_class()(path, llm="extractive")
    port = free_port()
    demo = launch(kb, port=port, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
        kb.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


# Playwright waits 5 s by default: with both cores busy the app can still say "Loading..."
# after that. These tests check what the page shows, not how fast, so they wait longer.
UI_WAIT_MS = 60_000


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_WAIT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(UI_WAIT_MS)
    pg = context.new_page()
    pg.dialogs = []  # any alert()/confirm() would mean injected script ran
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def ask_in_page(page, question: str):
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    # The final answer carries a status line without the in-progress class.
    answer = page.locator("#qa-chat .qa-answer:not(.qa-streaming)").last
    answer.wait_for(timeout=120_000)
    return answer


def test_ask_shows_streamed_answer_with_citation_cards(page, app_url, ui_kb, tmp_path) -> None:
    from playwright.sync_api import expect

    page.goto(app_url)
    # Example questions drawn from the corpus are offered on first load.
    expect(page.locator("#qa-chat .example").first).to_be_visible()
    expect(page.locator("#qa-chat")).to_contain_text("European plans for post-war Ukraine")
    expect(page.locator("#qa-banner")).to_contain_text("No language model is configured")

    answer = ask_in_page(page, PESKOV_Q)
    expect(answer.locator(".qa-text")).to_contain_text("Peskov")
    expect(answer.locator(".qa-status")).to_contain_text("extractive")
    title = ui_kb.article(CBS_ID).title
    cards = answer.locator(".qa-card")
    expect(cards.filter(has_text=title)).to_have_count(1)
    expect(answer.locator(".qa-card mark.qa-quote").first).to_contain_text("Peskov")

    marker = answer.locator("a.qa-cite").first
    card_id = marker.get_attribute("href").lstrip("#")
    marker.click()
    card = page.locator(f"#{card_id}")
    expect(card).to_have_class(re.compile(r"\bqa-flash\b"))
    expect(card).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{card_id}"

    shot = tmp_path / "ui-answer.png"
    page.screenshot(path=str(shot), full_page=True)
    OUTPUT.mkdir(exist_ok=True)
    shutil.copy(shot, OUTPUT / "ui-answer.png")
    assert shot.stat().st_size > 10_000


def test_hostile_article_is_shown_as_text_and_never_runs(page, app_url, tmp_path) -> None:
    from playwright.sync_api import expect

    page.goto(app_url)
    # The corpus table shows the hostile title as literal text.
    page.get_by_role("tab", name="Corpus").click()
    expect(page.locator("#qa-articles")).to_contain_text("<script>window.__xss=1</script>")
    page.get_by_role("tab", name="Ask").click()

    answer = ask_in_page(page, ZEBRA_Q)
    card = answer.locator(".qa-card").first
    expect(card.locator(".qa-card-title")).to_contain_text("<script>window.__xss=1</script>")
    expect(card.locator(".qa-excerpt")).to_contain_text('onerror="window.__xss=4"')
    expect(answer.locator(".qa-text")).to_contain_text("<script>window.__xss=3</script>")
    # A javascript: url is not turned into a link.
    assert card.locator("a[href^='javascript']").count() == 0
    assert card.locator("a.qa-card-title").count() == 0

    card.hover()
    page.mouse.move(5, 5)
    assert page.locator("#qa-chat script, #qa-chat img[onerror], #qa-chat b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    page.screenshot(path=str(tmp_path / "ui-hostile.png"), full_page=True)
    OUTPUT.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "ui-hostile.png", OUTPUT / "ui-hostile.png")


def test_one_marker_citing_two_articles_links_both_cards(page, two_source_url, tmp_path) -> None:
    """`[1, 2]` (how the citation renumbering writes a statement with two sources): both
    numbers are links, both articles get a card, and each number leads to its own card."""
    from playwright.sync_api import expect

    page.goto(two_source_url)
    answer = ask_in_page(page, "Will European troops go to Ukraine?")
    expect(answer.locator(".qa-text")).to_contain_text("[1, 2]")
    cards = answer.locator(".qa-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).locator(".qa-card-n")).to_have_text("[1]")
    expect(cards.nth(1).locator(".qa-card-n")).to_have_text("[2]")
    expect(cards.nth(1)).to_contain_text("multinational troop deployment")
    links = answer.locator(".qa-text a.qa-cite")
    expect(links).to_have_count(2)
    for n, other in ((1, 2), (2, 1)):
        link = links.filter(has_text=re.compile(rf"^{n}$"))
        card_id = link.get_attribute("href").lstrip("#")
        assert card_id.endswith(f"-c{n}"), card_id
        link.click()
        card = page.locator(f"#{card_id}")
        expect(card).to_have_class(re.compile(r"\bqa-flash\b"))
        expect(card).to_be_in_viewport()
        expect(card.locator(".qa-card-n")).to_have_text(f"[{n}]")
        expect(cards.nth(other - 1)).not_to_have_class(re.compile(r"\bqa-flash\b"))
        assert page.evaluate("location.hash") == f"#{card_id}"
    page.screenshot(path=str(tmp_path / "ui-two-sources.png"), full_page=True)
    OUTPUT.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "ui-two-sources.png", OUTPUT / "ui-two-sources.png")


def test_as_of_field_and_time_toggle_set_the_window(page, app_url) -> None:
    """The as-of field is the question's "today": "yesterday" becomes a window that the status
    line shows and that finds the article of that day; the toggle switches the reading off."""
    from playwright.sync_api import expect

    page.goto(app_url)
    as_of = page.locator("#qa-as-of input").first
    as_of.fill("2025-09-02")
    as_of.press("Tab")
    q = "What did Kremlin spokesman Dmitry Peskov accuse the European party of war of yesterday?"
    answer = ask_in_page(page, q)
    status = answer.locator(".qa-status")
    expect(status).to_contain_text('articles published 2025-09-01 to 2025-09-02 ("yesterday"')
    expect(answer.locator(".qa-text")).to_contain_text("Peskov")
    page.locator("#qa-parse-time input[type=checkbox]").uncheck()
    answer = ask_in_page(page, q)
    expect(answer.locator(".qa-status")).to_contain_text(
        "articles published any date to 2025-09-02"
    )
    expect(answer.locator(".qa-status")).not_to_contain_text("yesterday")
    # An impossible as-of date is the engine's message, not a crash.
    as_of.fill("2025-02-30")
    as_of.press("Tab")
    page.locator("#qa-question textarea").fill(q)
    page.locator("#qa-question textarea").press("Enter")
    expect(page.locator("body")).to_contain_text("expected a date like 2025-08-01", timeout=30_000)

"""The web UI through its HTTP API: a real app on 127.0.0.1 driven by gradio_client.

One app over a private copy of the seed index serves the module; each test opens its own
Client, which is its own session (like a browser tab).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.ui_process import free_port, ui_process

FT_ID = "000_5276686c29e4255e"
CBS_ID = "002_9f82d241876d8fb4"
PESKOV_Q = "What did Kremlin spokesman Dmitry Peskov accuse the European party of war of?"
LAVROV_Q = "Who called on European nations to guarantee the security and neutrality of Ukraine?"
LIGHTHOUSE_Q = "Why did the Hestvik lighthouse keepers go on strike?"
TINY = {
    "id": "tiny-lighthouse",
    "title": "Hestvik lighthouse keepers strike over foghorn cuts",
    "text": (
        "The lighthouse keepers of Hestvik went on strike on Monday because the coastal "
        "authority cut the foghorn budget. The keepers said ships would be put at risk. "
        "The authority promised to review the cuts by spring."
    ),
    "source": "tiny.example",
    "published_at": "2024-03-04",
    "url": "https://tiny.example/lighthouse",
}


def last_html(chat: list[dict]) -> str:
    """The text of the last chat message (gradio 6 normalises content into a list)."""
    content = chat[-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def table_rows(value: dict | list) -> list[list]:
    return value["data"] if isinstance(value, dict) else value


@pytest.fixture(scope="module")
def ui_kb(seed_index: Path, tmp_path_factory: pytest.TempPathFactory):
    from qa import KnowledgeBase

    path = tmp_path_factory.mktemp("ui-client") / "index"
    shutil.copytree(seed_index, path)
    kb = KnowledgeBase(path, llm="extractive")
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def app_url(ui_kb):
    from ui.app import launch

    port = free_port()
    demo = launch(ui_kb, port=port, block=False, quiet=True)  # default host
    try:
        assert demo.server_name == "127.0.0.1"
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture
def client(app_url: str):
    from gradio_client import Client

    c = Client(app_url, verbose=False)
    yield c
    c.close()


def ask(client, question: str, sources=None, since=None, until=None) -> tuple[list, dict]:
    chat, answer, _box = client.predict(question, sources or [], since, until, api_name="/ask")
    return chat, answer


def test_ask_seed_question_gives_cited_answer_with_cards(client, ui_kb) -> None:
    chat, answer = ask(client, PESKOV_Q)
    assert not answer["refused"], answer
    cited = {c["article_id"] for c in answer["citations"]}
    assert CBS_ID in cited
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    assert markers == {c["n"] for c in answer["citations"]}
    html = last_html(chat)
    # One card per cited article, titled like the article, each [n] linking to its card.
    assert html.count('class="qa-card"') == len(answer["citations"])
    title = ui_kb.article(CBS_ID).title.replace("'", "&#x27;")
    assert title in html
    for n in markers:
        anchor = re.search(rf'href="#(qa-t[0-9a-f]+-c{n})"', html)
        assert anchor and f'id="{anchor.group(1)}"' in html
    assert '<mark class="qa-quote">' in html
    assert 'class="qa-status"' in html and "extractive" in html


def test_answer_streams_draft_before_final(client) -> None:
    job = client.submit(LAVROV_Q, [], None, None, api_name="/ask")
    job.result(timeout=300)
    chats = [out[0] for out in job.outputs() if out and out[0]]
    assert len(chats) >= 2
    assert "qa-streaming" in last_html(chats[0])
    assert "qa-card" in last_html(chats[-1]) and "qa-streaming" not in last_html(chats[-1])


def test_source_and_date_filters_change_the_result(client) -> None:
    _, plain = ask(client, LAVROV_Q)
    assert FT_ID in {c["article_id"] for c in plain["citations"]}, plain

    _, cbs_only = ask(client, LAVROV_Q, sources=["CBS Politics"])
    assert FT_ID not in {c["article_id"] for c in cbs_only["citations"]}
    assert all(c["source"] == "CBS Politics" for c in cbs_only["citations"])

    _, future = ask(client, LAVROV_Q, since="2030-01-01")
    assert future["refused"] and not future["citations"], future

    # The engine's own rule and message (qa.retrieve.make_filters), as `qa ask --since` gives.
    with pytest.raises(Exception, match="since: expected a date"):
        ask(client, LAVROV_Q, since="last tuesday")
    with pytest.raises(Exception, match=r"since \(2025-09-02\) is after until"):
        ask(client, LAVROV_Q, since="2025-09-02", until="2025-09-01")


def test_each_session_has_its_own_history_and_clear_resets_it(app_url, client) -> None:
    from gradio_client import Client

    ask(client, PESKOV_Q)
    chat, _ = ask(client, "And what did von der Leyen tell the Financial Times?")
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]

    other = Client(app_url, verbose=False)
    try:
        chat2, _ = ask(other, LAVROV_Q)
        assert len(chat2) == 2
        assert "neutrality" in last_html(chat2[:1])
    finally:
        other.close()

    cleared = client.predict(api_name="/clear")
    assert cleared[0] == []
    chat3, _ = ask(client, LAVROV_Q)
    assert len(chat3) == 2


def test_upload_lists_article_and_refuses_bad_files(client, ui_kb, tmp_path: Path) -> None:
    from gradio_client import handle_file

    good = tmp_path / "tiny brief (v1).jsonl"
    good.write_text(json.dumps(TINY) + "\n", encoding="utf-8")
    bad = tmp_path / "slides.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    out = client.predict([handle_file(str(good)), handle_file(str(bad))], api_name="/upload")
    results = {row[0]: row for row in table_rows(out[0])}
    assert results["slides.pdf"][1] == "refused"
    assert results["tiny brief (v1).jsonl"][1] == "added", results

    stored = sorted(p.name for p in (ui_kb.settings.index / "data").iterdir())
    assert stored == ["tiny_brief_v1.jsonl"]  # sanitised name, nothing else written

    listed = table_rows(client.predict(api_name="/refresh")[3])
    row = next(r for r in listed if r[4] == TINY["id"])
    assert row[:3] == [TINY["title"], TINY["source"], TINY["published_at"]]
    assert row[3] >= 1  # chunks

    # The new source is a filter choice; filtering to it, and away from it, changes the answer.
    _, only_tiny = ask(client, LIGHTHOUSE_Q, sources=[TINY["source"]])
    assert {c["article_id"] for c in only_tiny["citations"]} == {TINY["id"]}
    _, no_tiny = ask(client, LIGHTHOUSE_Q, sources=["CBS Politics"])
    assert TINY["id"] not in {c["article_id"] for c in no_tiny["citations"]}

    hits = client.predict("lighthouse foghorn", api_name="/search")[1]
    assert "Hestvik" in hits

    msg = client.predict(TINY["id"], api_name="/delete")[0]
    assert "Deleted" in msg
    assert TINY["id"] not in {a.id for a in ui_kb.articles()}


def test_ctrl_c_stops_the_server_cleanly(seed_index: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    port = free_port()
    with ui_process("-m", "ui", "--index", str(index), "--port", str(port), port=port) as ui:
        pass
    assert ui.returncode == 0, ui.stderr
    assert "Traceback" not in ui.stderr, ui.stderr
    assert "Stopping" in ui.stderr

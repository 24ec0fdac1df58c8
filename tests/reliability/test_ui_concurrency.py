"""20 browser-like sessions asking at once each get their own answers and their own history."""

from __future__ import annotations

import os
import shutil
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

QUESTIONS = [
    ("Where will European leaders gather on Thursday?", "Paris"),
    ("What did Trump tell Fox News on Aug. 19?", "will not deploy"),
    ("Where did Putin give a speech on Monday?", "China"),
    ("How many troops could the deployment include?", "tens of thousands"),
    ("Who accused the European party of war of hindering peace efforts?", "Peskov"),
]


def text_of(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


@pytest.fixture
def app_url(seed_index: Path, tmp_path: Path):
    from qa import KnowledgeBase
    from ui.app import launch

    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    kb = KnowledgeBase(path, llm="extractive")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = launch(kb, port=port, block=False, quiet=True)
    try:
        assert demo.server_name == "127.0.0.1"
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
        kb.close()


def test_twenty_concurrent_sessions_never_cross_histories(app_url: str) -> None:
    from gradio_client import Client

    def session(i: int) -> tuple[int, list[dict]]:
        first, _ = QUESTIONS[i % len(QUESTIONS)]
        second, _ = QUESTIONS[(i + 2) % len(QUESTIONS)]
        client = Client(app_url, verbose=False)
        try:
            client.predict(f"{first} (session {i})", [], None, None, api_name="/ask")
            chat, _answer, _box = client.predict(second, [], None, None, api_name="/ask")
            return i, chat
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(session, range(20)))

    assert len(results) == 20
    for i, chat in results:
        first, want1 = QUESTIONS[i % len(QUESTIONS)]
        second, want2 = QUESTIONS[(i + 2) % len(QUESTIONS)]
        assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"], i
        assert f"(session {i})" in text_of(chat[0])  # its own first question, nobody else's
        assert second in text_of(chat[2])
        assert want1.lower() in text_of(chat[1]).lower(), (i, text_of(chat[1])[:200])
        assert want2.lower() in text_of(chat[3]).lower(), (i, text_of(chat[3])[:200])

"""The web UI under load and attack: 20 concurrent sessions never cross histories, the server
binds 127.0.0.1 by default, a wrong password is refused, and uploads can neither exceed the
size limit nor land outside the index's data folder."""

from __future__ import annotations

import os
import shutil
import socket
import urllib.error
import urllib.request
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ui_kb(seed_index: Path, tmp_path: Path):
    from qa import KnowledgeBase

    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    kb = KnowledgeBase(path, llm="extractive")
    yield kb
    kb.close()


@pytest.fixture
def app_url(ui_kb):
    from ui.app import launch

    port = free_port()
    demo = launch(ui_kb, port=port, block=False, quiet=True)  # no host given
    try:
        assert demo.server_name == "127.0.0.1"
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def test_twenty_concurrent_sessions_never_cross_histories(app_url: str) -> None:
    from gradio_client import Client

    def session(i: int) -> tuple[int, list[dict]]:
        first, _ = QUESTIONS[i % len(QUESTIONS)]
        second, _ = QUESTIONS[(i + 2) % len(QUESTIONS)]
        # httpx's default 5 s read timeout is about latency, which this test is not: with both
        # cores busy, 20 clients fetching the app's config at once can wait longer than that.
        client = Client(app_url, verbose=False, httpx_kwargs={"timeout": 120})
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


def test_login_refuses_wrong_password(ui_kb) -> None:
    from gradio_client import Client

    from ui.app import launch

    port = free_port()
    demo = launch(ui_kb, port=port, auth=("editor", "s3cret"), block=False, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a bare ValueError
            Client(url, auth=("editor", "wrong"), verbose=False)
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url + "config", timeout=10)
        ok = Client(url, auth=("editor", "s3cret"), verbose=False)
        try:
            assert "/ask" in ok.view_api(return_format="dict", print_info=False)["named_endpoints"]
        finally:
            ok.close()
    finally:
        demo.close()


def test_login_and_upload_limit_come_from_the_settings(monkeypatch) -> None:
    """QA_UI_AUTH and QA_UI_MAX_UPLOAD_MB are Settings fields; the password never shows in a
    settings dump."""
    from qa.config import Settings
    from ui.app import login
    from ui.uploads import max_upload_bytes

    monkeypatch.delenv("QA_UI_AUTH", raising=False)
    assert login(Settings()) is None
    monkeypatch.setenv("QA_UI_AUTH", "editor:s3cret")
    settings = Settings()
    assert login(settings) == ("editor", "s3cret")
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())
    monkeypatch.setenv("QA_UI_AUTH", "no-colon")
    with pytest.raises(ValueError, match="user:password"):
        login(Settings())
    monkeypatch.setenv("QA_UI_MAX_UPLOAD_MB", "2")
    assert max_upload_bytes() == 2 * 1024 * 1024


def test_upload_names_are_sanitised_and_limited(tmp_path: Path, monkeypatch) -> None:
    from ui.uploads import UploadRefused, safe_name, store_upload

    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\evil name!.MD") == "evil_name.md"
    for name in ("notes.exe", "noext", "../.jsonl"):
        with pytest.raises(UploadRefused):
            safe_name(name)

    data = tmp_path / "index" / "data"
    src = tmp_path / "in.txt"
    src.write_text("A short article.\n", encoding="utf-8")
    dest = store_upload(src, "../../outside.txt", data)
    assert dest == (data / "outside.txt").resolve() and dest.read_text() == "A short article.\n"
    assert not (tmp_path / "outside.txt").exists()

    monkeypatch.setenv("QA_UI_MAX_UPLOAD_MB", "1")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    with pytest.raises(UploadRefused, match="limit"):
        store_upload(big, "big.txt", data)
    assert not (data / "big.txt").exists()

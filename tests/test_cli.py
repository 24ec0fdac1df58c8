"""The `qa` command as a user runs it: a new process, an index folder, plain and JSON output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from qa.cli import _settings, build_parser
from tests import test_chroma_server
from tests.conftest import CBS_ID, FT_ID, ROOT, SEEDS
from tests.ui_process import free_port, ui_process

chroma_url = test_chroma_server.chroma_url  # a real `chroma run` on 127.0.0.1, per module


def qa(*args: str, index: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QA_INDEX": str(index), "PYTHONPATH": str(ROOT)}
    env.pop("OPENAI_API_KEY", None)
    p = subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=ROOT,
    )
    if check:
        assert p.returncode == 0, p.stderr
    return p


def test_ingest_ask_search_list_delete(tmp_path: Path) -> None:
    index = tmp_path / "index"
    p = qa("ingest", str(SEEDS), index=index)
    assert "2 added, 0 updated, 0 unchanged" in p.stdout and "0 failed" in p.stdout
    assert "ingesting" in p.stderr  # the progress bar

    p = qa("ingest", str(SEEDS), index=index)
    assert "0 added, 0 updated, 2 unchanged" in p.stdout

    p = qa("ask", "Who told the Financial Times about the plans?", index=index)
    assert "von der Leyen" in p.stdout and "[1]" in p.stdout
    assert "Sources:" in p.stdout and "CBS Politics · 2025-09-01" in p.stdout
    assert "extractive" in p.stderr

    p = qa("ask", "Who told the Financial Times about the plans?", "--json", index=index)
    out = json.loads(p.stdout)
    assert set(out) >= {"answer", "refused", "citations", "timings_ms", "unverified"}
    assert out["refused"] is False and out["unverified"] is None  # only for generated answers
    used = {int(n) for n in re.findall(r"\[(\d+)\]", out["answer"])}
    assert used == {c["n"] for c in out["citations"]}
    for c in out["citations"]:
        founding = {"n", "article_id", "title", "source", "published_at", "url", "quote"}
        assert set(c) == founding | {"also_published_by"}  # other outlets (issue 14)

    p = qa("ask", "Who won the 2024 Super Bowl?", "--json", index=index)
    out = json.loads(p.stdout)
    assert out["refused"] is True and out["citations"] == []

    p = qa("search", "Kremlin spokesman Peskov", "-k", "3", index=index)
    assert p.stdout.startswith("1. " + CBS_ID)
    assert "fused" in p.stdout and "bm25" in p.stdout

    p = qa("list", "--json", index=index)
    assert {a["id"] for a in json.loads(p.stdout)} == {FT_ID, CBS_ID}

    p = qa("delete", FT_ID, index=index)
    assert f"deleted {FT_ID}" in p.stdout
    p = qa("delete", FT_ID, index=index, check=False)
    assert p.returncode == 1 and "no article with id" in p.stderr
    p = qa("list", index=index)
    assert FT_ID not in p.stdout and CBS_ID in p.stdout


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    index = tmp_path / "index"
    p = qa("ingest", str(tmp_path / "nope.txt"), index=index, check=False)
    assert p.returncode == 1
    assert "nope.txt" in p.stderr and "Traceback" not in p.stderr
    p = qa("ask", "   ", index=index, check=False)
    assert p.returncode == 2 and "qa: error: the question is empty" in p.stderr
    p = qa("ask", "Who?", "--since", "yesterday", index=index, check=False)
    assert p.returncode == 2 and "since" in p.stderr and "Traceback" not in p.stderr


def test_global_flags_reach_every_command() -> None:
    """`_settings` is the one place flags become settings; `qa ui` goes through it too."""
    for command in (["ui", "--port", "7999"], ["ask", "Who?"], ["sync"]):
        args = build_parser().parse_args(
            ["--index", "/tmp/idx", "--chroma-url", "http://127.0.0.1:9", *command]
        )
        settings = _settings(args)
        assert str(settings.index) == "/tmp/idx"
        assert settings.chroma_url == "http://127.0.0.1:9"
    assert settings.auto_sync is False  # `qa sync` reports its own sync
    args = build_parser().parse_args(["ui", "--host", "0.0.0.0", "--port", "7999"])
    assert (_settings(args).ui_host, _settings(args).ui_port) == ("0.0.0.0", 7999)


def test_qa_ui_uses_the_chroma_url_flag(chroma_url: str, tmp_path: Path) -> None:
    """`qa --chroma-url URL ui` serves the server's articles. The seeds are put on a real
    `chroma run` from one folder; `qa ui` starts on a new, empty folder, so it can only list
    them if it opened the server (and synced its local copy on open)."""
    from gradio_client import Client

    from qa import KnowledgeBase

    with KnowledgeBase.connect(chroma_url, tmp_path / "writer") as kb:
        assert sorted(kb.ingest([SEEDS]).added) == [FT_ID, CBS_ID]
    port = free_port()
    args = ["--chroma-url", chroma_url, "--index", str(tmp_path / "fresh"), "ui"]
    with ui_process("-m", "qa.cli", *args, "--port", str(port), port=port) as ui:
        client = Client(ui.url, verbose=False)
        try:
            header, _sources, _chat, rows, _choices = client.predict(api_name="/refresh")
        finally:
            client.close()
    assert "**2 articles**" in header, header
    listed = rows["data"] if isinstance(rows, dict) else rows
    assert {r[4] for r in listed} == {FT_ID, CBS_ID}
    assert ui.returncode == 0, ui.stderr
    assert "Traceback" not in ui.stderr, ui.stderr


def test_as_of_and_no_time_flags(seed_index: Path) -> None:
    """`--as-of` sets the question's "today" ("yesterday" is a window shown in --json and on
    the status line); `--no-time` leaves the words unread; a bad date is exit 2, one line."""
    q = "What did Kremlin spokesman Dmitry Peskov accuse the European party of war of yesterday?"
    out = json.loads(qa("ask", q, "--as-of", "2025-09-02", "--json", index=seed_index).stdout)
    assert (out["window"]["since"], out["window"]["until"]) == ("2025-09-01", "2025-09-02")
    assert out["citations"] and out["citations"][0]["article_id"] == CBS_ID
    out = json.loads(
        qa("ask", q, "--as-of", "2025-09-02", "--no-time", "--json", index=seed_index).stdout
    )
    assert out["window"]["phrase"] is None and out["window"]["until"] == "2025-09-02"
    p = qa("ask", q, "--as-of", "2025-09-02", index=seed_index)  # the status line says it
    assert 'articles published 2025-09-01 to 2025-09-02 ("yesterday"' in p.stderr
    p = qa("ask", q, index=seed_index)  # today: no article of yesterday, so any date, noted
    assert "searched articles of any date instead" in p.stdout
    bad = qa("ask", q, "--as-of", "2025-02-30", index=seed_index, check=False)
    assert bad.returncode == 2 and "as_of: expected a date like 2025-08-01" in bad.stderr
    bad = qa("search", "Peskov since 31 February", index=seed_index, check=False)
    assert bad.returncode == 2 and '"31 February" is not a date' in bad.stderr

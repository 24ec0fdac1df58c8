"""The `qa` command as a user runs it: a new process, an index folder, plain and JSON output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import CBS_ID, FT_ID, ROOT, SEEDS


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
    assert set(out) >= {"answer", "refused", "citations", "timings_ms"}
    assert out["refused"] is False
    used = {int(n) for n in re.findall(r"\[(\d+)\]", out["answer"])}
    assert used == {c["n"] for c in out["citations"]}
    for c in out["citations"]:
        assert set(c) == {"n", "article_id", "title", "source", "published_at", "url", "quote"}

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

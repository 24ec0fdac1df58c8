"""Two writers and a reader on one index at once: nothing is corrupted, nobody crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

READER = textwrap.dedent(
    """
    import sys, time
    from qa import KnowledgeBase
    kb = KnowledgeBase(sys.argv[1])
    asked = 0
    deadline = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline and asked < 200:
        ans = kb.ask("What happened at the port of Gdansk?")
        assert all(c.quote in (kb.article_text(c.article_id) or "") for c in ans.citations)
        kb.search("harbour cranes", k=5)
        asked += 1
    print(asked)
    """
)


def corpus(path: Path, prefix: str, city: str) -> None:
    with path.open("w") as fh:
        for i in range(15):
            text = (
                f"Dock workers at the port of {city} unloaded {100 + i} containers on Friday. "
                f"Harbour cranes in {city} were repaired after a storm, the operator said.\n\n"
                f"Shipping lines said traffic through {city} would recover within {i + 2} weeks."
            )
            fh.write(json.dumps({"id": f"{prefix}-{i}", "title": f"{city} port {i}", "text": text}))
            fh.write("\n")


def test_two_ingests_and_a_reader_at_once(tmp_path: Path) -> None:
    from qa import KnowledgeBase

    index = tmp_path / "index"
    KnowledgeBase(index).close()  # create it, so the reader has something to open
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    corpus(a, "gdansk", "Gdansk")
    corpus(b, "rotterdam", "Rotterdam")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QA_INGEST_BATCH": "8"}
    cmd = [sys.executable, "-m", "qa.cli", "--index", str(index), "ingest", "-q"]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(index), "25"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    w1 = subprocess.Popen([*cmd, str(a)], env=env, stderr=subprocess.PIPE, text=True)
    w2 = subprocess.Popen([*cmd, str(b)], env=env, stderr=subprocess.PIPE, text=True)
    for w in (w1, w2):
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
    out, err = reader.communicate(timeout=600)
    assert reader.returncode == 0, err
    assert int(out.strip()) > 0

    with KnowledgeBase(index) as kb:
        rep = kb.verify()
        assert rep.ok, rep.summary()
        assert rep.articles == 30
        hit = kb.search("Rotterdam harbour cranes", k=1)[0]
        assert hit.article_id.startswith("rotterdam-")


def test_a_writer_that_cannot_get_the_lock_says_the_index_is_busy(kb) -> None:
    import pytest

    from qa.store import IndexBusy

    with kb.store.write_lock():
        kb.settings = kb.settings.model_copy(update={"lock_timeout": 0.3})
        kb.store.settings = kb.settings
        with pytest.raises(IndexBusy, match="another qa process is writing"):
            kb.delete("anything")

"""Writers and readers opening one NEW index folder at the same moment: nobody crashes.

Creating an index (FORMAT.json, the SQLite schema) and Chroma's first open of a folder (its
own schema) race when two processes do them at once: Chroma failed with "table collections
already exists". A reader opens Chroma lazily without the write lock, so the open lock
(qa/store/lock.py) must cover readers too. Every process loads its model and imports first,
then all wait at a barrier (a file the test creates) so that their first opens coincide; this
repeats on several new folders to give the race several chances.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.reliability.test_concurrency import corpus

WRITERS = ("gdansk", "rotterdam", "hamburg")
READERS = 3
ROUNDS = 3
N_ARTICLES = 15  # per writer: tests.reliability.test_concurrency.corpus

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    import chromadb  # imported before the barrier, so the first opens coincide
    from qa import KnowledgeBase
    from qa.config import Settings
    from qa.embed import get_embedder

    role, name, sync_dir, rounds = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    get_embedder(Settings().embed_threads)  # the model loads before the barrier too
    for r in range(rounds):
        (sync_dir / f"ready-{r}-{name}").touch()
        while not (sync_dir / f"go-{r}").exists():
            time.sleep(0.002)
        index = sync_dir / f"index-{r}"
        with KnowledgeBase(index) as kb:
            if role == "writer":
                rep = kb.ingest([sync_dir / f"{name}.jsonl"])
                assert not rep.failed, rep.summary()
                print(json.dumps({"round": r, "added": len(rep.added)}), flush=True)
                continue
            asked = 0
            for _ in range(4):
                ans = kb.ask("What happened at the port of Gdansk?")
                assert all(c.quote in (kb.article_text(c.article_id) or "") for c in ans.citations)
                kb.search("harbour cranes", k=5)
                asked += 1
            print(json.dumps({"round": r, "asked": asked}), flush=True)
    """
)


def test_writers_and_readers_opening_one_new_folder_at_once(tmp_path: Path) -> None:
    for name in WRITERS:
        corpus(tmp_path / f"{name}.jsonl", name, name.capitalize())
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QA_INGEST_BATCH": "8", "QA_EMBED_THREADS": "1"}
    roles = [("writer", n) for n in WRITERS] + [("reader", f"reader{i}") for i in range(READERS)]
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", WORKER, role, name, str(tmp_path), str(ROUNDS)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, name in roles
    }
    try:
        for r in range(ROUNDS):
            _release_when_ready(tmp_path, r, procs)
        outputs = {}
        for name, p in procs.items():
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, f"{name} crashed:\n{err}"
            outputs[name] = [json.loads(line) for line in out.splitlines()]
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()

    for name in WRITERS:  # every writer stored all of its articles in every round
        assert [o["added"] for o in outputs[name]] == [N_ARTICLES] * ROUNDS
    for i in range(READERS):
        assert [o["asked"] for o in outputs[f"reader{i}"]] == [4] * ROUNDS
    _assert_nothing_lost(tmp_path)


def _release_when_ready(sync_dir: Path, r: int, procs: dict[str, subprocess.Popen[str]]) -> None:
    """Create go-<r> once every process waits at round r's barrier."""
    deadline = time.monotonic() + 600
    while not all((sync_dir / f"ready-{r}-{name}").exists() for name in procs):
        for name, p in procs.items():
            if p.poll() is not None:
                _, err = p.communicate()
                raise AssertionError(f"{name} exited ({p.returncode}) before round {r}:\n{err}")
        assert time.monotonic() < deadline, f"not every process reached round {r}"
        time.sleep(0.01)
    (sync_dir / f"go-{r}").touch()


def _assert_nothing_lost(sync_dir: Path) -> None:
    from qa import KnowledgeBase

    for r in range(ROUNDS):
        with KnowledgeBase(sync_dir / f"index-{r}") as kb:
            rep = kb.verify()
            assert rep.ok, rep.summary()
            assert rep.articles == N_ARTICLES * len(WRITERS)
            ids = {a.id for a in kb.articles()}
            assert ids == {f"{n}-{i}" for n in WRITERS for i in range(N_ARTICLES)}
            hit = kb.search("Hamburg harbour cranes", k=1)[0]
            assert hit.article_id.startswith("hamburg-")

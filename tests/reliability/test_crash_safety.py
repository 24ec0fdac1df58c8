"""kill -9 an ingest at several points; the next run ends with a complete, consistent index."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

N_ARTICLES = 40


def write_corpus(path: Path, version: int = 1) -> None:
    rnd = random.Random(7)
    cities = ["Kyiv", "Paris", "Berlin", "Warsaw", "Rome", "Madrid", "Oslo", "Lisbon"]
    with path.open("w") as fh:
        for i in range(N_ARTICLES):
            city = cities[i % len(cities)]
            paras = [
                f"Officials in {city} said on Tuesday that talks on item {i} would resume "
                f"next week, after {rnd.randint(2, 90)} delegates met for version {version}."
                for _ in range(3)
            ]
            rec = {
                "id": f"story-{i:03d}",
                "title": f"Talks resume in {city} ({i})",
                "text": "\n\n".join(paras),
                "published_at": f"2025-08-{1 + i % 28:02d}",
                "source": "Test Wire",
            }
            fh.write(json.dumps(rec) + "\n")


def qa(index: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "QA_INDEX": str(index),
        "QA_INGEST_BATCH": "4",  # many small write cycles: more places for a kill to land
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "qa.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_and_kill(index: Path, corpus: Path, delay: float) -> bool:
    """Start an ingest, SIGKILL it after `delay` seconds; True if it was still running."""
    p = qa(index, "ingest", "-q", str(corpus))
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True


def assert_complete_and_consistent(index: Path, version: int) -> None:
    from qa import KnowledgeBase

    with KnowledgeBase(index) as kb:
        rep = kb.verify()
        assert rep.ok, rep.summary()
        assert rep.articles == N_ARTICLES
        assert rep.chunks == rep.vectors
        ids = [a.id for a in kb.articles()]
        assert len(ids) == len(set(ids)) == N_ARTICLES
        for a in kb.articles():
            assert f"version {version}" in kb.article_text(a.id)
            rows = kb.store.db.execute(
                "SELECT position FROM chunks WHERE article_id=? ORDER BY position", (a.id,)
            ).fetchall()
            assert [r[0] for r in rows] == list(range(a.chunks))  # no duplicate, no gap
        assert kb.search("talks resume in Oslo", k=3)[0].title.startswith("Talks resume in Oslo")


def test_killed_ingests_leave_an_index_the_next_run_completes(tmp_path: Path) -> None:
    index = tmp_path / "index"
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, version=1)

    # Time one full run in a scratch index to place the kills inside the real one.
    t0 = time.monotonic()
    scratch = qa(tmp_path / "scratch", "ingest", "-q", str(corpus))
    assert scratch.wait(timeout=600) == 0, scratch.stderr.read() if scratch.stderr else ""
    full = time.monotonic() - t0

    rnd = random.Random(1234)
    killed = 0
    for frac in sorted(rnd.uniform(0.45, 0.95) for _ in range(4)):
        killed += run_and_kill(index, corpus, full * frac)
    assert killed >= 1, "no kill landed while ingest was running"

    final = qa(index, "ingest", "-q", "--json", str(corpus))
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    assert_complete_and_consistent(index, version=1)

    # Now kill updates half-way: every article changes, so old and new chunks are in play.
    write_corpus(corpus, version=2)
    for frac in (0.6, 0.85):
        run_and_kill(index, corpus, full * frac)
    final = qa(index, "ingest", "-q", str(corpus))
    _, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    assert_complete_and_consistent(index, version=2)


def test_check_reports_and_repairs_disagreeing_indexes(kb) -> None:
    from tests.conftest import CBS_ID

    some = sorted(kb.store.chunk_ids(CBS_ID))[:2]
    kb.store.collection.delete(ids=some)  # vectors lost
    orphan = kb.store.collection.get(ids=[sorted(kb.store.chunk_ids(CBS_ID))[-1]], include=[])
    assert orphan["ids"]
    with kb.store.db:  # a chunk SQLite forgot while its vector stayed
        kb.store.db.execute("DELETE FROM chunks WHERE id=?", (orphan["ids"][0],))

    rep = kb.verify()
    assert not rep.ok
    assert rep.missing_vectors == 2 and rep.orphan_vectors == 1

    fixed = kb.verify(repair=True)
    assert fixed.ok and fixed.repaired
    assert kb.verify().ok
    assert any(h.chunk_id in some for h in kb.search("Peskov Kremlin reciprocity Kyiv", k=10))

"""What a server's threads share, used from many threads at once (issue 15, item 5):

- `ArticleDB`: one writer, used inside `with db:` only, and a read connection per thread;
  readers never see a transaction before it commits.
- `Embedder`: one onnxruntime session and tokenizer for every thread; vectors equal the
  ones computed alone.
- Chroma (`Vectors`): searched from many threads while another thread writes, and reopened
  once when another process writes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tests.conftest import FT_ID, ROOT

FT_Q = "Who told the Financial Times about the plans?"


def test_readers_have_their_own_connections_and_never_see_uncommitted_rows(kb) -> None:
    db = kb.store.db
    row = db.execute("SELECT * FROM articles WHERE id=?", (FT_ID,)).fetchone()
    new = ("uncommitted", "hash-x", *row[2:])
    in_txn, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db:
            db.put_article(new, [])
            assert db.conn is db._writer  # inside `with db:` this thread writes
            in_txn.set()
            release.wait(30)

    # Four reads that wait for each other: four threads at once, however busy the machine
    # (without it, one pool thread could take every read before the others started).
    together = threading.Barrier(4, timeout=30)

    def read() -> tuple[int, object]:
        together.wait()
        return id(db.conn), db.article("uncommitted")

    t = threading.Thread(target=writer)
    t.start()
    assert in_txn.wait(30)
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda _: read(), range(4)))
    assert all(found is None for _, found in seen)  # not committed yet: invisible
    assert db.article("uncommitted") is None and db.conn is not db._writer
    release.set()
    t.join(30)
    assert db.article("uncommitted") is not None  # committed: every reader sees it
    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(lambda _: db.article("uncommitted") is not None, range(8)))
    assert len({conn for conn, _ in seen}) == 4  # each thread reads through its own connection


def test_one_embedder_shared_by_many_threads_embeds_as_it_does_alone(seed_kb) -> None:
    emb = seed_kb.embedder
    texts = [f"Sentence number {i} about {w} and the harbour." for i, w in
             enumerate(["ships", "votes", "rates", "strikes", "bread", "rain"] * 8)]  # fmt: skip
    alone = emb.embed(texts)
    calls, embedded = emb.calls, emb.texts
    with ThreadPoolExecutor(8) as pool:
        parts = list(pool.map(lambda i: emb.embed(texts[i : i + 6]), range(0, len(texts), 6)))
        cached = list(pool.map(lambda t: emb.embed_cached([t])[0], texts))
    np.testing.assert_allclose(np.vstack(parts), alone, atol=1e-5)
    np.testing.assert_allclose(np.vstack(cached), alone, atol=1e-5)
    assert emb.texts - embedded >= len(texts) and emb.calls > calls  # counters kept


def test_searches_from_many_threads_while_another_thread_writes(kb, tmp_path: Path) -> None:
    alone = [h.chunk_id for h in kb.search(FT_Q, k=5)]
    recs = tmp_path / "more.jsonl"
    recs.write_text(
        "".join(
            json.dumps({"id": f"orchard-{j}", "title": f"Orchard {j} harvest",
                        "text": f"Orchard {j} picked a record apple harvest this autumn. "
                        "The cider presses ran day and night."}) + "\n"
            for j in range(30)
        )
    )  # fmt: skip
    done = threading.Event()

    def write() -> None:
        try:
            kb.ingest([recs])
        finally:
            done.set()

    results: list[list[str]] = []
    with ThreadPoolExecutor(6) as pool:
        w = pool.submit(write)
        while not done.is_set() or len(results) < 20:
            batch = [pool.submit(lambda: [h.chunk_id for h in kb.search(FT_Q, k=5)])]
            batch += [pool.submit(lambda: kb.ask(FT_Q)) for _ in range(2)]
            results.append(batch[0].result(60))
            for f in batch[1:]:
                assert FT_ID in {c.article_id for c in f.result(60).citations}
        w.result(60)
    assert all(r[0] == alone[0] for r in results)  # apple orchards don't change the best hit
    assert len([a for a in kb.articles() if a.id.startswith("orchard-")]) == 30
    assert kb.verify().ok


def test_chroma_reopens_once_when_another_process_writes(kb, tmp_path: Path) -> None:
    """Embedded Chroma caches per process: after another process ingests, the threads of
    this one must find the new article, with one reopen between them and no failures."""
    kb.search(FT_Q)
    first = kb.store.vectors._client
    rec = tmp_path / "elsewhere.json"
    rec.write_text(json.dumps({"id": "elsewhere", "title": "Glacier lake drained",
                               "text": "The Morvik glacier lake drained overnight, "
                               "flooding the valley road."}))  # fmt: skip
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "ANONYMIZED_TELEMETRY": "False"}
    cmd = [sys.executable, "-m", "qa.cli", "--index", str(kb.settings.index), "ingest", "-q",
           str(rec)]  # fmt: skip
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    with ThreadPoolExecutor(6) as pool:
        found = list(pool.map(lambda _: kb.search("Morvik glacier lake", k=1), range(12)))
    assert all(hits and hits[0].article_id == "elsewhere" for hits in found)
    assert kb.store.vectors._client is not first  # reopened...
    again = kb.store.vectors._client
    kb.search("Morvik glacier lake")
    assert kb.store.vectors._client is again  # ...once


def test_close_closes_every_threads_read_connection(seed_index: Path, tmp_path) -> None:
    """Closing closes every thread's read connection; using the db afterwards is an error,
    as it was with one connection."""
    import sqlite3

    import pytest

    from qa import KnowledgeBase

    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    kb = KnowledgeBase(path)
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: kb.articles(), range(6)))
    readers = list(kb.store.db._readers)
    kb.close()
    for r in readers:
        with pytest.raises(sqlite3.ProgrammingError):
            r.execute("SELECT 1")
    with pytest.raises(sqlite3.ProgrammingError):
        kb.store.db.articles()

"""Ingest spread over workers (issue 16): `qa ingest --workers N` on one host, and several
hosts ingesting disjoint shards into one real `chroma run` server at once, with the server
lease that keeps `qa check --repair` and ingests on different hosts apart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from evals.bench.corpus import generate, write_jsonl
from qa.text import sentences
from tests.conftest import ROOT
from tests.test_chroma_server import _server_client, chroma_url  # noqa: F401 - a fixture

PY = sys.executable


def _shards(tmp: Path) -> tuple[Path, Path]:
    """Two disjoint shards of generated articles (no duplicates: a copy in the other shard
    would be stored once by a single ingest and twice by two)."""
    arts = [a for a in generate(14, seed=5).articles if a.dup_of is None]
    half = len(arts) // 2
    return write_jsonl(arts[:half], tmp / "a.jsonl"), write_jsonl(arts[half:], tmp / "b.jsonl")


def _qa(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [PY, "-m", "qa.cli", *args],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _done(proc: subprocess.Popen, timeout: float = 600) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
    return out


def _vectors(kb) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    got = kb.store.collection.get(include=["embeddings"])
    return {i: np.asarray(e) for i, e in zip(got["ids"], got["embeddings"], strict=True)}


def _chunks(kb) -> list[tuple]:  # type: ignore[no-untyped-def]
    return kb.store.db.execute(
        'SELECT id, article_id, position, start, "end", header, text FROM chunks ORDER BY id'
    ).fetchall()


def test_workers_store_what_one_worker_stores(tmp_path: Path) -> None:
    from qa import KnowledgeBase

    a, b = _shards(tmp_path)
    # Small batches, so several are in flight with the workers at once.
    env = {"QA_INGEST_BATCH": "4"}
    _done(_qa("--index", str(tmp_path / "one"), "ingest", "-q", str(a), str(b), env=env))
    # The workers also embed the sentences kept for the answerer (qa/store/sentences.py).
    env2 = {**env, "QA_SENTENCE_VECTORS": "ingest"}
    out = _done(
        _qa("--index", str(tmp_path / "two"), "ingest", "--workers", "2", str(a), str(b), env=env2)
    )
    assert "added" in out
    with KnowledgeBase(tmp_path / "one") as one, KnowledgeBase(tmp_path / "two") as two:
        assert _chunks(one) == _chunks(two)
        stored = {
            t[x:y]
            for (aid,) in two.store.db.execute("SELECT id FROM articles").fetchall()
            for t in [two.article_text(aid) or ""]
            for x, y in sentences(t)
        }
        assert two.store.sentences.count() == len(stored) > 8
        assert one.store.sentences.count() == 0
        va, vb = _vectors(one), _vectors(two)
        assert va.keys() == vb.keys() and len(va) > 8
        # The same model on the same texts; batches may pad differently, hence the tolerance.
        assert all(np.allclose(va[k], vb[k], atol=1e-4) for k in va)
        assert two.verify().ok


def test_workers_must_be_positive(tmp_path: Path) -> None:
    proc = _qa("--index", str(tmp_path / "x"), "ingest", "--workers", "0", str(tmp_path))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "ingest_workers" in err


def test_two_hosts_ingesting_shards_at_once_equal_one_ingest(
    chroma_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    from qa import KnowledgeBase

    a, b = _shards(tmp_path)
    url = ["--chroma-url", chroma_url]
    # Two hosts (own index folders), one core each, into the collection `shards` at once.
    hosts = []
    for name, shard in (("host1", a), ("host2", b)):
        env = {"QA_COLLECTION": "shards", "QA_EMBED_THREADS": "1", "QA_INGEST_BATCH": "4"}
        index = str(tmp_path / name)
        hosts.append(_qa("--index", index, *url, "ingest", "-q", str(shard), env=env))
    for proc in hosts:
        _done(proc)
    # One host, both shards, into the collection `single`.
    env = {"QA_COLLECTION": "single"}
    _done(_qa("--index", str(tmp_path / "single"), *url, "ingest", "-q", str(a), str(b), env=env))
    for name in ("host1", "host2"):  # `qa check` is clean on every host
        _done(_qa("--index", str(tmp_path / name), *url, "check", env={"QA_COLLECTION": "shards"}))
    one = KnowledgeBase.connect(chroma_url, tmp_path / "single", collection="single")
    with one:
        want_chunks, want_vectors = _chunks(one), _vectors(one)
        want_articles = [(x.id, x.title, x.chunks) for x in one.articles()]
        for name in ("host1", "host2"):
            with KnowledgeBase.connect(chroma_url, tmp_path / name, collection="shards") as kb:
                assert [(x.id, x.title, x.chunks) for x in kb.articles()] == want_articles
                assert _chunks(kb) == want_chunks
                got = _vectors(kb)
                assert got.keys() == want_vectors.keys()
                assert all(np.allclose(got[k], want_vectors[k], atol=1e-4) for k in got)
                assert kb.verify().ok


def test_a_repair_waits_for_an_ingest_on_another_host(
    chroma_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    from qa import KnowledgeBase
    from qa.store import IndexBusy

    a, _ = _shards(tmp_path)
    ingester = KnowledgeBase.connect(
        chroma_url, tmp_path / "h1", collection="leased", lock_timeout=1.0
    )
    other = KnowledgeBase.connect(
        chroma_url, tmp_path / "h2", collection="leased", lock_timeout=1.0
    )
    with ingester, other:
        with ingester.store.lease("shared", "an ingest"):  # an ingest under way on host 1
            t0 = time.monotonic()
            with pytest.raises(IndexBusy, match="busy.*an ingest"):
                other.verify(repair=True)
            assert time.monotonic() - t0 >= 1.0  # it waited for the lease first
            # Another ingest may run beside it (disjoint shards).
            assert not other.ingest([a]).failed
        assert other.verify(repair=True).ok  # the lease is free again
        # A repair on host 2 keeps host 1's ingest out.
        with (
            other.store.lease("exclusive", "qa check --repair"),
            pytest.raises(IndexBusy, match="qa check --repair"),
        ):
            ingester.ingest([a])


def test_a_lease_left_by_a_dead_host_expires(
    chroma_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    from qa import KnowledgeBase
    from qa.store.lease import holders

    with KnowledgeBase.connect(chroma_url, tmp_path / "h", collection="expired") as kb:
        leases = kb.store.vectors.leases
        meta = {"kind": "exclusive", "what": "qa check --repair", "expires": time.time() - 1}
        leases.upsert(ids=["dead-host:1:x"], embeddings=[[1.0]], metadatas=[meta])
        assert kb.verify(repair=True).ok  # not blocked by the expired record
        assert holders(leases) == []
        assert (
            "dead-host:1:x"
            not in _server_client(chroma_url).get_collection("expired_leases").get()["ids"]
        )

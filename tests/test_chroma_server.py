"""A real `chroma run` server on 127.0.0.1: KnowledgeBase.connect answers like embedded mode.

The vectors live in the server; the articles table and the keyword (FTS5) index live in the
local `index` folder given to `connect`. The server is started per module and always stopped.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CBS_ID, FT_ID, SEEDS

QUESTIONS = [
    "Who is the Kremlin spokesman quoted about European troops?",
    "Where are European leaders expected to gather on Thursday to continue discussions on Ukraine?",
    "What did Trump tell Fox News about sending American troops to Ukraine?",
    "How many European-led troops could the planned deployment to Ukraine include?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_binary() -> Path:
    path = Path(sys.executable).parent / "chroma"
    if not path.exists():
        pytest.skip(f"no `chroma` CLI next to {sys.executable} (it ships with chromadb)")
    return path


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`chroma run --host 127.0.0.1 --port <free> --path <tmp>`, up until its heartbeat answers."""
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = open(data / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [str(_chroma_binary()), "run", "--host", "127.0.0.1", "--port", str(port),
         "--path", str(data / "db")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"chroma run exited ({proc.returncode}): {(data / 'server.log').read_text()}"
                )
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 60 s")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _server_client(url: str):  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(url.rsplit(":", 1)[1])
    return chromadb.HttpClient(
        host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
    )


def _server_collection(url: str):  # type: ignore[no-untyped-def]
    return _server_client(url).get_collection("articles")


@pytest.fixture(scope="module")
def server_kb(chroma_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from qa import KnowledgeBase

    index = tmp_path_factory.mktemp("server-keyword") / "keyword"
    kb = KnowledgeBase.connect(chroma_url, index=index)
    report = kb.ingest([SEEDS])
    assert sorted(report.added) == sorted([FT_ID, CBS_ID]), report
    assert not report.failed
    kb.report = report  # type: ignore[attr-defined]
    yield kb
    kb.close()


def _answer_key(ans) -> tuple:  # type: ignore[no-untyped-def]
    return (
        ans.text,
        ans.refused,
        [(c.n, c.article_id, c.title, c.source, c.published_at, c.quote) for c in ans.citations],
    )


def test_vectors_live_in_the_server_and_keywords_in_the_local_index(
    server_kb, chroma_url: str
) -> None:  # type: ignore[no-untyped-def]
    collection = _server_collection(chroma_url)
    assert collection.count() == server_kb.report.chunks_added > 0
    index = Path(server_kb.settings.index)
    assert (index / "articles.sqlite").is_file()
    assert not (index / "chroma").exists()  # no embedded Chroma beside the keyword index
    assert server_kb.store.counts() == {
        "articles": 2,
        "chunks": server_kb.report.chunks_added,
        "vectors": server_kb.report.chunks_added,
    }


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_and_citations_match_embedded_mode(server_kb, seed_kb, question: str) -> None:  # type: ignore[no-untyped-def]
    remote, local = server_kb.ask(question), seed_kb.ask(question)
    assert not remote.refused and remote.citations
    assert _answer_key(remote) == _answer_key(local)
    assert [h.chunk_id for h in server_kb.search(question, k=5)] == [
        h.chunk_id for h in seed_kb.search(question, k=5)
    ]


@pytest.mark.parametrize(
    "way",
    [{}, {"OVERFETCH": 1}, {"OVERFETCH": 1, "BRUTE_IDS": 0}],
    ids=["the nearest of all", "the window's vectors", "chroma among the window's ids"],
)
def test_a_filtered_search_through_the_server_matches_embedded_mode(
    server_kb, seed_kb, monkeypatch: pytest.MonkeyPatch, way: dict
) -> None:  # type: ignore[no-untyped-def]
    # The window comes from the local SQLite side in both modes (qa/store `Store.dense`).
    import qa.store
    from qa.store import Filters

    for name, value in way.items():
        monkeypatch.setattr(qa.store, name, value)
    v = seed_kb.embedder.embed([QUESTIONS[0]])[0]
    for f in (Filters(since="2025-08-01"), Filters(sources=("CBS Politics",))):
        remote, local = server_kb.store.dense(v, 3, f), seed_kb.store.dense(v, 3, f)
        assert [s.chunk_id for s in remote] == [s.chunk_id for s in local]
        assert len(remote) == 3 and {s.article_id for s in remote} == {CBS_ID}


def test_reingest_through_the_server_is_a_no_op(server_kb, chroma_url: str) -> None:  # type: ignore[no-untyped-def]
    before = _server_collection(chroma_url).count()
    report = server_kb.ingest([SEEDS])
    assert sorted(report.unchanged) == sorted([FT_ID, CBS_ID])
    assert report.embedded == 0
    assert _server_collection(chroma_url).count() == before


def test_a_second_client_sees_the_same_corpus(server_kb, chroma_url: str) -> None:  # type: ignore[no-untyped-def]
    from qa import KnowledgeBase

    with KnowledgeBase.connect(chroma_url, index=server_kb.settings.index) as other:
        assert other.store.counts() == server_kb.store.counts()
        assert _answer_key(other.ask(QUESTIONS[0])) == _answer_key(server_kb.ask(QUESTIONS[0]))


# -- several hosts, one server: the keyword side is rebuilt from the server -----------------


def _connect(url: str, index: Path, collection: str, **overrides):  # type: ignore[no-untyped-def]
    from qa import KnowledgeBase

    return KnowledgeBase.connect(url, index=index, collection=collection, **overrides)


def _chunk_table(kb) -> list[tuple]:  # type: ignore[no-untyped-def]
    return kb.store.db.execute(
        'SELECT id, article_id, position, start, "end", header, text FROM chunks ORDER BY id'
    ).fetchall()


def _keyword_ids(kb, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    from qa.store import Filters

    return [s.chunk_id for s in kb.store.keyword(text, 10, Filters())]


@pytest.fixture(scope="module")
def host_a(chroma_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Host A: ingests seeds/ into the server's `shared` collection, with its own local index."""
    kb = _connect(chroma_url, tmp_path_factory.mktemp("host-a") / "index", "shared")
    report = kb.ingest([SEEDS])
    assert sorted(report.added) == sorted([FT_ID, CBS_ID]), report
    yield kb
    kb.close()


def test_a_second_host_answers_like_the_host_that_ingested(
    host_a, chroma_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with _connect(chroma_url, tmp_path / "b", "shared") as b:  # an empty folder
        assert b.articles() == host_a.articles()
        assert b.article_text(FT_ID) == host_a.article_text(FT_ID)
        assert _chunk_table(b) == _chunk_table(host_a)
        for question in QUESTIONS:
            assert _answer_key(b.ask(question)) == _answer_key(host_a.ask(question))
            assert [(h.chunk_id, h.text) for h in b.search(question, k=5)] == [
                (h.chunk_id, h.text) for h in host_a.search(question, k=5)
            ]
        # The keyword side alone (SQLite FTS5) finds the CBS article on B.
        found = _keyword_ids(b, "Peskov Kremlin")
        assert found and found == _keyword_ids(host_a, "Peskov Kremlin")
        assert all(cid.startswith(CBS_ID) for cid in found)
        assert b.store.synced_revision() == b.store.server_revision() is not None
        report = b.verify()
        assert report.ok and report.vectors == report.chunks == len(_chunk_table(host_a))


def test_qa_sync_fills_an_empty_index_then_finds_nothing_to_do(
    host_a, chroma_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import main

    monkeypatch.setenv("QA_COLLECTION", "shared")
    argv = ["--index", str(tmp_path / "c"), "--chroma-url", chroma_url, "sync"]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == ("synced: 2 added, 0 updated, 0 removed, 0 unchanged")
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["unchanged"]) == (0, 2)
    with _connect(chroma_url, tmp_path / "c", "shared") as c:
        assert c.articles() == host_a.articles()
        assert report["revision"] == c.store.server_revision()


def test_deletes_and_changes_reach_other_hosts(chroma_url: str, tmp_path: Path) -> None:
    a = _connect(chroma_url, tmp_path / "a", "changes")
    assert sorted(a.ingest([SEEDS]).added) == sorted([FT_ID, CBS_ID])
    long_running = _connect(chroma_url, tmp_path / "ui", "changes")  # e.g. the web UI
    try:
        assert {x.id for x in long_running.articles()} == {FT_ID, CBS_ID}

        assert a.delete(CBS_ID) is True
        with _connect(chroma_url, tmp_path / "b", "changes") as b:
            assert [x.id for x in b.articles()] == [FT_ID]
            assert b.article_text(CBS_ID) is None
            assert _keyword_ids(b, "Peskov Kremlin") == []
            ans = b.ask(QUESTIONS[0])
            assert all(c.article_id != CBS_ID for c in ans.citations)
        # An open KnowledgeBase keeps its copy until it syncs.
        assert long_running.article(CBS_ID) is not None
        report = long_running.sync()
        assert (report.removed, report.unchanged, report.added) == (1, 1, 0)
        assert long_running.article(CBS_ID) is None

        changed = tmp_path / "changed"
        changed.mkdir()
        name = f"{FT_ID}.txt"
        extra = "\n\nOfficials also confirmed that a zebra sanctuary will open near Tallinn.\n"
        (changed / name).write_text((SEEDS / name).read_text() + extra)
        assert a.ingest([changed]).updated == [FT_ID]
        new_hash = a.store.stored_hash(FT_ID)
        with _connect(chroma_url, tmp_path / "b", "changes") as b:  # the same folder as before
            assert "zebra sanctuary" in (b.article_text(FT_ID) or "")
            assert b.store.stored_hash(FT_ID) == new_hash
            assert _chunk_table(b) == _chunk_table(a)  # the old version's chunks are gone
            found = _keyword_ids(b, "zebra sanctuary")
            assert found and all(cid.startswith(FT_ID) for cid in found)
            assert "zebra" in b.search("zebra sanctuary Tallinn", k=1)[0].text
            assert b.verify().ok
        assert long_running.sync().updated == 1
        assert "zebra sanctuary" in (long_running.article_text(FT_ID) or "")
    finally:
        long_running.close()
        a.close()


def test_an_index_written_before_article_records_is_published(
    chroma_url: str, tmp_path: Path
) -> None:
    """A server filled by an older qa has chunk vectors (without headers) and no article
    records; the host holding the articles publishes them when it next opens the index."""
    with _connect(chroma_url, tmp_path / "a", "legacy") as a:
        a.ingest([SEEDS])
        want = _chunk_table(a)
    client = _server_client(chroma_url)
    client.delete_collection("legacy_articles")
    chunks = client.get_collection("legacy")
    ids = chunks.get(include=[])["ids"]
    chunks.update(ids=ids, metadatas=[{"header": None}] * len(ids))
    with sqlite3.connect(tmp_path / "a" / "articles.sqlite") as db:
        db.execute("DELETE FROM meta")
    db.close()

    with _connect(chroma_url, tmp_path / "b", "legacy") as b:
        assert b.articles() == []  # nothing published yet
    with _connect(chroma_url, tmp_path / "a", "legacy") as a:  # opening publishes
        assert sorted(x.id for x in a.articles()) == sorted([FT_ID, CBS_ID])
        assert _chunk_table(a) == want
    with _connect(chroma_url, tmp_path / "b", "legacy") as b:
        assert _chunk_table(b) == want
        assert b.verify().ok


def test_an_article_missing_chunks_on_the_server_is_skipped_not_half_copied(
    chroma_url: str, tmp_path: Path
) -> None:
    """What another host sees while a write of an article is under way (or was interrupted)."""
    with _connect(chroma_url, tmp_path / "a", "partial") as a:
        a.ingest([SEEDS])
        ft_chunks = a.store.chunk_ids(FT_ID)
    _server_client(chroma_url).get_collection("partial").delete(ids=ft_chunks[-1:])
    with _connect(chroma_url, tmp_path / "b", "partial", auto_sync=False) as b:
        report = b.sync()
        assert (report.added, report.skipped) == (1, 1)
        assert [x.id for x in b.articles()] == [CBS_ID]
        assert b.store.chunk_ids(FT_ID) == []


def test_sync_leaves_an_embedded_index_alone(kb, chroma_url: str) -> None:  # type: ignore[no-untyped-def]
    """Pointing an embedded index folder at a server must not empty it from the server."""
    from qa.store import StoreError

    path = kb.settings.index
    kb.close()
    with _connect(chroma_url, path, "shared") as wrong:  # syncing on open warns, changes nothing
        assert sorted(x.id for x in wrong.articles()) == sorted([FT_ID, CBS_ID])
        with pytest.raises(StoreError, match="embedded index"):
            wrong.sync()
        assert len(wrong.articles()) == 2


def test_qa_sync_needs_a_server(kb, capsys) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import main
    from qa.store import StoreError

    with pytest.raises(StoreError, match="Chroma server"):
        kb.sync()
    assert main(["--index", str(kb.settings.index), "sync"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qa: error: sync needs a Chroma server") and "QA_CHROMA_URL" in err


def test_delete_works_on_the_server_and_embedded_alike(server_kb, kb, chroma_url: str) -> None:  # type: ignore[no-untyped-def]
    """Runs last in this module: it removes the CBS article from the server's corpus."""
    collection = _server_collection(chroma_url)
    cbs_chunks = len(collection.get(where={"document_id": CBS_ID})["ids"])
    total = collection.count()
    assert cbs_chunks > 0

    assert server_kb.delete(CBS_ID) is True
    assert kb.delete(CBS_ID) is True  # the embedded copy of the seed index
    assert collection.get(where={"document_id": CBS_ID})["ids"] == []
    assert collection.count() == total - cbs_chunks
    for each in (server_kb, kb):
        assert [a.id for a in each.articles()] == [FT_ID]
        assert each.store.counts()["vectors"] == each.store.counts()["chunks"]
        assert each.delete(CBS_ID) is False  # already gone
    question = "Who is the Kremlin spokesman quoted about European troops?"  # only CBS says
    remote, local = server_kb.ask(question), kb.ask(question)
    assert all(c.article_id != CBS_ID for c in remote.citations)
    assert _answer_key(remote) == _answer_key(local)


def test_groups_of_syndicated_copies_live_on_the_server(chroma_url: str, tmp_path: Path) -> None:
    """A second host's sync restores the groups the ingesting host found (qa/dupes.py): they
    travel in the article records, like the articles."""
    import json

    from tests.test_dupes import _records

    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in _records()) + "\n", encoding="utf-8")
    with _connect(chroma_url, tmp_path / "a", "groups") as a:
        a.ingest([feed])
        assert a.store.group_of("wire")[0] == a.store.group_of("herald")[0]
        with _connect(chroma_url, tmp_path / "b", "groups") as b:
            for aid in ("wire", "herald", "toll-nine", "changed"):
                assert b.store.group_of(aid) == a.store.group_of(aid), aid
            hits = b.search("How many people died in the Coimbra floods?", k=5, max_per_article=1)
            assert len({"wire", "herald"} & {h.article_id for h in hits}) == 1

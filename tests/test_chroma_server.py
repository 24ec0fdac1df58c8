"""A real `chroma run` server on 127.0.0.1: KnowledgeBase.connect answers like embedded mode.

The vectors live in the server; the articles table and the keyword (FTS5) index live in the
local `index` folder given to `connect`. The server is started per module and always stopped.
"""

from __future__ import annotations

import socket
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


def _server_collection(url: str):  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(
        host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
    )
    return client.get_collection("articles")


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

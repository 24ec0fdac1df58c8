"""The API under load (issue 15, item 5): 20 clients streaming extractive answers at once
while an ingest runs through the same server, and a client that leaves mid-stream.

Each client asks about its own made-up lighthouse (a keeper's name only that article holds),
so a crossed answer (one client getting another's article) cannot go unnoticed; every answer
must equal `kb.ask`'s for the same question, asked before the load. The ingest adds articles
of another topic, so it changes no expected answer."""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import openai
import pytest

from tests.api_server import serving

CLIENTS = 20
ROUNDS = 3  # streamed questions per client
KEEPERS = [
    "Ansgar", "Brynja", "Cedric", "Dagny", "Eilif", "Frode", "Gudrun", "Halvard", "Ingrid",
    "Jostein", "Kjersti", "Leiv", "Marit", "Njal", "Oddny", "Per", "Ragna", "Sindre", "Tove",
    "Ulf",
]  # fmt: skip
ISLES = [
    "Skarvoy", "Tindholm", "Ravnes", "Kvalskjer", "Lomvik", "Ternholm", "Mosund", "Fugloy",
    "Hvalnes", "Sandhavn", "Brattvaer", "Ulvoy", "Gjesvik", "Storholm", "Rundsund", "Selvaer",
    "Kobbnes", "Terrvik", "Havholm", "Vindoy",
]  # fmt: skip
QUESTIONS = [f"Who keeps the lighthouse on {isle}?" for isle in ISLES]
INGESTED = 24  # articles the concurrent ingest adds


def lighthouse(i: int) -> dict:
    isle, keeper = ISLES[i], KEEPERS[i]
    return {
        "id": f"light-{i:02d}",
        "title": f"The keeper of the {isle} light",
        "text": f"The lighthouse on {isle} is kept by {keeper} Vestrheim, who has lit its lamp "
        f"every night for eleven years. {keeper} Vestrheim said the {isle} light would be "
        "automated next spring. The coastal authority confirmed the plan.",
        "source": "coast.example",
        "published_at": f"2024-06-{i + 1:02d}",
    }


def harvest(j: int) -> dict:
    return {
        "id": f"harvest-{j:02d}",
        "title": f"Orchard report {j}: apple harvest in valley {j}",
        "text": f"Growers in orchard valley number {j} picked a record apple harvest this "
        f"autumn. Cider presses in valley {j} ran day and night, the growers' cooperative said.",
        "source": "farm.example",
        "published_at": "2024-10-01",
    }


@pytest.fixture(scope="module")
def load_kb(seed_index: Path, tmp_path_factory: pytest.TempPathFactory):
    from qa import KnowledgeBase

    path = tmp_path_factory.mktemp("http-load") / "index"
    shutil.copytree(seed_index, path)
    src = path.parent / "lights.jsonl"
    src.write_text("".join(json.dumps(lighthouse(i)) + "\n" for i in range(CLIENTS)))
    kb = KnowledgeBase(path, llm="extractive")
    assert len(kb.ingest([src]).added) == CLIENTS
    yield kb
    kb.close()


def stream_answer(client: openai.OpenAI, question: str) -> tuple[str, list[dict]]:
    stream = client.chat.completions.create(
        model="news-qa-extractive", messages=[{"role": "user", "content": question}], stream=True
    )
    text, citations = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.model_extra and "citations" in chunk.model_extra:
            citations = chunk.model_extra["news_qa"]
    assert citations is not None, "the last chunk carried no citations"
    return text, citations


def test_twenty_streaming_clients_during_an_ingest(load_kb) -> None:
    want = {}
    for i, q in enumerate(QUESTIONS):
        ans = load_kb.ask(q)
        assert {c.article_id for c in ans.citations} == {f"light-{i:02d}"}, (q, ans.text)
        assert KEEPERS[i] in ans.text
        want[q] = ans
    before = {a.id for a in load_kb.articles()}

    with serving(load_kb) as url:
        start = threading.Barrier(CLIENTS + 2)  # the clients, the writer, this thread
        statuses: list[int] = []

        def ingest() -> None:
            start.wait(120)
            with httpx.Client(base_url=url, timeout=300) as h:
                for part in range(2):  # two writes, each while the clients stream
                    recs = [harvest(j) for j in range(part, INGESTED, 2)]
                    r = h.post("/api/articles", json=recs)
                    statuses.append(r.status_code)
                    assert r.status_code == 200, r.text
                    assert len(r.json()["report"]["added"]) == len(recs)

        def client(i: int) -> list[tuple[str, str, list[dict]]]:
            c = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0, timeout=300)
            start.wait(120)
            out = []
            for _ in range(ROUNDS):
                q = QUESTIONS[i]
                text, answer = stream_answer(c, q)
                out.append((q, text, answer))
            return out

        with ThreadPoolExecutor(CLIENTS + 1) as pool:
            writer = pool.submit(ingest)
            results = [pool.submit(client, i) for i in range(CLIENTS)]
            start.wait(120)  # everyone starts together
            answers = [a for f in results for a in f.result(timeout=600)]
            writer.result(timeout=600)

        with httpx.Client(base_url=url, timeout=60) as h:
            health = h.get("/api/health").json()
            listed = h.get("/api/articles", params={"limit": 1000}).json()

    assert len(answers) == CLIENTS * ROUNDS
    for q, text, answer in answers:  # no crossed answers: each is the engine's own for q
        w = want[q]
        assert answer["answer"] == w.text, q
        assert answer["citations"] == [c.to_dict() for c in w.citations], q
        assert text.startswith(w.text), q
    assert statuses == [200, 200]
    ids = {a["id"] for a in listed["articles"]}  # no lost articles
    assert ids == before | {f"harvest-{j:02d}" for j in range(INGESTED)}
    assert listed["total"] == health["articles"] == len(before) + INGESTED
    assert health["vectors"] == health["chunks"]
    assert health["streams"] == {"active": 0, "completed": CLIENTS * ROUNDS, "cancelled": 0}


def test_a_client_that_leaves_mid_stream_frees_its_work(load_kb) -> None:
    body = {
        "model": "news-qa-extractive",
        "messages": [{"role": "user", "content": QUESTIONS[0]}],
        "stream": True,
    }
    with serving(load_kb) as url, httpx.Client(base_url=url, timeout=60) as h:
        with h.stream("POST", "/v1/chat/completions", json=body) as r:
            assert r.status_code == 200
            first = next(r.iter_lines())
            assert first.startswith("data: ") and '"role": "assistant"' in first
        # The connection is closed: the server stops asking the engine for more.
        deadline = time.monotonic() + 30
        while (streams := h.get("/api/health").json()["streams"])["active"] and (
            time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert streams == {"active": 0, "completed": 0, "cancelled": 1}
        # The server is fine afterwards.
        r = h.post("/api/ask", json={"question": QUESTIONS[1]})
        assert r.status_code == 200 and KEEPERS[1] in r.json()["answer"]

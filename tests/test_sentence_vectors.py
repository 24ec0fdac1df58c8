"""Sentence vectors kept in the index (qa/store/sentences.py): the answerer's sentences are
embedded once per index, not once per process, and at ingest when asked to; a broken file
costs time, never an answer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from qa import KnowledgeBase
from qa.text import sentences

QUESTION = "What did Lavrov say about the European Union?"

# One ask in a fresh process: how many texts went through the model, and the answer.
_ASK = """
import json, sys
from qa import KnowledgeBase
kb = KnowledgeBase(sys.argv[1])
before = kb.embedder.texts
a = kb.ask(sys.argv[2], llm="extractive")
print(json.dumps({"embedded": kb.embedder.texts - before, "text": a.text}))
"""


def ask_in_new_process(index: Path, question: str = QUESTION) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _ASK, str(index), question],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_new_process_reuses_the_sentences_an_earlier_ask_embedded(
    seed_index: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    (index / "sentences.sqlite").unlink(missing_ok=True)  # other tests' asks may have kept some
    first = ask_in_new_process(index)
    again = ask_in_new_process(index)
    assert first["embedded"] > 1  # the question and the answerer's shortlist
    assert again["embedded"] == 1  # the question only
    assert again["text"] == first["text"]


def test_sentence_vectors_at_ingest_embed_each_stored_sentence_once(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    with KnowledgeBase(tmp_path / "ask") as plain:
        plain.ingest([seeds])
        expected = plain.ask(QUESTION, llm="extractive").text
    with KnowledgeBase(tmp_path / "ingest", sentence_vectors="ingest") as kb:
        report = kb.ingest([seeds])
        stored = set()
        for aid in report.added:
            text = kb.article_text(aid) or ""
            stored |= {text[a:b] for a, b in sentences(text)}
        assert report.sentences_embedded == len(stored)
        assert kb.store.sentences.count() == len(stored)
        assert kb.ingest([seeds]).sentences_embedded == 0  # unchanged articles: nothing
    fresh = ask_in_new_process(tmp_path / "ingest")
    assert fresh["embedded"] == 1
    assert fresh["text"] == expected


def test_a_broken_sentences_file_costs_time_not_answers(kb: KnowledgeBase) -> None:
    expected = kb.ask(QUESTION, llm="extractive").text
    kb.close()
    path = kb.settings.index / "sentences.sqlite"
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    path.write_bytes(b"not a database" * 100)
    broken = ask_in_new_process(kb.settings.index)
    assert broken["text"] == expected
    assert broken["embedded"] > 1  # embedded again, since nothing could be read

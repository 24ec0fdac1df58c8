"""The scale bench's builder (evals/bench/scale.py), tiny: long articles, synthetic vectors,
and a build that continues where an earlier one stopped. The bench itself never runs here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from evals.bench.scale import SyntheticEmbedder, build, long_article, question


def test_long_articles_run_to_about_ten_chunks_and_keep_their_answer() -> None:
    from qa.corpus import Article, chunk_article
    from qa.embed import get_embedder

    art = long_article(7)
    chunks = chunk_article(Article(id=art.id, title=art.title, text=art.text), get_embedder(1))
    assert 7 <= len(chunks) <= 14
    assert question(7)["answer"] in art.text


def test_synthetic_vectors_are_unit_length_and_fixed_by_the_text() -> None:
    from qa.embed import DIM, get_embedder

    emb = SyntheticEmbedder(get_embedder(1))
    a, b = emb.embed(["one text", "another"]), emb.embed(["one text"])
    assert a.shape == (2, DIM) and np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.array_equal(a[0], b[0]) and not np.allclose(a[0], a[1])
    assert emb.count_tokens("one text") == 2  # the real tokenizer


def test_a_build_continues_where_it_stopped(tmp_path: Path) -> None:
    from qa import KnowledgeBase

    first = build(tmp_path, 10, "synthetic", step=2)
    assert first["articles"] == 2 and len(first["steps"]) == 1
    again = build(tmp_path, 10, "synthetic", step=2)  # nothing to do: already 10+ chunks
    assert again["articles"] == 2
    more = build(tmp_path, first["steps"][-1]["chunks"] + 1, "synthetic", step=2)
    assert more["articles"] == 4
    assert json.loads((tmp_path / "progress.json").read_text())["articles"] == 4
    with KnowledgeBase(tmp_path / "index") as kb:
        assert kb.store.db.counts()["articles"] == 4
        assert kb.verify().ok

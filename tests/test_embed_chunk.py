"""The offline embedder and the chunker: real model, real tokenizer."""

from __future__ import annotations

import numpy as np

from qa.corpus import Article, chunk_article
from qa.embed import MAX_TOKENS, as_llama_embedding, get_embedder
from tests.conftest import CBS_ID, SEEDS


def test_embeddings_are_unit_vectors_that_rank_meaning() -> None:
    e = get_embedder()
    v = e.embed(
        [
            "Who told the Financial Times about the plans?",
            "Ursula von der Leyen told the Financial Times about precise plans.",
            "A recipe for sourdough bread with a long fermentation.",
        ]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_per_batch_padding_gives_the_same_vector_alone_or_in_a_batch() -> None:
    e = get_embedder()
    short = "Kremlin spokesman Dmitry Peskov"
    long = "The deployment is set to include potentially tens of thousands of troops. " * 5
    alone = e.embed([short])[0]
    batched = e.embed([long, short])[1]
    assert np.allclose(alone, batched, atol=1e-4)


def test_the_llama_index_wrapper_uses_the_same_model() -> None:
    e = get_embedder()
    li = as_llama_embedding(e)
    q = "Where will European leaders gather?"
    assert np.allclose(li.get_query_embedding(q), e.embed([q])[0], atol=1e-5)


def test_chunks_fit_the_model_window_and_point_back_into_the_text() -> None:
    from qa.corpus import load

    e = get_embedder()
    (art,) = [a for a in load([SEEDS / f"{CBS_ID}.txt"]) if isinstance(a, Article)]
    chunks = chunk_article(art, e, max_tokens=MAX_TOKENS)
    assert len(chunks) >= 3
    for i, c in enumerate(chunks):
        assert c.position == i and c.article_id == CBS_ID
        assert art.text[c.start : c.end] == c.text
        assert e.count_tokens(c.embed_text) + 2 <= MAX_TOKENS
        assert c.header.startswith(art.title) and "2025-09-01" in c.header
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    body = {i for i, ch in enumerate(art.text) if not ch.isspace()}
    assert body <= covered  # no text is lost between chunks


def test_a_sentence_longer_than_the_window_is_still_split_to_fit() -> None:
    e = get_embedder()
    text = " ".join(f"word{i} and" for i in range(600)) + "."
    art = Article(id="long", text=text, title="Long")
    chunks = chunk_article(art, e, max_tokens=128)
    assert len(chunks) > 2
    assert all(e.count_tokens(c.embed_text) + 2 <= 128 for c in chunks)


def test_the_sentence_cache_returns_the_same_vectors_without_re_embedding() -> None:
    e = get_embedder()
    texts = ["A ferry left Split on Monday.", "Dock workers unloaded grain in Gdansk."]
    first = e.embed_cached(texts)
    before = e.texts
    again = e.embed_cached([texts[1], texts[0], texts[1]])
    assert e.texts == before  # nothing new went through the model
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])
    assert np.allclose(first, e.embed(texts), atol=1e-5)


def test_long_texts_are_batched_by_word_pieces_to_bound_memory() -> None:
    from qa.embed import BATCH_TOKENS

    e = get_embedder()
    long = [
        "The port of Gdansk reopened after repairs to its cranes. " * 30 + str(i) for i in range(10)
    ]
    short = [f"Ferry {i} left Split." for i in range(10)]
    calls = e.calls
    e.embed(long, batch_size=32)
    assert e.calls - calls >= (10 * 256) // BATCH_TOKENS + 1  # 10 x 256 pieces won't fit one run
    calls = e.calls
    e.embed(short, batch_size=32)
    assert e.calls - calls == 1  # short texts still share one run


# -- the embedding device (issue 16) --------------------------------------------------------


def test_auto_device_falls_back_to_the_cpu(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A CUDA provider onnxruntime lists but no GPU to run it: auto embeds on the CPU, the
    same vectors as cpu; cuda refuses with the install hint."""
    import onnxruntime as ort
    import pytest

    from qa.embed import Embedder, EmbedderUnavailable, providers

    cpu = Embedder(threads=1, device="cpu")
    assert cpu.device == "cpu" and providers("cpu") == ["CPUExecutionProvider"]
    real = ort.get_available_providers
    monkeypatch.setattr(ort, "get_available_providers", lambda: ["CUDAExecutionProvider", *real()])
    assert providers("auto")[0] == "CUDAExecutionProvider"
    auto = Embedder(threads=1, device="auto")
    assert auto.device == "cpu"
    texts = ["The council approved the budget.", "A storm hit the coast."]
    assert np.allclose(auto.embed(texts), cpu.embed(texts), atol=1e-6)
    with pytest.raises(EmbedderUnavailable, match="onnxruntime-gpu"):
        Embedder(threads=1, device="cuda")
    monkeypatch.setattr(ort, "get_available_providers", real)
    with pytest.raises(EmbedderUnavailable, match="no CUDA provider"):
        providers("cuda")
    with pytest.raises(ValueError, match="embed_device"):
        providers("tpu")

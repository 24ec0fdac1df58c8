"""Hybrid retrieval: how the dense and keyword lists are fused, and what that buys."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from qa.config import Settings
from qa.retrieve import add_evidence, fuse, rrf, sentence_evidence, zscores
from qa.store import Filters, ScoredChunk


def ranked(pairs: list[tuple[str, float]]) -> list[ScoredChunk]:
    return [ScoredChunk(cid, f"article-{cid}", score) for cid, score in pairs]


# A name only BM25 knows: one clear keyword winner, while the embedder sees a flat row of
# look-alike stories (the same template, other people).
KEYWORD = ranked([("named", 20.4), ("b", 16.9), ("c", 16.7), ("d", 16.5), ("e", 16.1)])
DENSE = ranked([("b", 0.630), ("c", 0.620), ("d", 0.619), ("f", 0.618), ("g", 0.615)])


def test_a_clear_keyword_winner_stays_first_when_the_embedder_sees_only_lookalikes() -> None:
    fused = fuse(DENSE, KEYWORD, dense_weight=0.3)
    assert max(fused, key=fused.__getitem__) == "named"


def test_reciprocal_rank_fusion_loses_it_which_is_why_it_is_not_the_default() -> None:
    fused = rrf(DENSE, KEYWORD, k=60)
    assert max(fused, key=fused.__getitem__) != "named"
    assert Settings().fusion == "zscore"


def test_the_dense_weight_moves_the_balance() -> None:
    # All dense: the embedder's favourite wins; all keyword: BM25's.
    all_dense = fuse(DENSE, KEYWORD, 1.0)
    all_keyword = fuse(DENSE, KEYWORD, 0.0)
    assert max(all_dense, key=all_dense.__getitem__) == "b"
    assert max(all_keyword, key=all_keyword.__getitem__) == "named"


def test_zscores_of_a_single_or_flat_list_still_count() -> None:
    assert zscores(ranked([("only", 3.2)])) == {"only": 1.0}
    assert zscores(ranked([("x", 1.0), ("y", 1.0)])) == {"x": 1.0, "y": 1.0}
    assert zscores([]) == {}
    z = zscores(ranked([("hi", 3.0), ("mid", 2.0), ("lo", 1.0)]))
    assert z["hi"] > 0 > z["lo"]
    assert z["mid"] == pytest.approx(0.0)


def test_bad_fusion_settings_name_the_field() -> None:
    with pytest.raises(ValidationError, match="fusion"):
        Settings(fusion="average")
    with pytest.raises(ValidationError, match="dense_weight"):
        Settings(dense_weight=1.5)


# -- on a real index -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lookalike_kb(tmp_path_factory: pytest.TempPathFactory):
    """60 generated stories that share templates and differ mostly in names and numbers."""
    from evals.bench.corpus import generate, write_jsonl
    from qa import KnowledgeBase

    work: Path = tmp_path_factory.mktemp("lookalikes")
    corpus = generate(60)
    kb = KnowledgeBase(work / "index")
    kb.ingest([write_jsonl(corpus.articles, work / "corpus.jsonl")])
    yield kb, corpus.questions
    kb.close()


def test_a_question_naming_a_person_finds_their_story_first(lookalike_kb) -> None:
    kb, questions = lookalike_kb
    named = [q for q in questions if q.style == "named"]
    assert len(named) >= 10
    for q in named:
        hits = kb.search(q.question, k=5)
        assert hits[0].article_id in q.articles, (q.question, [h.article_id for h in hits])


def test_questions_without_the_name_still_find_their_story_in_the_top_five(lookalike_kb) -> None:
    kb, questions = lookalike_kb
    unnamed = [q for q in questions if q.style != "named"]
    assert len(unnamed) >= 20
    for q in unnamed:
        hits = kb.search(q.question, k=5)
        assert any(h.article_id in q.articles for h in hits), q.question


def test_rrf_can_still_be_chosen(lookalike_kb) -> None:
    from qa.retrieve import retrieve

    kb, questions = lookalike_kb
    settings = kb.settings.model_copy(update={"fusion": "rrf"})
    q = questions[0]
    hits = retrieve(kb.store, kb.embedder, q.question, settings, k=5).hits
    assert any(h.article_id in q.articles for h in hits)
    # RRF scores are sums of 1/(60 + rank): never above 2/61.
    assert all(0 < h.score <= 2 / 61 for h in hits)


# -- the keyword query -----------------------------------------------------------------


def keyword_db(tmp_path: Path, texts: dict[str, str]):
    from qa.store.db import ArticleDB

    db = ArticleDB(tmp_path / "articles.sqlite")
    with db:
        for aid, text in texts.items():
            row = (aid, f"hash-{aid}", aid, None, None, None, None, None, None, text, 1, 0.0)
            db.put_article(row, [(f"{aid}::0", aid, 0, 0, len(text), aid, text)])
    return db


def test_a_possessive_in_the_question_still_matches_the_plain_word(tmp_path: Path) -> None:
    # FTS5 splits "striker's" at the apostrophe: quoted as it is, the term is the phrase
    # `striker s`, which "the injured striker" never matches.
    from qa.store import Filters
    from qa.store.db import fts_terms

    assert fts_terms("Who will take the injured striker's place in Aldervale's team?") == [
        "take", "injured", "striker", "place", "aldervale", "team",
    ]  # fmt: skip
    assert fts_terms("the crews’ pay and O'Neill") == ["crews", "pay", "o'neill"]
    db = keyword_db(
        tmp_path,
        {
            "injury": "Aldervale will be without their injured striker for a month.",
            "other": "A team of volunteers cleared the place after the parade.",
        },
    )
    hits = db.keyword("Who replaces Aldervale's injured striker?", 5, Filters())
    assert [h.article_id for h in hits][:1] == ["injury"]
    db.close()


# -- sentence evidence -----------------------------------------------------------------

WEIGHTS = {"ferry": 2.0, "talks": 1.5, "glasgow": 3.0}


def test_evidence_is_the_share_of_term_weight_in_the_best_single_sentence() -> None:
    ev = sentence_evidence(
        WEIGHTS,
        {
            "together": "Crews returned. The ferry talks were held in Glasgow on Monday.",
            "scattered": "The ferry sailed. Talks went on. Glasgow was quiet.",
            "none": "Nothing about it here.",
        },
    )
    assert ev["together"] == pytest.approx(1.0)
    assert ev["scattered"] == pytest.approx(3.0 / 6.5)  # its best sentence holds "glasgow"
    assert ev["none"] == 0.0


def test_evidence_matches_word_starts_by_stem_and_short_terms_only_whole() -> None:
    ev = sentence_evidence(
        {"launched": 1.0, "eu": 1.0}, {"a": "Ferries launch soon.", "b": "Euros."}
    )
    assert ev == {"a": 0.5, "b": 0.0}  # "launched" finds "launch"; "eu" is not "euros"
    assert sentence_evidence({}, {"a": "text"}) == {"a": 0.0}


def test_evidence_reorders_the_shortlist_and_a_flat_one_changes_nothing() -> None:
    fused = {"scattered": 1.0, "together": 0.9, "outside": 0.5}
    add_evidence(fused, {"scattered": 0.4, "together": 1.0}, weight=0.3)
    assert max(fused, key=fused.__getitem__) == "together"
    assert fused["outside"] == 0.5
    flat = {"a": 1.0, "b": 0.9}
    add_evidence(flat, {"a": 0.5, "b": 0.5}, weight=0.3)
    assert flat == {"a": 1.0, "b": 0.9}


def test_term_weights_are_bm25_idf_and_follow_writes(tmp_path: Path) -> None:
    db = keyword_db(tmp_path, {"a": "Ferry talks in Glasgow.", "b": "Ferry crews.", "c": "Rain."})
    w = db.term_weights("Where were the ferry talks?")
    assert set(w) == {"ferry", "talks"}
    assert w["talks"] > w["ferry"] > 0  # one chunk of three against two
    with db:
        row = ("d", "hash-d", "d", None, None, None, None, None, None, "Talks.", 1, 0.0)
        db.put_article(row, [("d::0", "d", 0, 0, 6, "d", "Talks.")])
    assert db.term_weights("talks")["talks"] < w["talks"]  # the cached count was dropped
    db.close()


def test_evidence_weight_zero_is_the_plain_z_score_fusion(lookalike_kb) -> None:
    from qa.retrieve import retrieve

    kb, questions = lookalike_kb
    # Syndicated copies off too: one article per group would skip a copy's (equal) scores.
    off = kb.settings.model_copy(update={"evidence_weight": 0.0, "dedup": False})
    for q in questions[:5]:
        hits = retrieve(kb.store, kb.embedder, q.question, off, k=5).hits
        dense = kb.store.dense(kb.embedder.embed([q.question])[0], 30, Filters())
        keyword = kb.store.keyword(q.question, 30, Filters())
        plain = fuse(dense, keyword, off.dense_weight)
        assert [h.score for h in hits] == sorted(plain.values(), reverse=True)[: len(hits)]


def test_the_keyword_stage_runs_beside_the_query_embedding(seed_kb) -> None:
    """The keyword side needs no query vector, so it does not wait for it: while the query
    is being embedded, the keyword search has already run, in another thread."""
    import threading

    from qa.retrieve import retrieve

    store, embedder = seed_kb.store, seed_kb.embedder
    keyword_ran = threading.Event()
    seen: dict[str, int] = {}

    class Store:
        def __getattr__(self, name: str):
            return getattr(store, name)

        def keyword(self, text: str, n: int, filters: Filters) -> list[ScoredChunk]:
            seen["keyword"] = threading.get_ident()
            out = store.keyword(text, n, filters)
            keyword_ran.set()
            return out

    class Embedder:
        def __getattr__(self, name: str):
            return getattr(embedder, name)

        def embed(self, texts, batch_size: int = 32):
            seen["overlapped"] = keyword_ran.wait(timeout=30)
            return embedder.embed(texts, batch_size)

    plain = retrieve(store, embedder, "ferry strike Orkney", Settings(), k=3)
    both = retrieve(Store(), Embedder(), "ferry strike Orkney", Settings(), k=3)
    assert seen["overlapped"] and seen["keyword"] != threading.get_ident()
    assert [h.chunk_id for h in both.hits] == [h.chunk_id for h in plain.hits]


def admits(f: Filters, meta: dict) -> bool:
    """The filters read straight off a chunk's metadata (its article's source and date)."""
    day = meta["published_at"]
    return (
        (not f.sources or meta["source"] in f.sources)
        and (not f.since or (day and day >= f.since))
        and (not f.until or (day and day <= f.until))
    )


def nearest_inside(kb, vector, n: int, filters: Filters) -> set[str]:
    """The filtered top n by brute force over every stored vector: what `dense` must give."""

    got = kb.store.vectors.collection.get(include=["embeddings", "metadatas"])
    keep = [i for i, m in enumerate(got["metadatas"]) if admits(filters, m)]
    vecs = np.asarray(got["embeddings"])[keep]
    cos = vecs @ vector / (np.linalg.norm(vecs, axis=1) * np.linalg.norm(vector))
    return {got["ids"][keep[i]] for i in np.argsort(-cos)[:n]}


WINDOWS = [
    Filters(since="2024-03-01", until="2024-08-31"),
    Filters(until="2024-06-30"),
    Filters(sources=("Lakeside Gazette", "Harbor Daily News")),
    Filters(sources=("River City Press",), since="2025-01-01"),
]


WAYS = {
    "the nearest of all": {},
    "the window's vectors": {"OVERFETCH": 1},  # too few of the nearest pass
    "chroma among the window's ids": {"OVERFETCH": 1, "BRUTE_IDS": 0},
    "deeper among the nearest": {"OVERFETCH": 1, "MAX_WINDOW_IDS": 1},
    "chroma's where": {"OVERFETCH": 1, "MAX_WINDOW_IDS": 1, "MAX_DEEPER": 0},
}


@pytest.mark.parametrize("way", list(WAYS))
def test_a_filtered_search_gives_the_nearest_chunks_inside_the_window_whichever_way_it_runs(
    lookalike_kb, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    # Chroma scans every record's metadata for a `where` clause, so `dense` first looks
    # among the nearest chunks of the whole index, then ranks the window's chunks (from
    # SQLite) by their vectors or through Chroma, or looks deeper; Chroma's filter is last.
    import qa.store

    kb, questions = lookalike_kb
    for name, value in WAYS[way].items():
        monkeypatch.setattr(qa.store, name, value)
    for q in questions[:5]:
        v = kb.embedder.embed([q.question])[0]
        everywhere = {s.chunk_id for s in kb.store.dense(v, 10, Filters())}
        for f in WINDOWS:
            want = nearest_inside(kb, v, 10, f)
            got = kb.store.dense(v, 10, f)
            assert {s.chunk_id for s in got} == want, (q.question, f)
            assert got and want != everywhere  # the window matters


def test_a_window_holding_no_article_finds_nothing_and_undated_chunks_stay_out(
    lookalike_kb,
) -> None:
    kb, questions = lookalike_kb
    v = kb.embedder.embed([questions[0].question])[0]
    assert kb.store.dense(v, 10, Filters(since="2030-01-01")) == []
    assert kb.store.db.window_chunk_ids(Filters(since="2030-01-01"), 100) == {}
    ids = kb.store.db.window_chunk_ids(Filters(until="2024-06-30"), 10_000)
    assert ids and kb.store.db.window_chunk_ids(Filters(until="2024-06-30"), len(ids) - 1) is None

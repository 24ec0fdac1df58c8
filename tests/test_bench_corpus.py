"""The benchmark corpus generator and one smoke run of the bench harness (no timing asserts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.bench.corpus import (
    BOILERPLATE_MARKERS,
    EXACT_DUP_EVERY,
    NEAR_DUP_EVERY,
    changed_copy,
    generate,
    write_jsonl,
    write_questions,
    write_txt,
)
from qa.corpus import Article, load
from tests.conftest import WHOLE_RUN_TIMEOUT


def _loaded(path: Path) -> dict[str, Article]:
    items = list(load(path))
    assert all(isinstance(a, Article) for a in items), [
        a for a in items if not isinstance(a, Article)
    ]
    return {a.id: a for a in items}  # type: ignore[union-attr]


def test_same_size_and_seed_give_the_same_corpus() -> None:
    a, b = generate(120), generate(120)
    assert a.articles == b.articles
    assert a.questions == b.questions
    other = generate(120, seed=1)
    assert [x.text for x in other.articles] != [x.text for x in a.articles]


def test_a_small_corpus_is_the_prefix_of_a_larger_one() -> None:
    small, big = generate(60), generate(300)
    assert big.articles[:60] == small.articles


def test_sizes_ids_and_duplicates_are_as_specified() -> None:
    c = generate(450)
    assert len(c.articles) == 450
    ids = [a.id for a in c.articles]
    assert len(set(ids)) == 450
    exact = [a for a in c.articles if a.exact_dup]
    assert [a.id for a in exact] == ["bench-00199", "bench-00399"]
    by_id = c.by_id
    for a in exact:  # a verbatim copy of the article 50 before it, gold with its root
        assert a.text == c.articles[int(a.id.split("-")[1]) - 50].text
        assert by_id[a.dup_of].dup_of is None
        assert any(a.id in q.articles for q in c.questions)
    near = [a for a in c.articles if a.dup_of and not a.exact_dup]
    assert len(near) >= 450 // NEAR_DUP_EVERY - 2
    for a in near:
        orig = by_id[a.dup_of]
        assert a.text != orig.text and a.source != orig.source and a.title == orig.title
    # One question per original article (no questions about copies).
    assert len(c.questions) == sum(1 for a in c.articles if a.dup_of is None)
    assert EXACT_DUP_EVERY > NEAR_DUP_EVERY


def test_lead_people_are_unique_so_named_questions_have_one_answer() -> None:
    from evals.bench.corpus import _lead_name

    c = generate(2000)
    assert {q.style for q in c.questions} == {"named", "described", "paraphrased"}
    named = [q for q in c.questions if q.style == "named"]
    assert len(named) > 600
    originals = [a for a in c.articles if a.dup_of is None]
    for q in named[:50]:
        i = int(q.articles[0].split("-")[1])
        name = " ".join(_lead_name(i))
        assert name in q.question
        assert [a.id for a in originals if name in a.text] == [q.articles[0]]


def test_questions_are_answerable_from_their_gold_articles_after_cleaning(tmp_path: Path) -> None:
    c = generate(300)
    arts = _loaded(write_jsonl(c.articles, tmp_path / "c.jsonl"))
    assert len(arts) == 300
    for q in c.questions:
        for gold in q.articles:
            assert q.answer in arts[gold].text, (q, gold)
    # The boilerplate is there in the raw text and gone after cleaning.
    raw = "\n".join(a.text for a in c.articles)
    for marker in BOILERPLATE_MARKERS:
        assert marker in raw, marker
        assert not any(marker in a.text for a in arts.values()), marker
    # Metadata the records state is what the engine stores.
    first = c.articles[0]
    assert arts[first.id].published_at == first.published_at
    assert arts[first.id].source == first.source


def test_txt_files_load_with_the_same_text_and_metadata(tmp_path: Path) -> None:
    c = generate(40)
    from_jsonl = _loaded(write_jsonl(c.articles, tmp_path / "c.jsonl"))
    from_txt = _loaded(write_txt(c.articles, tmp_path / "txt"))
    assert from_txt.keys() == from_jsonl.keys()
    for aid, a in from_txt.items():
        j = from_jsonl[aid]
        assert (a.title, a.source, a.published_at, a.author, a.text) == (
            j.title,
            j.source,
            j.published_at,
            j.author,
            j.text,
        )


def test_the_one_percent_copy_changes_one_article_in_a_hundred(tmp_path: Path) -> None:
    c = generate(500)
    changed, ids = changed_copy(c, 0.01)
    assert len(ids) == 5
    before = {a.id: a.text for a in c.articles}
    assert sorted(a.id for a in changed if a.text != before[a.id]) == sorted(ids)
    arts = _loaded(write_jsonl(changed, tmp_path / "c1.jsonl"))
    for q in c.questions:
        assert all(q.answer in arts[g].text for g in q.articles)
    # Tiny corpora still get one changed article.
    assert len(changed_copy(generate(20), 0.01)[1]) == 1


def test_questions_file_is_an_eval_suite(tmp_path: Path) -> None:
    c = generate(30)
    path = write_questions(c.questions, tmp_path / "q.jsonl")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(lines) == len(c.questions)
    assert {"id", "question", "answer", "accept", "articles"} <= set(lines[0])
    assert lines[0]["accept"] == [lines[0]["answer"]]


def test_generate_rejects_sizes_out_of_range() -> None:
    with pytest.raises(ValueError):
        generate(0)
    with pytest.raises(ValueError):
        generate(10**6)


# -- one smoke run of the whole harness ---------------------------------------------------


@pytest.mark.timeout(WHOLE_RUN_TIMEOUT)
def test_bench_harness_smoke_run_writes_tables_and_json(tmp_path: Path) -> None:
    """N=20, few queries: every table and JSON field is there (values are not judged)."""
    from evals.bench.__main__ import run

    results = run([20], tmp_path, quick=True)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["sizes"].keys() == {"20"}
    size = saved["sizes"]["20"]
    for key in ("setup_s", "total_s", "load_clean_s", "chunk_s", "embed_s", "write_s", "other_s"):
        assert key in size["ours"], key
    assert size["ours"]["articles"] == 20 and size["ours"]["chunks"] >= 20
    assert size["floor"]["chunks"] == size["ours"]["embedded"]
    assert size["stock"]["chunks"] > 0
    assert size["ours"]["peak_rss_mb"] > 0 and size["stock"]["peak_rss_mb"] > 0
    assert size["reingest_unchanged"]["embedded"] == 0
    assert size["reingest_unchanged"]["unchanged"] == 20
    assert size["reingest_1pct"]["updated"] == 1
    methods = {"bm25", "dense", "rrf", "hybrid", "stock", "fusion"}
    assert set(size["quality"]["metrics"]) == methods
    for m in size["quality"]["metrics"].values():
        assert 0 <= m["all"]["hit@5"] <= 1 and 0 <= m["all"]["mrr@10"] <= 1
        assert 0 <= m["all"]["answer_hit@5"] <= 1
    halves = saved["halves"]
    assert halves["confirm_seed"] == 7 and halves["confirm_n"] == 20
    assert set(halves["confirm"]["metrics"]) == methods - {"stock"}
    newsroom = halves["newsroom"]["metrics"]
    assert set(newsroom) == methods - {"stock", "fusion"}  # --quick: no stock fusion here
    assert newsroom["hybrid"]["tune"]["n"] > 50 and newsroom["hybrid"]["test"]["n"] > 50
    lat = size["latency"]
    assert {"search", "ask", "floor", "raw_chroma", "stock"} <= set(lat["wall_ms"])
    assert set(lat["stages_ms"]["ask"]) == {"embed_query", "dense", "keyword", "fuse", "answer"}
    assert lat["peak_rss_mb"] > 0
    assert set(saved["cold_start"]) == {"python -c pass", "qa --help", "qa ask --json"}
    assert saved["imports"]["top"] and saved["imports"]["total_import_s"] > 0
    assert results["machine"]["cores"]

    tables = (tmp_path / "tables.md").read_text()
    for title in ("Ingest, N = 20", "Retrieval quality, N = 20", "Warm query latency, N = 20",
                  "Re-ingest, N = 20", "Cold start", "Top imports",
                  "Retrieval quality, N = 20, seed 7 (the confirming half)",
                  "Retrieval quality, newsroom suite (tune and test splits)",
                  "Retrieval quality: ours vs stock fusion, per half"):  # fmt: skip
        assert f"### {title}" in tables, title
    for column in ("/ floor", "/ stock", "load+clean s", "chunk s", "embed s", "write s",
                   "RSS MB", "hit@5", "MRR@10", "p50 ms", "p95 ms", "embed q", "dense",
                   "keyword", "fuse", "answer", "% of full ingest", "/ bare python",
                   "answer hit@5", "test: MRR@10", "hit@5 stock fusion"):  # fmt: skip
        assert column in tables, column
    for row in ("ours (kb.ingest)", "raw embedder (floor)", "stock LlamaIndex",
                "BM25 alone", "dense alone", "ours: hybrid", "stock LlamaIndex fusion",
                "newsroom suite, test split"):  # fmt: skip
        assert row in tables, row
    assert "ratios" in tables  # the noise note travels with the figures

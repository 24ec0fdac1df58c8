"""The keyword stage at scale (issue 16): rarer terms rank first, the common terms' share is
added to the candidates as bm25() would add it, and small corpora keep FTS5's exact query."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qa.store import Filters
from qa.store import keyword as kw
from qa.store.db import ArticleDB, fts_match, fts_terms

COMMON = ["harbour", "council", "budget", "river", "market", "school"]


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    """300 chunks: common words everywhere, one rare name per ten chunks."""
    rng = random.Random(3)
    d = ArticleDB(tmp_path / "articles.sqlite")
    with d:
        for i in range(300):
            body = " ".join(rng.choice(COMMON) for _ in range(rng.randrange(20, 60)))
            if i % 10 == 0:
                body += f" Official{i // 10} spoke about the harbour budget"
            aid = f"a{i}"
            d.put_article(
                (aid, aid, f"T{i}", None, "", None, None, None, "x", body, 1, 0.0),
                [(f"{aid}:0", aid, 0, 0, len(body), f"Title {i}", body)],
            )
    yield d
    d.close()


def _exact(d: ArticleDB, text: str, n: int) -> list[tuple[str, float]]:
    rows = d.conn.execute(
        "SELECT c.id, -bm25(chunks_fts, 0.5, 1.0) s FROM chunks_fts JOIN chunks c "
        "ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ? ORDER BY s DESC LIMIT ?",
        (fts_match(fts_terms(text)), n),
    )
    return [(r[0], r[1]) for r in rows]


def test_a_small_corpus_keeps_the_exact_query(db) -> None:  # type: ignore[no-untyped-def]
    q = "What did Official7 say about the harbour budget?"
    got = [(s.chunk_id, s.score) for s in db.keyword(q, 10, Filters())]
    assert got == _exact(db, q, 10)


def test_rare_terms_first_gives_bm25_scores_of_the_full_query(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(kw, "RANK_BUDGET", 20)  # every common word is now "common"
    monkeypatch.setattr(kw, "EXACT_ROWS", 20)
    q = "What did Official7 say about the harbour budget?"
    n_rows, dfs = db.doc_freqs(fts_terms(q))
    rare, common = kw.split_terms(fts_terms(q), dfs)
    assert rare == ["official7"] and set(common) == {"harbour", "budget"}
    got = db.keyword(q, 5, Filters())
    want = dict(_exact(db, q, 300))
    assert got[0].chunk_id == "a70:0"
    for s in got:  # the same score bm25() gives the row for the whole query
        assert s.score == pytest.approx(want[s.chunk_id], rel=1e-6)


def test_rows_without_a_rare_term_are_not_ranked(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(kw, "RANK_BUDGET", 20)
    monkeypatch.setattr(kw, "EXACT_ROWS", 20)
    got = db.keyword("Official3 council", 50, Filters())
    assert [s.chunk_id for s in got] == ["a30:0"]


def test_varints_read_fts5_sizes(db) -> None:  # type: ignore[no-untyped-def]
    sizes = dict(db.conn.execute("SELECT id, sz FROM chunks_fts_docsize").fetchall())
    row = db.conn.execute("SELECT rowid, header, text FROM chunks WHERE id='a70:0'").fetchone()
    assert kw.varints(sizes[row[0]]) == [len(row[1].split()), len(row[2].split())]
    assert kw.varints(bytes([0x81, 0x00])) == [128]
    lengths = [sum(kw.varints(b)) for b in sizes.values()]
    assert kw.average_length(db.conn) == pytest.approx(sum(lengths) / len(lengths))

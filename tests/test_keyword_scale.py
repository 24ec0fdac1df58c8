"""The keyword stage at scale (issue 16): rows with two of the rarer terms rank first with
bm25()'s own share of those terms, the other terms' share is added as bm25() would add it, and
small corpora keep FTS5's exact query."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qa.store import Filters
from qa.store import keyword as kw
from qa.store.db import ArticleDB, fts_match, fts_terms

COMMON = ["harbour", "council", "budget", "river", "market", "school"]


def _fill(path: Path, dated: bool = False) -> ArticleDB:
    """300 chunks: common words everywhere, one rare name per ten chunks; `dated`: one
    article a day from 2024-01-01, sources A and B in turn."""
    import datetime as dt

    rng = random.Random(3)
    d = ArticleDB(path)
    with d:
        for i in range(300):
            body = " ".join(rng.choice(COMMON) for _ in range(rng.randrange(20, 60)))
            if i % 10 == 0:
                body += f" Official{i // 10} spoke about the harbour budget"
            aid, day = f"a{i}", (dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat()
            src = "AB"[i % 2] if dated else None
            meta = (src, (src or "").lower(), day if dated else None)
            d.put_article(
                (aid, aid, f"T{i}", *meta, None, None, "x", body, 1, 0.0),
                [(f"{aid}:0", aid, 0, 0, len(body), f"Title {i}", body)],
            )
    return d


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    d = _fill(tmp_path / "articles.sqlite")
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


def _small_budgets(monkeypatch, rows: int = 20) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(kw, "RANK_BUDGET", rows)  # every common word is now "common"
    monkeypatch.setattr(kw, "EXACT_ROWS", rows)
    monkeypatch.setattr(kw, "SOLO_ROWS", 5)


def test_rare_terms_first_gives_bm25_scores_of_the_full_query(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _small_budgets(monkeypatch)
    q = "What did Official7 say about the harbour budget?"
    n_rows, dfs = db.doc_freqs(fts_terms(q))
    p = kw.plan(fts_terms(q), dfs)
    assert p is not None and p.pair[0] == "official7" and p.solo == ["official7"]
    assert len(p.pair) == 2 and set(p.pair[1:] + p.rest) == {"harbour", "budget"}
    got = db.keyword(q, 5, Filters())
    want = dict(_exact(db, q, 300))
    assert got[0].chunk_id == "a70:0"
    for s in got:  # the same score bm25() gives the row for the whole query
        assert s.score == pytest.approx(want[s.chunk_id], rel=1e-6)


def test_rows_without_a_rare_term_are_not_ranked(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _small_budgets(monkeypatch)
    got = db.keyword("Official3 council", 50, Filters())
    assert [s.chunk_id for s in got] == ["a30:0"]


def test_varints_read_fts5_sizes(db) -> None:  # type: ignore[no-untyped-def]
    sizes = dict(db.conn.execute("SELECT id, sz FROM chunks_fts_docsize").fetchall())
    row = db.conn.execute("SELECT rowid, header, text FROM chunks WHERE id='a70:0'").fetchone()
    assert kw.varints(sizes[row[0]]) == [len(row[1].split()), len(row[2].split())]
    assert kw.varints(bytes([0x81, 0x00])) == [128]
    lengths = [sum(kw.varints(b)) for b in sizes.values()]
    assert kw.average_length(db.conn) == pytest.approx(sum(lengths) / len(lengths))


def _put(d: ArticleDB, aid: str, body: str) -> None:
    d.put_article(
        (aid, aid, aid, None, "", None, None, None, "x", body, 1, 0.0),
        [(f"{aid}:0", aid, 0, 0, len(body), f"Title {aid}", body)],
    )


def test_two_rare_terms_keep_the_row_one_rare_term_lost(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past ~170k chunks the scale bench's surnames repeat: the rarest term alone matches
    thousands of short rows that outrank the question's long row on it, so ranking its rows
    alone (the plan before) cut that row; rows with both names keep it."""
    _small_budgets(monkeypatch, 60)
    filler = "the harbour council met on the budget for the river market and the school"
    d = ArticleDB(tmp_path / "articles.sqlite")
    with d:
        for i in range(1500):  # neither name
            _put(d, f"f{i}", filler)
        for i in range(250):  # the surname alone, in short rows
            _put(d, f"q{i}", f"Quist spoke. {filler}")
        for i in range(400):  # the question's common words, with the first name in most
            name = "Leon" if i < 300 else "Someone"
            _put(d, f"l{i}", f"{name} led the study with participants. {filler} {filler}")
        gold = f"{filler} {filler}. Leon Quist led the study of 40 participants. {filler}"
        _put(d, "gold", gold)
    q = "How many participants were in the study led by Leon Quist?"
    n = 5
    assert _exact(d, q, 1)[0][0] == "gold:0"  # FTS5's exact plan ranks it first
    before = d.conn.execute(  # the plan before: the rarest term's best candidates(n) rows
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE "
        "chunks_fts MATCH 'quist' ORDER BY bm25(chunks_fts, 0.5, 1.0) LIMIT ?",
        (kw.candidates(n),),
    )
    assert "gold:0" not in {r[0] for r in before}
    _, dfs = d.doc_freqs(fts_terms(q))
    p = kw.plan(fts_terms(q), dfs)
    assert p is not None and p.pair == ["quist", "leon"] and p.solo == []
    got = d.keyword(q, n, Filters())
    assert got[0].chunk_id == "gold:0"
    assert got[0].score == pytest.approx(_exact(d, q, 1)[0][1], rel=1e-6)
    d.close()


@pytest.mark.parametrize("pool", [["alpha", "bravo", "carmine"], ["alpha", "bravo"]])
def test_pair_scores_are_bm25_of_the_pair_terms(tmp_path: Path, pool: list[str]) -> None:
    """A row's share of the pair terms is FTS5's own, whether it has two of them or three, and
    whether the plan has three pair terms (two scans) or two (one scan of `a AND b`)."""
    rng = random.Random(5)
    d = ArticleDB(tmp_path / "articles.sqlite")
    has: dict[str, int] = {}
    with d:
        for i in range(120):
            names = rng.sample(["alpha", "bravo", "carmine"], rng.choice([1, 2, 2, 3]))
            has[f"r{i}:0"] = len(set(names) & set(pool))
            words = [*names, *names[:1]] + [rng.choice(COMMON) for _ in range(rng.randrange(5, 40))]
            rng.shuffle(words)
            _put(d, f"r{i}", " ".join(words))
    dfs = d.doc_freqs(pool)[1]
    p = kw.Plan(sorted(dfs, key=lambda t: (dfs[t], t)), [], [])
    got = {r[0]: r[2] for r in kw.pair_scores(d.conn, p, 1000)}
    exact = dict(
        d.conn.execute(
            "SELECT c.id, -bm25(chunks_fts, 0.5, 1.0) FROM chunks_fts JOIN chunks c ON "
            "c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ?",
            (fts_match(p.pair),),
        ).fetchall()
    )
    assert set(got) == {cid for cid, k in has.items() if k >= 2}  # two of them, or three
    assert {has[cid] for cid in got} == ({2, 3} if len(pool) == 3 else {2})
    for cid, s in got.items():
        assert s == pytest.approx(exact[cid], rel=1e-9)
    d.close()


def test_a_filtered_query_ranks_the_rare_term_rows_inside_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FTS5's filtered query joins every row matching any term to its article; the plan joins
    # only its candidates (the rows with two of the rarer terms), so a window is as cheap as
    # none and gives the plan's ranking of the window's rows, with bm25()'s scores.
    _small_budgets(monkeypatch)
    d = _fill(tmp_path / "dated.sqlite", dated=True)
    common = "harbour budget council"  # every row holds the pair terms
    day = {f"a{i}:0": i for i in range(300)}  # a row's day in 2024, from 0
    everything = [s.chunk_id for s in d.keyword(common, 300, Filters())]
    inside = [s.chunk_id for s in d.keyword(common, 5, Filters(since="2024-06-01"))]
    assert inside == [c for c in everything if day[c] >= 152][:5]
    assert inside != everything[:5]
    q = "What did Official7 say about the harbour budget?"
    march = d.keyword(q, 5, Filters(since="2024-03-01", until="2024-03-31"))
    want = dict(_exact(d, q, 300))
    assert march[0].chunk_id == "a70:0"
    assert all(60 <= day[s.chunk_id] <= 90 for s in march)
    for s in march:
        assert s.score == pytest.approx(want[s.chunk_id], rel=1e-6)
    later = d.keyword(common, 5, Filters(since="2024-10-01"))
    assert len(later) == 5 and all(day[s.chunk_id] >= 274 for s in later)
    by_source = d.keyword(common, 5, Filters(sources=("B",)))
    assert len(by_source) == 5 and all(day[s.chunk_id] % 2 == 1 for s in by_source)
    d.close()


def test_a_common_terms_count_is_estimated_past_count_rows(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Counting a common term reads its whole doclist; past COUNT_ROWS matches the count is
    estimated from how much of the archive its first matches span. A rarer term is exact."""
    exact = {
        t: db.conn.execute(
            "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (fts_match([t]),)
        ).fetchone()[0]
        for t in [*COMMON, "official7", "spoke"]
    }
    monkeypatch.setattr(kw, "COUNT_ROWS", 60)
    n, dfs = db.doc_freqs(list(exact))
    assert n == 300
    assert dfs["official7"] == exact["official7"] == 1 and dfs["spoke"] == exact["spoke"] == 30
    for t in COMMON:  # each in nearly every chunk
        assert exact[t] > 60 and abs(dfs[t] - exact[t]) <= 0.1 * exact[t], (t, dfs[t], exact[t])
    assert any(dfs[t] != exact[t] for t in COMMON)  # estimated, not counted


def test_rows_with_the_next_rarer_terms_are_candidates_first(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 1M chunks two recurring team names share thousands of rows: ranked by their share
    alone, the question's row (long, one mention each) fell past the candidates. Rows that
    also hold the next rarer terms ("Wolves", "Bay") are candidates first."""
    _small_budgets(monkeypatch, 60)
    filler = "the harbour council met on the budget for the river market and the school"
    d = ArticleDB(tmp_path / "articles.sqlite")
    with d:
        for i in range(3000):  # none of the names
            _put(d, f"f{i}", filler)
        for i in range(300):  # the team names in short rows: a higher share of them
            _put(d, f"m{i}", "Mariners and Wolves fans met.")
        for i in range(500):  # the other names without the teams
            _put(d, f"p{i}", f"Portside and Granite Bay {filler} crowd")
        _put(d, "gold", f"{filler} {filler}. The Portside Mariners met the Granite Bay Wolves.")
    q = "What happened when the Portside Mariners met the Granite Bay Wolves?"
    n = 5
    _, dfs = d.doc_freqs(fts_terms(q))
    p = kw.plan(fts_terms(q), dfs)
    assert p is not None and p.pair == ["mariners", "wolves"] and p.solo == []
    by_share = d.conn.execute(  # the candidates by the pair's share alone
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE "
        "chunks_fts MATCH 'mariners AND wolves' ORDER BY bm25(chunks_fts, 0.5, 1.0) LIMIT ?",
        (kw.candidates(n),),
    )
    assert "gold:0" not in {r[0] for r in by_share}
    assert _exact(d, q, 1)[0][0] == "gold:0"  # FTS5's exact plan ranks it first
    got = d.keyword(q, n, Filters())
    assert got[0].chunk_id == "gold:0"
    d.close()

"""Keyword search that stays flat as the archive grows: rows with the rarer terms rank first.

FTS5 ranks an OR query by computing bm25() for every row that matches any of its terms, and a
common term ("study", "led", a city) matches a large share of a big archive, so the keyword
stage grew with the corpus (issue 16: ~0.7 s at 100k chunks of generated long articles on a
loaded machine). Unless all the terms together match fewer than `EXACT_ROWS` rows (then FTS5's
exact query is the cheaper one), a query is ranked in two steps:

- candidates: the rows that match at least two of the query's rarest terms (the "pair terms":
  the rarest two, and more while the rows matching two of them can add up to at most
  `RANK_BUDGET`), and the rows of the very rarest terms alone (`SOLO_ROWS` rows at most).
  FTS5 intersects doclists cheaply (`(a AND b) OR (a AND c) OR ...`), so this costs rows in
  proportion to the budget, not to the archive. Ranking the rarest term's rows alone instead
  (the plan before) kept quality at 102k chunks, but at 300k, where names repeat, a surname
  alone matches ~4,400 rows and the best 200 of them by its share missed the question's
  article half the time (keyword hit@5 0.455 against FTS5's exact 0.900, docs/benchmarks.md);
- every candidate's share of the pair terms is bm25() itself: in FTS5 a phrase counts for a
  row only when its branch of the expression matches it, so over the pairs expression a row
  with m of the pair terms scores (m - 1) times its share S and over `(any of them) AND
  (pairs)` m times S; the difference of the two scores is S, exactly (`pair_scores`). The
  best `candidates(n)` by S then get the remaining terms' share added, computed as bm25()
  computes it (FTS5's IDF from the cached document frequency, k1 = 1.2, b = 0.75, the row's
  token count from FTS5's docsize table, the column weights), except that the term frequency
  is counted in the row's text by a prefix match on the term's stem (`qa.text.stem`), where
  FTS5 counts porter stems. That approximates the smaller share: the remaining terms match
  more rows than the pair terms, so their IDF is lower.

A row with only one of the pair terms (unless it is one of the solo terms) or none is not
ranked; the question's row nearly always holds two of its rarest terms (a first name and a
surname, a name and a place). When the terms are rare enough (any corpus of a few thousand
chunks, the newsroom suite, the templated bench up to 1,000 articles), the query is FTS5's
exact one. With filters (a date window, sources) the candidates are the pair rows whose
articles pass them (`pair_scores`): FTS5's own filtered query joins every row that matches any
term to its article (over a second at 900k chunks).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from qa.store.base import Filters, window_sql
from qa.text import stem

RANK_BUDGET = 10_000  # rows FTS5 ranks per query, at most (unless the rarest two have more)
SOLO_ROWS = 1_000  # rows of the rarest terms ranked even with only one of the pair terms
PAIR_TERMS = 6  # pair terms at most: 15 pairs in the MATCH expression
# Below this many matching rows in all, FTS5's exact query is cheaper than scoring candidates
# in Python (at 22k chunks, both ~equal at 4x RANK_BUDGET; docs/benchmarks.md, issue 16).
EXACT_ROWS = 4 * RANK_BUDGET
K1, B = 1.2, 0.75  # FTS5's bm25() constants
WEIGHTS = (0.5, 1.0)  # header, text: the title/date header weighs half as much as the body


def candidates(n: int, ordered: bool = False) -> int:
    """Rows ranked by the rare terms that go on to be scored on the common ones too; half as
    many when rows holding the next rarer terms come first (`_both_sql`): the same keyword
    hit@5 at 1M chunks on three sets of 100 questions (41, 50, 43 of 100 against 41, 50,
    44), 4 ms less."""
    return max(2 * n, 100) if ordered else max(4 * n, 200)


@dataclass(frozen=True)
class Plan:
    """How a query too common for the exact plan is ranked (see the module docstring)."""

    pair: list[str]  # the rarest terms: rows with two of them are candidates
    solo: list[str]  # the rarest of those, within SOLO_ROWS rows: their rows are candidates
    rest: list[str]  # the other terms that match any row: their share is estimated


# Matches counted per term; a commoner term's count is estimated from where its COUNT_ROWS-th
# match falls (counting "said" at 500k chunks read its whole doclist: ~23 ms a term).
COUNT_ROWS = 20_000


def doc_freq(conn: sqlite3.Connection, term: str, span: tuple[int, int]) -> int:
    """The chunks matching `term`: counted up to COUNT_ROWS, beyond that estimated as
    COUNT_ROWS times the share of the rowid span (the chunks', `span`) its first COUNT_ROWS
    matches cover. Exact for every term of a small archive; for a common term off by the
    drift of its use over the archive's life, which its small IDF hardly feels."""
    count, last = conn.execute(
        "SELECT COUNT(*), MAX(rowid) FROM (SELECT rowid FROM chunks_fts WHERE chunks_fts "
        "MATCH ? ORDER BY rowid LIMIT ?)",
        (fts_match([term]), COUNT_ROWS),
    ).fetchone()
    if count < COUNT_ROWS:
        return int(count)
    lo, hi = span
    return max(COUNT_ROWS, round(COUNT_ROWS * (hi - lo + 1) / max(1, last - lo + 1)))


def pair_rows(terms: Sequence[str], dfs: dict[str, int]) -> int:
    """At most how many rows match two of `terms` (in ascending df): the sum over the pairs of
    the rarer term's rows."""
    return sum(dfs[t] * (len(terms) - 1 - i) for i, t in enumerate(terms))


def plan(terms: Sequence[str], dfs: dict[str, int]) -> Plan | None:
    """None when FTS5's exact query is the one to run: all the terms together match at most
    EXACT_ROWS rows, or fewer than two terms match any row (ranking the one is exact)."""
    matching = sorted((t for t in terms if dfs[t] > 0), key=lambda t: (dfs[t], t))
    if sum(dfs[t] for t in matching) <= EXACT_ROWS or len(matching) < 2:
        return None
    pair = matching[:2]
    for t in matching[2:PAIR_TERMS]:
        if pair_rows([*pair, t], dfs) > RANK_BUDGET:
            break
        pair.append(t)
    solo: list[str] = []
    for t in pair:
        if sum(dfs[x] for x in solo) + dfs[t] > SOLO_ROWS:
            break
        solo.append(t)
    return Plan(pair, solo, matching[len(pair) :])


def pair_matches(p: Plan) -> tuple[str, str]:
    """Two MATCH expressions over the same rows, those with two of the pair terms or a solo
    term: `either` and `(any pair term) AND either`. Over the second a row scores its share of
    the pair terms more than over the first, whatever `either` scores it (see `pair_scores`).

    `either` is `(c AND (b OR a)) OR (b AND a) OR ...` from the most common pair term c to the
    rarest: FTS5 reads a term's doclist once for every time the term is in the expression,
    and here the most common one is in it once.
    """
    q = [fts_match([t]) for t in reversed(p.pair)]
    rows = [f"({t} AND ({' OR '.join(q[i + 1 :])}))" for i, t in enumerate(q[:-1])]
    either = " OR ".join(rows + [fts_match([t]) for t in p.solo])
    return either, f"({' OR '.join(q)}) AND ({either})"


def fts_match(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression: any of the terms, each quoted (a hyphenated one is a phrase)."""
    return " OR ".join('"' + t.replace('"', "") + '"' for t in terms)


def fts5_idf(n_rows: int, df: int) -> float:
    """bm25()'s inverse document frequency in FTS5 (clamped the way FTS5 clamps it)."""
    idf = math.log((n_rows - df + 0.5) / (df + 0.5))
    return idf if idf > 0 else 1e-6


def varints(blob: bytes) -> list[int]:
    """SQLite varints (big-endian, 7 bits a byte, the ninth byte whole): FTS5's size records."""
    out, v, k = [], 0, 0
    for byte in blob:
        k += 1
        if k == 9:
            out.append((v << 8) | byte)
            v = k = 0
        elif byte & 0x80:
            v = (v << 7) | (byte & 0x7F)
        else:
            out.append((v << 7) | byte)
            v = k = 0
    return out


def average_length(conn: sqlite3.Connection, table: str = "chunks_fts") -> float:
    """Average tokens per row over all columns, from FTS5's averages record (rowid 1)."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 1.0
    n_rows, *per_column = varints(row[0])
    return max(1.0, sum(per_column) / max(1, n_rows))


@lru_cache(maxsize=1024)
def _stems_pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """Word starts matching any of these stems (longest first), over lower-cased text."""
    return re.compile(r"\b(" + "|".join(map(re.escape, stems)) + ")")


def _counts(pattern: re.Pattern[str], text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in pattern.findall(text.lower()):
        out[m] = out.get(m, 0) + 1
    return out


# Both scans are materialized: joined to each other on rowid, SQLite would otherwise look each
# row up in the second MATCH one by one (FTS5 then re-reads the terms' doclists per row).
_PAIR_SQL = (
    "WITH p AS MATERIALIZED (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) AS s FROM chunks_fts "
    "WHERE chunks_fts MATCH ?), a AS MATERIALIZED (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) "
    "AS s FROM chunks_fts WHERE chunks_fts MATCH ?) "
    "SELECT c.id, c.article_id, f.s, c.header, c.text, d.sz FROM (SELECT a.rowid, a.s - p.s "
    "AS s FROM a JOIN p ON p.rowid = a.rowid ORDER BY s DESC LIMIT ?) f "
    "JOIN chunks c ON c.rowid = f.rowid LEFT JOIN chunks_fts_docsize d ON d.id = f.rowid"
)


# Two pair terms and no solo one (most plans past a few hundred thousand chunks): the rows
# with both, `a AND b`, where each term is one phrase, so bm25() is the share itself. bm25()
# first counts every phrase's rows over its whole doclist, so one scan of two phrases costs
# about a third of the two scans of six (same rows, same scores; 15 -> 6 ms p50 at 1M).
# The candidates are the rows with most of the next rarer terms first (`RESCUE_TERMS`, found
# by FTS5 intersecting doclists, no bm25()), then by that share: where thousands of rows hold
# both pair terms ("sports complex", two team names that recur), the share alone cut the
# question's row (keyword hit@5 at 1M chunks 36 -> 41 of 100, FTS5's exact ranking 41).
def _both_sql(rescue: int) -> str:
    ctes = [
        "a AS MATERIALIZED (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) AS s FROM chunks_fts "
        "WHERE chunks_fts MATCH ?)"
    ]
    ctes += [
        f"r{i} AS MATERIALIZED (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?)"
        for i in range(rescue)
    ]
    more = " + ".join(f"(a.rowid IN r{i})" for i in range(rescue))
    order = f"{more} DESC, s DESC" if more else "s DESC"
    return (
        f"WITH {', '.join(ctes)} "
        "SELECT c.id, c.article_id, f.s, c.header, c.text, d.sz FROM (SELECT a.rowid, a.s "
        f"AS s FROM a ORDER BY {order} LIMIT ?) f "
        "JOIN chunks c ON c.rowid = f.rowid LEFT JOIN chunks_fts_docsize d ON d.id = f.rowid"
    )


RESCUE_TERMS = 2  # the rarest other terms whose rows are candidates first


def _rescues(p: Plan) -> bool:
    """Does the plan take rows with the next rarer terms first (`_both_sql`)?"""
    return len(p.pair) == 2 and not p.solo and bool(p.rest)


def pair_scores(
    conn: sqlite3.Connection, p: Plan, limit: int, filters: Filters | None = None
) -> list[tuple[Any, ...]]:
    """(chunk id, article id, share of the pair terms, header, text, docsize) of the `limit`
    candidates with the largest share (with two pair terms, those that also hold the next
    rarer terms first: `_both_sql`); the share is bm25()'s, exactly (see `pair_matches`).
    Filters keep the candidates whose articles pass them: the pair rows are few (at most
    about RANK_BUDGET), so joining each to its article costs little, where FTS5's filtered
    query joins every row that matches any term."""
    if len(p.pair) == 2 and not p.solo:
        both = " AND ".join(fts_match([t]) for t in p.pair)
        rescue = p.rest[:RESCUE_TERMS]
        sql = _both_sql(len(rescue))
        matches = [both, *(f"{both} AND {fts_match([t])}" for t in rescue)]
        scans = "FROM a "
    else:
        sql, matches, scans = (
            _PAIR_SQL,
            list(pair_matches(p)),
            "FROM a JOIN p ON p.rowid = a.rowid ",
        )
    where, args = window_sql(filters, "w") if filters else ([], [])
    if where:
        sql = sql.replace(
            scans,
            f"{scans}JOIN chunks k ON k.rowid = a.rowid JOIN articles w "
            f"ON w.id = k.article_id WHERE {' AND '.join(where)} ",
        )
    return conn.execute(sql, (*matches, *args, limit)).fetchall()


def pruned(
    conn: sqlite3.Connection,
    p: Plan,
    dfs: dict[str, int],
    n_rows: int,
    avgdl: float,
    n: int,
    filters: Filters | None = None,
) -> list[tuple[str, str, float]]:
    """(chunk id, article id, score) of the n best candidates by the pair terms' exact share
    plus the other terms' estimated share (see the module docstring), of those articles that
    pass the filters."""
    rows = pair_scores(conn, p, candidates(n, _rescues(p)), filters)
    idf = {t: fts5_idf(n_rows, dfs[t]) for t in p.rest}
    stem_of = {t: stem(t) for t in p.rest}
    pattern = _stems_pattern(tuple(sorted(set(stem_of.values()), key=lambda x: (-len(x), x))))
    scored = []
    for cid, aid, s, header, text, sz in rows:
        if stem_of:
            length = sum(varints(sz)) if sz else len(header.split()) + len(text.split())
            norm = K1 * (1 - B + B * length / avgdl)
            in_header, in_text = _counts(pattern, header), _counts(pattern, text)
            for t, st in stem_of.items():
                tf = WEIGHTS[0] * in_header.get(st, 0) + WEIGHTS[1] * in_text.get(st, 0)
                if tf:
                    s += idf[t] * tf * (K1 + 1) / (tf + norm)
        scored.append((cid, aid, float(s)))
    scored.sort(key=lambda r: (-r[2], r[0]))
    return scored[:n]

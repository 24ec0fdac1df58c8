"""Keyword search that stays flat as the archive grows: the rarer query terms rank first.

FTS5 ranks an OR query by computing bm25() for every row that matches any of its terms, and a
common term ("study", "led", a city) matches a large share of a big archive, so the keyword
stage grew with the corpus (issue 16: ~0.7 s at 100k chunks of generated long articles on a
loaded machine). Here the query's terms are split by document frequency:

- unless all the terms together match fewer than `EXACT_ROWS` rows (then FTS5's exact query
  is the cheaper one), the rarest terms whose matches add up to at most `RANK_BUDGET` rows
  (at least the rarest one) are ranked by FTS5 itself; bm25() is a sum over terms, so this
  is exactly their share of the full score, and it costs rows in proportion to the budget,
  not to the archive;
- the best `candidates(n)` of those rows then get the common terms' share added, computed
  as bm25() computes it (FTS5's IDF from the cached document frequency, k1 = 1.2, b = 0.75,
  the row's token count from FTS5's docsize table, the column weights), except that the term
  frequency is counted in the row's text by a prefix match on the term's stem
  (`qa.text.stem`), where FTS5 counts porter stems. That is an approximation of the smaller
  share: a term only counts as common when it matches many rows, so its IDF is low.

A row that matches none of the rare terms is not ranked; its score could only come from the
common terms. When the terms are rare enough (any corpus of a few thousand chunks, the
newsroom suite, the templated bench up to 1,000 articles), the query is FTS5's exact one.
Queries with filters keep FTS5's exact query too (they join the articles table).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Sequence
from functools import lru_cache

from qa.text import stem

RANK_BUDGET = 10_000  # rows FTS5 ranks per query, at most (unless the rarest term has more)
# Below this many matching rows in all, FTS5's exact query is cheaper than scoring candidates
# in Python (at 22k chunks, both ~equal at 4x RANK_BUDGET; docs/benchmarks.md, issue 16).
EXACT_ROWS = 4 * RANK_BUDGET
K1, B = 1.2, 0.75  # FTS5's bm25() constants
WEIGHTS = (0.5, 1.0)  # header, text: the title/date header weighs half as much as the body


def candidates(n: int) -> int:
    """Rows ranked by the rare terms that go on to be scored on the common ones too."""
    return max(4 * n, 200)


def split_terms(terms: Sequence[str], dfs: dict[str, int]) -> tuple[list[str], list[str]]:
    """(rare, common): the rarest terms whose matches add up to at most RANK_BUDGET rows;
    (terms, []) when all of them match at most EXACT_ROWS rows together."""
    if sum(dfs[t] for t in terms) <= EXACT_ROWS:
        return list(terms), []
    rare: list[str] = []
    total = 0
    for t in sorted(terms, key=lambda t: (dfs[t], t)):
        if rare and total + dfs[t] > RANK_BUDGET:
            break
        rare.append(t)
        total += dfs[t]
    return rare, [t for t in terms if t not in rare]


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


def pruned(
    conn: sqlite3.Connection,
    rare_match: str,
    common: Sequence[str],
    dfs: dict[str, int],
    n_rows: int,
    avgdl: float,
    n: int,
) -> list[tuple[str, str, float]]:
    """(chunk id, article id, score) of the n best rows by the rare terms' exact share plus
    the common terms' estimated share (see the module docstring). `rare_match` is the rare
    terms' MATCH expression."""
    rows = conn.execute(
        "SELECT c.id, c.article_id, f.s, c.header, c.text, d.sz FROM (SELECT rowid, "
        "-bm25(chunks_fts, 0.5, 1.0) AS s FROM chunks_fts WHERE chunks_fts MATCH ? "
        "ORDER BY s DESC LIMIT ?) f JOIN chunks c ON c.rowid = f.rowid "
        "LEFT JOIN chunks_fts_docsize d ON d.id = f.rowid",
        (rare_match, candidates(n)),
    ).fetchall()
    idf = {t: fts5_idf(n_rows, dfs[t]) for t in common}
    stem_of = {t: stem(t) for t in common}
    pattern = _stems_pattern(tuple(sorted(set(stem_of.values()), key=lambda x: (-len(x), x))))
    scored = []
    for cid, aid, s, header, text, sz in rows:
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

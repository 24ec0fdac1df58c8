"""Retrieval quality on the generated questions: BM25 alone, dense alone, ours (hybrid), and
the stock LlamaIndex retriever, all in the same run over the same questions.

A question is a hit@5 when any of its gold articles (the article and its near-duplicates)
owns one of the first 5 chunks returned; MRR@10 is 1 / the rank of the first such chunk in
the first 10 (0 when none). BM25 alone is `Store.keyword`, dense alone `Store.dense` (both
exactly what hybrid fuses), ours is `KnowledgeBase.search` (z-score fusion), and "RRF" is the
same search with `fusion = "rrf"`: reciprocal rank fusion, the usual default, over the same two
lists.

Worker usage:
    python -m evals.bench.quality --index DIR [--stock CHROMA_DIR] --questions Q.jsonl \
        --result R.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from evals.bench import render_table, write_result

K_HIT = 5
K_MRR = 10
METHODS = ("bm25", "dense", "rrf", "hybrid", "stock")
LABELS = {
    "bm25": "BM25 alone (Store.keyword)",
    "dense": "dense alone (Store.dense)",
    "rrf": "hybrid, reciprocal rank fusion",
    "hybrid": "ours: hybrid, z-score fusion (kb.search)",
    "stock": "stock LlamaIndex retriever",
}


def first_gold_rank(article_ids: Sequence[str], gold: Sequence[str]) -> int | None:
    """1-based rank of the first result from a gold article, or None."""
    for rank, aid in enumerate(article_ids, start=1):
        if aid in gold:
            return rank
    return None


def score(ranks: Sequence[int | None]) -> dict[str, float]:
    """hit@5 and MRR@10 from first-gold ranks."""
    n = max(1, len(ranks))
    return {
        "hit@5": sum(1 for r in ranks if r is not None and r <= K_HIT) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= K_MRR) / n,
        "n": len(ranks),
    }


def worker_quality(index: str, questions: str, stock: str | None) -> dict[str, Any]:
    """Rank the gold articles with each retriever; metrics overall and per question style."""
    from qa.api import KnowledgeBase
    from qa.retrieve import retrieve
    from qa.store import Filters

    with open(questions, encoding="utf-8") as fh:
        qs = [json.loads(line) for line in fh if line.strip()]
    kb = KnowledgeBase(index)
    rrf_settings = kb.settings.model_copy(update={"fusion": "rrf"})
    stock_ret = None
    if stock:
        from evals.bench.query import open_stock_retriever

        stock_ret = open_stock_retriever(stock, K_MRR)
    ranks: dict[str, list[int | None]] = {m: [] for m in METHODS}
    styles: list[str] = []
    for q in qs:
        text, gold = q["question"], q["articles"]
        styles.append(q.get("style", ""))
        kw = kb.store.keyword(text, K_MRR, Filters())
        ranks["bm25"].append(first_gold_rank([s.article_id for s in kw], gold))
        vec = kb.embedder.embed([text])[0]
        dense = kb.store.dense(vec, K_MRR, Filters())
        ranks["dense"].append(first_gold_rank([s.article_id for s in dense], gold))
        hits = kb.search(text, k=K_MRR)
        ranks["hybrid"].append(first_gold_rank([h.article_id for h in hits], gold))
        hits = retrieve(kb.store, kb.embedder, text, rrf_settings, k=K_MRR).hits
        ranks["rrf"].append(first_gold_rank([h.article_id for h in hits], gold))
        if stock_ret is not None:
            nodes = stock_ret.retrieve(text)
            ranks["stock"].append(first_gold_rank([n.node.ref_doc_id or "" for n in nodes], gold))
    kb.close()
    out: dict[str, Any] = {"questions": len(qs), "metrics": {}}
    for m, rs in ranks.items():
        if not rs:
            continue
        out["metrics"][m] = {
            "all": score(rs),
            **{
                st: score([r for r, s in zip(rs, styles, strict=True) if s == st])
                for st in sorted(set(styles))
            },
        }
    return out


def quality_table(n: int, q: dict[str, Any]) -> str:
    """hit@5 / MRR@10 per retriever, ours against the best single retriever."""
    m = q["metrics"]
    styles = [k for k in m["hybrid"] if k != "all"]
    headers = ["retriever", "questions", "hit@5", "MRR@10"] + [f"hit@5 {s}" for s in styles]
    headers += ["hit@5 vs ours"]
    ours = m["hybrid"]["all"]["hit@5"]
    rows = []
    for key in METHODS:
        if key not in m:
            continue
        r = m[key]
        rows.append(
            [LABELS[key], r["all"]["n"], f"{r['all']['hit@5']:.3f}", f"{r['all']['mrr@10']:.3f}"]
            + [f"{r[s]['hit@5']:.3f}" for s in styles]
            + [f"{r['all']['hit@5'] - ours:+.3f}"]
        )
    best_single = max(m["bm25"]["all"]["hit@5"], m["dense"]["all"]["hit@5"])
    if ours > best_single:
        verdict = "ahead of"
    elif ours == best_single:
        verdict = "level with the better of"
    else:
        verdict = "BEHIND"
    notes = [
        f"Hybrid is {verdict} BM25 alone and dense alone on hit@5 "
        f"({ours:.3f} vs best single {best_single:.3f}; target: ahead). MRR@10: ours "
        f"{m['hybrid']['all']['mrr@10']:.3f}, BM25 {m['bm25']['all']['mrr@10']:.3f}, dense "
        f"{m['dense']['all']['mrr@10']:.3f}.",
        "Styles: 'named' questions name the article's lead person; 'described' ones use the "
        "story's own words without the person; 'paraphrased' ones use other words.",
    ]
    return render_table(f"Retrieval quality, N = {n:,}", headers, rows, notes)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.quality")
    p.add_argument("--index", required=True)
    p.add_argument("--questions", required=True)
    p.add_argument("--stock")
    p.add_argument("--result", required=True)
    a = p.parse_args(argv)
    write_result(a.result, worker_quality(a.index, a.questions, a.stock))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Retrieval quality: BM25 alone, dense alone, RRF, ours, and stock LlamaIndex retrievers, all
in the same run over the same questions.

Two hit definitions (issue 12). *hit@5*: a gold article (the article and its near-duplicates,
or a newsroom question's `articles`) owns one of the first 5 chunks returned; MRR@10 is
1 / the rank of the first such chunk in the first 10 (0 when none). *answer hit@5*: one of
the question's `accept` strings occurs (case-insensitive) in one of the first 5 chunks. BM25
alone is `Store.keyword`, dense alone `Store.dense` (both exactly what hybrid fuses), ours is
`KnowledgeBase.search`, and "RRF" is the same search with `fusion = "rrf"`: reciprocal rank
fusion, the usual default, over the same two lists.

Two stock baselines: the stock LlamaIndex dense retriever over the stock ingest's own Chroma
collection (`--stock`), and the stock *fusion* retriever exactly as issue 12 defines it
(`--fusion`): llama-index `SentenceSplitter(chunk_size=256, chunk_overlap=32)` over title +
text, a `BM25Retriever` (llama-index-retrievers-bm25) and a MiniLM `VectorStoreIndex`
retriever, fused by `QueryFusionRetriever(mode="reciprocal_rerank", num_queries=1)`. It is
built in memory from the same cleaned articles ours holds, so the two differ in retrieval only.

Questions with `answer: null` (the newsroom suite's unanswerable ones) are left out: there is
nothing to retrieve. Figures are given overall, per question style (generated corpus) and per
`split` (the newsroom suite's tune / test halves).

Worker usage:
    python -m evals.bench.quality --index DIR [--ingest PATH ...] [--stock CHROMA_DIR] \
        [--fusion] --questions Q.jsonl --result R.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from evals.bench import render_table, write_result

K_HIT = 5
K_MRR = 10
METHODS = ("bm25", "dense", "rrf", "hybrid", "stock", "fusion")
LABELS = {
    "bm25": "BM25 alone (Store.keyword)",
    "dense": "dense alone (Store.dense)",
    "rrf": "hybrid, reciprocal rank fusion",
    "hybrid": "ours: hybrid, z-score + sentence evidence (kb.search)",
    "stock": "stock LlamaIndex retriever (dense)",
    "fusion": "stock LlamaIndex fusion (BM25 + dense, RRF)",
}
# The issue 12 target: ours ahead of the stock fusion retriever by this much article hit@5 on
# the test halves (and ahead on MRR@10).
TARGET_MARGIN = 0.02


def first_gold_rank(article_ids: Sequence[str], gold: Sequence[str]) -> int | None:
    """1-based rank of the first result from a gold article, or None."""
    for rank, aid in enumerate(article_ids, start=1):
        if aid in gold:
            return rank
    return None


def first_answer_rank(texts: Sequence[str], accept: Sequence[str]) -> int | None:
    """1-based rank of the first chunk holding one of the accepted answers, or None."""
    wanted = [a.lower() for a in accept if a]
    for rank, text in enumerate(texts, start=1):
        low = text.lower()
        if any(a in low for a in wanted):
            return rank
    return None


def score(ranks: Sequence[int | None], answer_ranks: Sequence[int | None] = ()) -> dict:
    """hit@5 and MRR@10 from first-gold ranks; answer hit@5 from first-answer ranks."""
    n = max(1, len(ranks))
    out: dict[str, float] = {
        "hit@5": sum(1 for r in ranks if r is not None and r <= K_HIT) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= K_MRR) / n,
        "n": len(ranks),
    }
    if answer_ranks:
        out["answer_hit@5"] = sum(1 for r in answer_ranks if r is not None and r <= K_HIT) / n
    return out


def build_stock_fusion(kb: Any, k: int) -> tuple[Any, int]:
    """The stock fusion retriever of issue 12 over the articles `kb` holds (cleaned text), and
    how many nodes it split them into."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.retrievers.bm25 import BM25Retriever

    from qa.embed import as_llama_embedding

    docs = [
        Document(text=f"{a.title}\n\n{kb.article_text(a.id)}", doc_id=a.id) for a in kb.articles()
    ]
    nodes = SentenceSplitter(chunk_size=256, chunk_overlap=32).get_nodes_from_documents(docs)
    dense = VectorStoreIndex(nodes, embed_model=as_llama_embedding(kb.embedder))
    return QueryFusionRetriever(
        [
            dense.as_retriever(similarity_top_k=k),
            BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=k),
        ],
        similarity_top_k=k,
        num_queries=1,
        mode="reciprocal_rerank",
        use_async=False,
        llm=MockLLM(),  # num_queries=1 generates no queries; without an llm it asks for OpenAI
    ), len(nodes)


def load_questions(path: str) -> list[dict[str, Any]]:
    """The answerable questions of a suite or generated set (`answer: null` ones left out)."""
    with open(path, encoding="utf-8") as fh:
        qs = [json.loads(line) for line in fh if line.strip()]
    out = []
    for q in qs:
        if "answer" in q and q["answer"] is None:
            continue
        q.setdefault("accept", [q["answer"]] if q.get("answer") else [])
        out.append(q)
    return out


def worker_quality(
    index: str,
    questions: str,
    stock: str | None,
    fusion: bool = False,
    ingest: Sequence[str] = (),
) -> dict[str, Any]:
    """Rank the gold articles and answers with each retriever; metrics overall and per group."""
    from qa.api import KnowledgeBase, clean_question

    qs = load_questions(questions)
    kb = KnowledgeBase(index)
    out: dict[str, Any] = {"questions": len(qs), "metrics": {}}
    if ingest:
        out["ingest"] = kb.ingest(list(ingest)).summary()
    runs = _our_retrievers(kb)
    if stock:
        from evals.bench.query import open_stock_retriever

        runs["stock"] = _nodes_of(open_stock_retriever(stock, K_MRR))
    if fusion:
        fused, out["fusion_nodes"] = build_stock_fusion(kb, K_MRR)
        runs["fusion"] = _nodes_of(fused)

    ranks: dict[str, list[int | None]] = {m: [] for m in runs}
    answers: dict[str, list[int | None]] = {m: [] for m in runs}
    groups: list[tuple[str, ...]] = []
    for q in qs:
        text = clean_question(q["question"])
        groups.append(tuple(g for g in (q.get("style"), q.get("split")) if g))
        for m, run in runs.items():
            arts, texts = run(text)
            ranks[m].append(first_gold_rank(arts[:K_MRR], q["articles"]))
            answers[m].append(first_answer_rank(texts[:K_MRR], q["accept"]))
    kb.close()
    names = sorted({g for gs in groups for g in gs})
    for m in runs:
        out["metrics"][m] = {"all": score(ranks[m], answers[m])}
        for g in names:
            keep = [i for i, gs in enumerate(groups) if g in gs]
            out["metrics"][m][g] = score([ranks[m][i] for i in keep], [answers[m][i] for i in keep])
    return out


# A retriever as the comparison sees it: question -> (article ids, chunk texts), best first.
Ranker = Callable[[str], tuple[list[str], list[str]]]


def _our_retrievers(kb: Any) -> dict[str, Ranker]:
    """Keyword alone, dense alone, our hybrid with RRF fusion, and our hybrid as shipped."""
    from qa.retrieve import retrieve
    from qa.store import Filters

    rrf_settings = kb.settings.model_copy(update={"fusion": "rrf"})

    def listed(scored: list[Any]) -> tuple[list[str], list[str]]:
        rows = kb.store.chunk_rows([s.chunk_id for s in scored])
        return [s.article_id for s in scored], [
            rows[s.chunk_id]["text"] if s.chunk_id in rows else "" for s in scored
        ]

    def ours(text: str) -> tuple[list[str], list[str]]:
        hits = kb.search(text, k=K_MRR)
        return [h.article_id for h in hits], [h.text for h in hits]

    def ours_rrf(text: str) -> tuple[list[str], list[str]]:
        found = retrieve(kb.store, kb.embedder, text, rrf_settings, K_MRR, max_per_article=K_MRR)
        return [h.article_id for h in found.hits], [h.text for h in found.hits]

    return {
        "bm25": lambda text: listed(kb.store.keyword(text, K_MRR, Filters())),
        "dense": lambda text: listed(
            kb.store.dense(kb.embedder.embed([text])[0], K_MRR, Filters())
        ),
        "rrf": ours_rrf,
        "hybrid": ours,
    }


def _nodes_of(retriever: Any) -> Ranker:
    """A LlamaIndex retriever as a `Ranker`."""

    def run(text: str) -> tuple[list[str], list[str]]:
        nodes = retriever.retrieve(text)
        return [n.node.ref_doc_id or "" for n in nodes], [n.node.get_content() for n in nodes]

    return run


def _vs_fusion(m: dict[str, Any], group: str, label: str) -> str:
    """Ours against the stock fusion retriever on one group (the target is judged per half,
    in `summary_table`)."""
    if "fusion" not in m or group not in m["fusion"]:
        return ""
    ours, stock = m["hybrid"][group], m["fusion"][group]
    return (
        f"Ours vs stock fusion{label}: hit@5 {ours['hit@5'] - stock['hit@5']:+.3f}, MRR@10 "
        f"{ours['mrr@10'] - stock['mrr@10']:+.3f}, answer hit@5 "
        f"{ours['answer_hit@5'] - stock['answer_hit@5']:+.3f}."
    )


def quality_table(n: int, q: dict[str, Any], title: str | None = None, half: str = "") -> str:
    """hit@5 / MRR@10 / answer hit@5 per retriever, ours against the best single retriever."""
    m = q["metrics"]
    styles = [k for k in m["hybrid"] if k != "all"]
    headers = ["retriever", "questions", "hit@5", "MRR@10", "answer hit@5"]
    headers += [f"hit@5 {s}" for s in styles] + ["hit@5 vs ours"]
    ours = m["hybrid"]["all"]["hit@5"]
    rows = []
    for key in METHODS:
        if key not in m:
            continue
        r = m[key]
        rows.append(
            [LABELS[key], r["all"]["n"], f"{r['all']['hit@5']:.3f}", f"{r['all']['mrr@10']:.3f}"]
            + [f"{r['all'].get('answer_hit@5', float('nan')):.3f}"]
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
    ]
    if vs := _vs_fusion(m, "all", f" ({half})" if half else ""):
        notes.append(vs)
    notes.append(
        "hit@5: a gold article owns one of the first 5 chunks; answer hit@5: a gold answer "
        "string occurs in one of them. Styles: 'named' questions name the article's lead "
        "person; 'described' ones use the story's own words without the person; "
        "'paraphrased' ones use other words."
    )
    return render_table(title or f"Retrieval quality, N = {n:,}", headers, rows, notes)


def halves_table(title: str, q: dict[str, Any], halves: Sequence[str] = ("tune", "test")) -> str:
    """One row per retriever, hit@5 / MRR@10 / answer hit@5 for each half side by side."""
    m = q["metrics"]
    halves = [h for h in halves if h in m["hybrid"]]
    headers = ["retriever"]
    for h in halves:
        headers += [f"{h}: hit@5", f"{h}: MRR@10", f"{h}: answer hit@5"]
    rows = []
    for key in METHODS:
        if key not in m:
            continue
        row: list[Any] = [LABELS[key]]
        for h in halves:
            r = m[key][h]
            row += [f"{r['hit@5']:.3f}", f"{r['mrr@10']:.3f}", f"{r['answer_hit@5']:.3f}"]
        rows.append(row)
    counts = ", ".join(f"{h} {m['hybrid'][h]['n']}" for h in halves)
    notes = [f"Answerable questions: {counts} (the unanswerable ones have nothing to retrieve)."]
    notes += [vs for h in halves if (vs := _vs_fusion(m, h, f" ({h} half)"))]
    if q.get("fusion_nodes"):
        notes.append(f"Stock fusion split the same articles into {q['fusion_nodes']:,} nodes.")
    return render_table(title, headers, rows, notes)


def summary_table(halves: dict[str, tuple[dict[str, Any], str, bool]]) -> str:
    """Ours against the stock fusion retriever on each half: (result, group, is a test half)
    by half label; the target is judged on the test halves only."""
    headers = ["half", "questions", "hit@5 ours", "hit@5 stock fusion", "hit@5 +/-",
               "MRR@10 ours", "MRR@10 stock fusion", "MRR@10 +/-", "answer hit@5 ours",
               "answer hit@5 stock fusion", "target"]  # fmt: skip
    rows = []
    for label, (q, group, test) in halves.items():
        ours = q["metrics"]["hybrid"][group]
        stock = q["metrics"].get("fusion", {}).get(group)
        row: list[Any] = [label, ours["n"], f"{ours['hit@5']:.3f}"]
        if stock is None:
            rows.append(row + ["-", "-", f"{ours['mrr@10']:.3f}", "-", "-",
                               f"{ours['answer_hit@5']:.3f}", "-", "-"])  # fmt: skip
            continue
        d_hit, d_mrr = ours["hit@5"] - stock["hit@5"], ours["mrr@10"] - stock["mrr@10"]
        if not test:
            verdict = "- (tuning half)"
        elif d_hit >= TARGET_MARGIN - 1e-9 and d_mrr > 0:
            verdict = "met"
        elif 1.0 - stock["hit@5"] < TARGET_MARGIN and ours["hit@5"] >= stock["hit@5"]:
            verdict = "hit@5 saturated; MRR ahead" if d_mrr > 0 else "hit@5 saturated; MRR BEHIND"
        else:
            verdict = "not met"
        rows.append(
            row
            + [f"{stock['hit@5']:.3f}", f"{d_hit:+.3f}", f"{ours['mrr@10']:.3f}"]
            + [f"{stock['mrr@10']:.3f}", f"{d_mrr:+.3f}", f"{ours['answer_hit@5']:.3f}"]
            + [f"{stock['answer_hit@5']:.3f}", verdict]
        )
    notes = [
        "Parameters are chosen on the tune halves and only confirmed on the test halves. Target "
        f"(issue 12): on both test halves, hit@5 at least +{TARGET_MARGIN:.2f} over the stock "
        "fusion retriever and MRR@10 ahead; where stock fusion's hit@5 leaves less than "
        f"{TARGET_MARGIN:.2f} of room, MRR@10 and answer hit@5 decide."
    ]
    return render_table("Retrieval quality: ours vs stock fusion, per half", headers, rows, notes)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.quality")
    p.add_argument("--index", required=True)
    p.add_argument("--questions", required=True)
    p.add_argument("--ingest", nargs="*", default=[], help="ingest these paths first")
    p.add_argument("--stock", help="the stock ingest's Chroma folder (stock dense row)")
    p.add_argument("--fusion", action="store_true", help="add the stock fusion retriever row")
    p.add_argument("--result", required=True)
    a = p.parse_args(argv)
    write_result(a.result, worker_quality(a.index, a.questions, a.stock, a.fusion, a.ingest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

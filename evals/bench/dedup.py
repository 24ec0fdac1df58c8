"""Syndicated-copy detection (qa/dupes.py) at ingest: its cost at 10,000 articles, and how
often it merges articles that are not copies.

Cost: `Grouper.assign` (MinHash, LSH query, the date and changed-figures checks) over every
article of the generated bench corpus (evals/bench/corpus.py), the way ingest calls it, plus
loading the LSH index back from 10,000 stored signatures (what the next ingest does first).
The share of ingest time is that cost over the full-ingest time of the same corpus, measured by
`python -m evals.bench` (`--ingest-seconds`, docs/benchmarks.md) or, without it, over a
real `kb.ingest` of the first `--sample` articles timed in this run and scaled per article.

Quality: pairs grouped that the labels say are different stories (false merges) and labelled
copies left apart (misses), on the bench corpus (`dup_of`) and on the newsroom suite
(`dup_group` in evals/suites/newsroom/stories.json).

    python -m evals.bench.dedup [--n 10000] [--sample 200] [--ingest-seconds S] [--json OUT]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.bench import corpus as bench_corpus

NEWSROOM = Path(__file__).resolve().parents[1] / "suites" / "newsroom"


class _Empty:
    """A store with nothing in it yet: a first ingest (texts come from the run itself)."""

    def group_signatures(self) -> list[Any]:
        return []

    def article_text(self, _aid: str) -> None:
        return None


def _pairs(groups: dict[str, str], truth: dict[str, str]) -> tuple[int, int, int]:
    """(false merges, misses, labelled copy pairs) over every pair of ids in `truth`."""
    false = missed = labelled = 0
    ids = sorted(truth)
    by_group: dict[str, list[str]] = {}
    for a in ids:
        by_group.setdefault(groups[a], []).append(a)
    for members in by_group.values():
        false += sum(truth[a] != truth[b] for a, b in itertools.combinations(members, 2))
    by_truth: dict[str, list[str]] = {}
    for a in ids:
        by_truth.setdefault(truth[a], []).append(a)
    for members in by_truth.values():
        for a, b in itertools.combinations(members, 2):
            labelled += 1
            missed += groups[a] != groups[b]
    return false, missed, labelled


def bench_corpus_run(n: int, seed: int) -> dict[str, Any]:
    from qa.corpus import Article
    from qa.dupes import Grouper, from_bytes

    c = bench_corpus.generate(n, seed)
    arts = [
        Article(a.id, a.text, a.title, a.source, a.published_at, a.url, a.author, "bench")
        for a in c.articles
        if not a.exact_dup  # ingest records exact copies by their hash, no MinHash
    ]
    g = Grouper(_Empty())  # type: ignore[arg-type]
    t0 = time.perf_counter()
    groups = {a.id: g.assign(a) for a in arts}
    assign_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    g2 = Grouper(_Empty())  # type: ignore[arg-type]
    g2._load()
    for aid, (gid, sig) in groups.items():
        g2._insert(aid, type(g._members[aid])(gid, None, from_bytes(sig)))
    load_s = time.perf_counter() - t0
    truth = {a.id: a.dup_of or a.id for a in c.articles if not a.exact_dup}
    false, missed, labelled = _pairs({k: v[0] for k, v in groups.items()}, truth)
    return {
        "articles": len(arts),
        "assign_s": round(assign_s, 3),
        "load_s": round(load_s, 3),
        "false_merges": false,
        "missed": missed,
        "copy_pairs": labelled,
    }


def newsroom_run() -> dict[str, Any]:
    from qa.corpus import load
    from qa.dupes import Grouper

    stories = json.loads((NEWSROOM / "stories.json").read_text(encoding="utf-8"))
    label = {a["id"]: a["dup_group"] or a["id"] for s in stories for a in s["articles"]}
    arts = [a for a in load([NEWSROOM / "articles"]) if getattr(a, "id", None) in label]
    g = Grouper(_Empty())  # type: ignore[arg-type]
    groups = {a.id: g.assign(a)[0] for a in arts}
    false, missed, labelled = _pairs(groups, {a.id: label[a.id] for a in arts})
    return {"articles": len(arts), "false_merges": false, "missed": missed, "copy_pairs": labelled}


def sample_ingest(n: int, seed: int) -> dict[str, Any]:
    """A real kb.ingest of n bench articles: seconds per article and the dedup share."""
    from qa import KnowledgeBase

    c = bench_corpus.generate(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_corpus.write_jsonl(c.articles, Path(tmp) / "corpus.jsonl")
        with KnowledgeBase(Path(tmp) / "index") as kb:
            kb.embedder.embed(["warm up"])
            t0 = time.perf_counter()
            report = kb.ingest([path])
            total = time.perf_counter() - t0
    return {
        "articles": n,
        "ingest_s": round(total, 3),
        "dedup_s": round(report.dedup_ms / 1e3, 3),
        "dedup_share": round(report.dedup_ms / 1e3 / total, 4),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.dedup")
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sample", type=int, default=200, help="articles of the real ingest")
    p.add_argument("--ingest-seconds", type=float, help="full ingest of --n articles, measured")
    p.add_argument("--json", help="write the figures here")
    a = p.parse_args(argv)
    if not (a.sample or a.ingest_seconds):
        p.error("give --sample N (a real ingest to scale from) or --ingest-seconds S")
    big = bench_corpus_run(a.n, a.seed)
    news = newsroom_run()
    sample = sample_ingest(a.sample, a.seed) if a.sample else None
    if a.ingest_seconds:
        full, how = a.ingest_seconds, "given"
    else:
        full, how = sample["ingest_s"] / sample["articles"] * big["articles"], "scaled"
    share = big["assign_s"] / full
    out = {"bench": big, "newsroom": news, "sample": sample, "ingest_s": full, "share": share}
    print(
        f"| corpus | articles | dedup s | index load s | ingest s ({how}) | share | "
        "false merges | missed / copy pairs |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| bench (seed {a.seed}) | {big['articles']:,} | {big['assign_s']:.1f} | "
        f"{big['load_s']:.1f} | {full:,.0f} | {share:.1%} | {big['false_merges']} | "
        f"{big['missed']} / {big['copy_pairs']} |"
    )
    print(
        f"| newsroom suite | {news['articles']} | – | – | – | – | {news['false_merges']} | "
        f"{news['missed']} / {news['copy_pairs']} |"
    )
    if sample:
        print(
            f"\nReal kb.ingest of {sample['articles']} articles: {sample['ingest_s']:.1f} s, "
            f"of which dedup {sample['dedup_s']:.2f} s ({sample['dedup_share']:.1%})."
        )
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

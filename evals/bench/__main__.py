"""`python -m evals.bench`: run every benchmark, print the tables, write JSON and Markdown.

    python -m evals.bench [--sizes 100,1000] [--out DIR] [--quick] [--keep]
    python -m evals.bench --scale [--sizes 100000,1000000] [--vectors synthetic|real] [--out DIR]

Per N: generate the corpus (seed 0); ingest it with ours, the raw embedder and stock
LlamaIndex; measure retrieval quality; at N >= 1,000 (or the largest N asked for) warm query
latency; then re-ingest unchanged and 1%-changed copies. Then retrieval quality on the two
halves retrieval is confirmed on (issue 12): the generated corpus of seed 7 at N = 1,000 (or
the largest N asked for, if smaller) and the newsroom suite (evals/suites/newsroom, its tune
and test splits; --quick leaves the stock fusion out there). Then the cold start of `qa ask`
on the largest index. Last (not with --quick), the grounding run: the local model over the
seed and newsroom suites with the fact check beside the earlier similarity check
(evals.bench.grounding). Writes
DIR/results.json and DIR/tables.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from evals.bench import NOISE_NOTE, ROOT, run_worker
from evals.bench.corpus import changed_copy, generate, write_jsonl, write_questions
from evals.bench.ingest import ingest_table, reingest_table, summarise
from evals.bench.quality import halves_table, quality_table, summary_table
from evals.bench.query import cold_start, cold_table, import_costs, latency_table

DEFAULT_SIZES = (100, 1000)
MAX_QUESTIONS = 300
LATENCY_MIN_N = 1000
# Retrieval is tuned on the generated corpus of seed 0 and the newsroom suite's tune split, and
# confirmed on seed 7 (at N = 1,000) and the newsroom test split (issue 12).
TUNE_SEED, CONFIRM_SEED, CONFIRM_N = 0, 7, 1000
NEWSROOM = ROOT / "evals" / "suites" / "newsroom"


def machine() -> dict[str, Any]:
    """Where the figures came from: CPU, cores, load, library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in ("chromadb", "llama-index-core", "onnxruntime", "tokenizers"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_avg": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def _emit(text: str, tables: list[str]) -> None:
    tables.append(text)
    print(text, flush=True)


def _step(label: str, module: str, args: list[str]) -> dict:
    t = time.perf_counter()
    print(f"[{label}] ...", file=sys.stderr, flush=True)
    r = run_worker(module, args)
    print(f"[{label}] done in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return r


# One benchmark step: (label, worker module, worker args) -> the worker's figures.
Step = Callable[[str, str, list[str]], dict]


def bench_size(
    n: int,
    work: Path,
    quick: bool,
    latency: bool,
    tables: list[str],
    baselines: bool = True,
    fusion: bool = True,
) -> dict:
    """Every per-N benchmark; returns its figures (and prints its tables as they finish)."""
    work.mkdir(parents=True, exist_ok=True)
    corpus = generate(n, seed=TUNE_SEED, max_questions=20 if quick else MAX_QUESTIONS)
    c_path = write_jsonl(corpus.articles, work / "corpus.jsonl")
    changed, changed_ids = changed_copy(corpus, 0.01)
    c1_path = write_jsonl(changed, work / "corpus-1pct.jsonl")
    q_path = write_questions(corpus.questions, work / "questions.jsonl")
    index, stock_dir = work / "index", work / "stock-chroma"
    res: dict[str, Any] = {"n": n, "questions": len(corpus.questions)}

    def step(name: str, module: str, args: list[str]) -> dict:
        return _step(f"N={n:,}: {name}", module, args)

    res.update(_ingests(step, c_path, index, work / "texts.json", stock_dir, baselines))
    res["summary"] = summarise(n, res["ours"], res["floor"], res["stock"])
    _emit(ingest_table(n, res["ours"], res["floor"], res["stock"]), tables)

    stock_args = ["--stock", str(stock_dir)] if baselines else []
    fusion_args = ["--fusion"] if fusion else []
    res["quality"] = step(
        "retrieval quality",
        "quality",
        ["--index", str(index), *stock_args, *fusion_args, "--questions", str(q_path)],
    )
    _emit(quality_table(n, res["quality"], half=f"seed {TUNE_SEED}, tuning half"), tables)

    if latency:
        ns, na = ("10", "10") if quick else ("100", "60")
        res["latency"] = step(
            "warm query latency",
            "query",
            ["--index", str(index), *stock_args, "--questions", str(q_path),
             "--n-search", ns, "--n-ask", na],
        )  # fmt: skip
        _emit(latency_table(n, res["latency"]), tables)

    res.update(_reingests(step, c_path, c1_path, index, len(changed_ids)))
    _emit(
        reingest_table(
            n, res["ours"], res["stock"], res["reingest_unchanged"], res["reingest_1pct"]
        ),
        tables,
    )
    res["index"] = str(index)
    res["question_example"] = corpus.questions[0].question
    return res


def _ingests(
    step: Step, corpus: Path, index: Path, texts: Path, stock_dir: Path, baselines: bool
) -> dict[str, Any]:
    """Ingest with ours, then (with `baselines`) the raw embedder alone and stock LlamaIndex."""
    res: dict[str, Any] = {
        "ours": step(
            "ingest (ours)",
            "ingest",
            ["ours", "--corpus", str(corpus), "--index", str(index), "--texts", str(texts)],
        ),
        "floor": None,
        "stock": None,
    }
    if baselines:
        res["floor"] = step("raw embedder (floor)", "ingest", ["floor", "--texts", str(texts)])
        res["stock"] = step(
            "stock LlamaIndex",
            "ingest",
            ["stock", "--corpus", str(corpus), "--chroma", str(stock_dir)],
        )
    return res


def _reingests(
    step: Step, corpus: Path, changed: Path, index: Path, n_changed: int
) -> dict[str, Any]:
    """Re-ingest the same corpus unchanged, then the copy with 1% of its articles changed."""
    res: dict[str, Any] = {}
    res["reingest_unchanged"] = step(
        "re-ingest unchanged",
        "ingest",
        ["reingest", "--corpus", str(corpus), "--index", str(index)],
    )
    res["reingest_1pct"] = step(
        "re-ingest 1% changed",
        "ingest",
        ["reingest", "--corpus", str(changed), "--index", str(index)],
    )
    res["reingest_1pct"]["changed_ids"] = n_changed
    return res


def bench_halves(
    n: int, work: Path, quick: bool, tables: list[str], fusion: bool = True
) -> dict[str, Any]:
    """Retrieval quality on the confirming half of the generated corpus (seed 7, N articles)
    and on the newsroom suite's tune and test splits, each ingested into its own index."""
    fusion_args = ["--fusion"] if fusion else []
    work.mkdir(parents=True, exist_ok=True)
    corpus = generate(n, seed=CONFIRM_SEED, max_questions=20 if quick else MAX_QUESTIONS)
    c_path = write_jsonl(corpus.articles, work / f"corpus-seed{CONFIRM_SEED}.jsonl")
    q_path = write_questions(corpus.questions, work / f"questions-seed{CONFIRM_SEED}.jsonl")
    out: dict[str, Any] = {"confirm_n": n, "confirm_seed": CONFIRM_SEED}
    out["confirm"] = _step(
        f"seed {CONFIRM_SEED}, N={n:,}: retrieval quality",
        "quality",
        ["--index", str(work / f"index-seed{CONFIRM_SEED}"), "--ingest", str(c_path),
         *fusion_args, "--questions", str(q_path)],
    )  # fmt: skip
    title = f"Retrieval quality, N = {n:,}, seed {CONFIRM_SEED} (the confirming half)"
    _emit(quality_table(n, out["confirm"], title, f"seed {CONFIRM_SEED}, confirming half"), tables)
    # --quick leaves the stock fusion out here: it re-embeds the whole suite in llama-index,
    # half of the smoke run's time; the full bench always has it.
    newsroom_fusion = [] if quick else fusion_args
    out["newsroom"] = _step(
        "newsroom suite: retrieval quality",
        "quality",
        ["--index", str(work / "index-newsroom"), "--ingest", str(NEWSROOM / "articles"),
         *newsroom_fusion, "--questions", str(NEWSROOM / "questions.jsonl")],
    )  # fmt: skip
    title = "Retrieval quality, newsroom suite (tune and test splits)"
    _emit(halves_table(title, out["newsroom"]), tables)
    return out


def run(
    sizes: list[int],
    out: Path,
    quick: bool = False,
    keep: bool = False,
    cold_runs: int = 3,
    baselines: bool = True,
    fusion: bool = True,
    grounding: bool = True,
) -> dict[str, Any]:
    """The whole benchmark; returns what it writes to out/results.json."""
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=out))
    started = time.perf_counter()
    tables: list[str] = []
    results: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": quick,
        "baselines": baselines,
        "note": NOISE_NOTE,
        "sizes": {},
    }
    try:
        big = max(sizes)
        any_big = any(n >= LATENCY_MIN_N for n in sizes)
        for n in sizes:
            latency = n >= LATENCY_MIN_N or (not any_big and n == big)
            results["sizes"][str(n)] = bench_size(
                n, work / f"n{n}", quick, latency, tables, baselines, fusion
            )
        confirm_n = min(big, CONFIRM_N)
        results["halves"] = bench_halves(confirm_n, work / "halves", quick, tables, fusion)
        _emit(summary_table(_per_half(results, big, confirm_n)), tables)
        _bench_cold_start(results, results["sizes"][str(big)], 1 if quick else cold_runs, tables)
        if grounding and not quick:
            _bench_grounding(results, tables)
    finally:
        results["wall_s"] = time.perf_counter() - started
        results["machine"]["load_avg_end"] = os.getloadavg()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    (out / "tables.md").write_text(_header(results) + "\n" + "\n".join(tables))
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    return results


def _per_half(results: dict[str, Any], big: int, confirm_n: int) -> dict[str, tuple]:
    """Each half retrieval is judged on: (its quality figures, the group, is it a test half)."""
    tune_n = confirm_n if str(confirm_n) in results["sizes"] else big
    halves = results["halves"]
    return {
        f"generated N = {tune_n:,}, seed {TUNE_SEED} (tune)": (
            results["sizes"][str(tune_n)]["quality"], "all", False,
        ),
        f"generated N = {confirm_n:,}, seed {CONFIRM_SEED} (test)": (
            halves["confirm"], "all", True,
        ),
        "newsroom suite, tune split": (halves["newsroom"], "tune", False),
        "newsroom suite, test split": (halves["newsroom"], "test", True),
    }  # fmt: skip


def _bench_cold_start(
    results: dict[str, Any], last: dict[str, Any], runs: int, tables: list[str]
) -> None:
    """The cold start of `qa ask` on the largest index, and what it imports."""
    print("[cold start] ...", file=sys.stderr, flush=True)
    results["cold_start"] = cold_start(last["index"], last["question_example"], runs)
    results["imports"] = import_costs(last["index"], last["question_example"])
    _emit(cold_table(results["cold_start"], results["imports"]), tables)


def _bench_grounding(results: dict[str, Any], tables: list[str]) -> None:
    from evals.bench.grounding import grounding_table, verifier_table

    print("[grounding] local model over the seed and newsroom suites ...", file=sys.stderr)
    results["grounding"] = run_worker("grounding", [])
    _emit(grounding_table(results["grounding"]), tables)
    _emit(verifier_table(results["grounding"]["verifier"]), tables)


def _header(results: dict[str, Any]) -> str:
    """The top of tables.md: when, on what machine and under what load."""
    m = results["machine"]
    return (
        f"# News QA benchmarks ({results['started_at']})\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, "
        f"load average at start {m['load_avg'][0]:.1f}, at end "
        f"{m['load_avg_end'][0]:.1f}; Python {m['python']}; "
        f"{', '.join(f'{k} {v}' for k, v in m['versions'].items())}.\n"
        f"Whole run: {results['wall_s'] / 60:.1f} min. {NOISE_NOTE}\n"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.split("\n")[0])
    p.add_argument(
        "--sizes",
        default=None,
        help="comma-separated corpus sizes (default 100,1000; add 10000 for the big run)",
    )
    p.add_argument(
        "--out",
        default=os.path.join(tempfile.gettempdir(), "news-qa-bench"),
        help="folder for results.json and tables.md (default: %(default)s)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="N = 20, few queries, no stock fusion on the newsroom suite: a smoke run",
    )
    p.add_argument("--keep", action="store_true", help="keep the generated corpora and indexes")
    p.add_argument(
        "--no-baselines",
        action="store_true",
        help="skip the floor and stock ingests (a big N in half the time; no ingest ratios)",
    )
    p.add_argument(
        "--no-fusion",
        action="store_true",
        help="skip the stock fusion retriever rows (at N = 10,000 it embeds every article again)",
    )
    p.add_argument(
        "--no-grounding",
        action="store_true",
        help="skip the local-model grounding run (evals.bench.grounding, ~30-60 min)",
    )
    p.add_argument(
        "--scale",
        action="store_true",
        help="run only the scale bench (evals/bench/scale.py; hours for 1M chunks, never in CI): "
        "--sizes are chunk counts (default 100000), --out keeps the resumable index",
    )
    p.add_argument(
        "--vectors",
        choices=["synthetic", "real"],
        default="synthetic",
        help="--scale: hashed vectors (minutes) or the real embedder (~80 min per 100k chunks)",
    )
    a = p.parse_args(argv)
    if a.scale:
        from evals.bench.scale import main as scale_main

        work = os.path.join(a.out, "scale")
        return scale_main(["--sizes", a.sizes or "100000", "--vectors", a.vectors, "--work", work])
    if a.sizes:
        sizes = [int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()]
    else:
        sizes = [20] if a.quick else list(DEFAULT_SIZES)
    results = run(
        sizes,
        Path(a.out),
        quick=a.quick,
        keep=a.keep,
        baselines=not a.no_baselines,
        fusion=not a.no_fusion,
        grounding=not a.no_grounding,
    )
    print(
        f"\nWhole run {results['wall_s'] / 60:.1f} min; wrote {a.out}/results.json and "
        f"{a.out}/tables.md",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Sentence vectors at ingest (settings `sentence_vectors`, qa/store/sentences.py): what they
cost the ingest and what they save a first ask, on real-length articles with the real model.

    python -m evals.bench.sentences [--corpus DIR] [--questions Q.jsonl] [--asks N] --work DIR

The corpus is ingested twice into fresh indexes, `ask` (the default: sentences are embedded
when an answer first weighs them) and `ingest` (every stored sentence embedded at ingest);
then each index answers the same questions, each asked once, in a fresh process (no
sentence in memory), and the answers are compared. Never run in CI.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from evals.bench import NOISE_NOTE, ROOT, percentile, render_table, run_worker, write_result

SUITE = ROOT / "evals" / "suites" / "newsroom"


def ingest_once(index: Path, corpus: Path, mode: str) -> dict[str, Any]:
    from qa import KnowledgeBase

    shutil.rmtree(index, ignore_errors=True)
    t = time.perf_counter()
    with KnowledgeBase(index, sentence_vectors=mode) as kb:
        report = kb.ingest([corpus])
    return {
        "s": time.perf_counter() - t,
        "chunks": report.chunks_added,
        "sentences": report.sentences_embedded,
    }


def asks(index: Path, questions: list[str]) -> dict[str, Any]:
    """Each question once, in this fresh process: per-ask answer stage and whole, the texts."""
    from qa import KnowledgeBase

    kb = KnowledgeBase(index)
    kb.search("warm up the index and the model")
    answer_ms, whole_ms, texts = [], [], []
    for q in questions:
        t = time.perf_counter()
        a = kb.ask(q, llm="extractive")
        whole_ms.append((time.perf_counter() - t) * 1e3)
        answer_ms.append(a.timings_ms["answer"])
        texts.append(a.text)
    kb.close()
    return {"answer_ms": answer_ms, "whole_ms": whole_ms, "texts": texts}


def run(corpus: Path, questions: Path, n: int, work: Path) -> dict[str, Any]:
    qs = [json.loads(x)["question"] for x in questions.read_text().splitlines() if x.strip()]
    qs = qs[:n]
    out: dict[str, Any] = {"questions": len(qs)}
    (work / "questions.json").write_text(json.dumps(qs))
    for mode in ("ask", "ingest"):
        index = work / f"index-{mode}"
        print(f"[sentences] ingest, sentence_vectors={mode} ...", file=sys.stderr, flush=True)
        out[mode] = {"ingest": ingest_once(index, corpus, mode)}
        print(f"[sentences] {len(qs)} first asks ...", file=sys.stderr, flush=True)
        args = ["asks", "--index", str(index), "--questions", str(work / "questions.json")]
        out[mode]["asks"] = run_worker("sentences", args)
    return out


def table(r: dict[str, Any]) -> str:
    a, i = r["ask"], r["ingest"]

    def pp(d: dict[str, Any], key: str) -> str:
        v = d["asks"][key]
        return f"{percentile(v, 50):.1f} / {percentile(v, 95):.1f}"

    same = sum(x == y for x, y in zip(a["asks"]["texts"], i["asks"]["texts"], strict=True))
    rows = [
        ["ingest s", f"{a['ingest']['s']:.1f}", f"{i['ingest']['s']:.1f}"],
        ["chunks / sentences embedded at ingest", f"{a['ingest']['chunks']:,} / 0",
         f"{i['ingest']['chunks']:,} / {i['ingest']['sentences']:,}"],
        ["first ask: answer stage p50 / p95 ms", pp(a, "answer_ms"), pp(i, "answer_ms")],
        ["first ask: whole p50 / p95 ms", pp(a, "whole_ms"), pp(i, "whole_ms")],
        ["answers the same", "-", f"{same} of {r['questions']}"],
    ]  # fmt: skip
    return render_table(
        f"Sentence vectors: at the first ask (default) or at ingest ({r['questions']} "
        "questions, each asked once in a fresh process)",
        ["", "sentence_vectors = ask", "sentence_vectors = ingest"],
        rows,
        [NOISE_NOTE],
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.sentences")
    p.add_argument("mode", nargs="?", default="run", choices=["run", "asks"])
    p.add_argument("--corpus", default=str(SUITE / "articles"))
    p.add_argument("--questions", default=str(SUITE / "questions.jsonl"))
    p.add_argument("--asks", type=int, default=120)
    p.add_argument("--work", default="sentences-work")
    p.add_argument("--index", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.mode == "asks":
        write_result(a.result, asks(Path(a.index), json.loads(Path(a.questions).read_text())))
        return 0
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    r = run(Path(a.corpus), Path(a.questions), a.asks, work)
    (work / "sentences.json").write_text(json.dumps(r, indent=2))
    print(table(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

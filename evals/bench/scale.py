"""Scale bench (issue 16): warm search and ask latency per stage, RSS and index size at ~100k
and ~1M chunks, built from the generator with long articles. Never run in CI.

    python -m evals.bench.scale --sizes 100000,1000000 --vectors synthetic --work DIR
    python -m evals.bench --scale ...                  # the same, from the bench's entry point

Corpus: article i is the generated article i (seed 0) followed by the bodies of the generated
articles i of seeds 1..K, the same lead person in each, so an article runs to ~10 chunks of
256 word pieces (the generator's own articles are 1-3 chunks; real news articles ran to ~10 in
issue 16's 8,009-article sample). Beyond the generator's 24,000 unique lead names, names repeat.

Building is resumable: the index grows in steps of `--step` articles through the real
`KnowledgeBase.ingest` (chunking, two-phase write, FTS5), and `progress.json` in the work
folder records each finished step, so a killed build continues where it stopped (ingest
itself skips articles already stored). The sizes are checkpoints of one growing index: the
100k index is measured, then grown to 1M.

`--vectors synthetic` stores hashed unit vectors of the embedder's dimension instead of
embedding the chunks (the chunker still uses the real tokenizer), so the keyword, dense and
fusion stages, RSS and index size can be measured at scale in minutes; queries are embedded
by the real model, so the query-embed stage is real. Random vectors are the hard case for
HNSW (no clusters), and dense hits are meaningless, so quality is not reported in that mode.
`--vectors real` embeds every chunk with the real model: ~21 chunks/s on two cores, i.e.
~80 minutes per 100k chunks and ~13 hours for 1M.

Each size is measured in a fresh process (`measure`): `--searches` searches of other articles'
questions with the page cache as the process finds it, then, once the keyword index is read
into the page cache as a server does at start (qa/store/warm.py), `--searches` warm searches
(each question asked for the first time) and `--asks` extractive asks, per-stage p50/p95
(qa.types.STAGES), wall p50/p95, RSS, the index's size on disk; beside them, in the same
process and on the same queries, the baseline: the keyword stage as it was before issue 16
(FTS5 ranking every row that matches any query term).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench import NOISE_NOTE, percentile, render_table, run_worker, write_result
from evals.bench.corpus import BenchArticle, _compose, _draft

SECTIONS = 7  # extra generated bodies per article: ~10 chunks with the first one
DEFAULT_STEP = 1000  # articles per resumable step


def long_article(i: int) -> BenchArticle:
    """Article i of seed 0, with the bodies of article i of seeds 1..SECTIONS appended."""
    base = _compose(i, 0)
    parts = base.text.split("\n\n")
    head, body, foot = parts[:1], parts[1:-1], parts[-1:]
    for k in range(1, SECTIONS + 1):
        more = _compose(i, k).text.split("\n\n")[1:-1]  # no byline, no footer
        body += [p for p in more if not p.startswith(("Read more", "Sign up", "Advertisement"))]
    return BenchArticle(
        **{**base.__dict__, "id": f"scale-{i:06d}", "text": "\n\n".join(head + body + foot)}
    )


def question(i: int) -> dict[str, Any]:
    """The generator's question for article i (its answer is in the seed-0 part)."""
    draft, _, _ = _draft(0, i)
    q, ans, style = draft.questions[i % 3]
    return {"question": q, "answer": ans, "article": f"scale-{i:06d}", "style": style}


class SyntheticEmbedder:
    """The real tokenizer (chunk sizes stay real) with hashed unit vectors instead of the model."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.texts = 0

    def __getattr__(self, name: str) -> Any:  # count_tokens, tokenize, ...
        return getattr(self._real, name)

    def embed(self, texts: Any, batch_size: int = 32) -> np.ndarray:
        from qa.embed import DIM

        out = np.empty((len(texts), DIM), dtype=np.float32)
        for row, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(DIM)
            out[row] = v / np.linalg.norm(v)
        self.texts += len(texts)
        return out


# -- building ---------------------------------------------------------------------------


def _progress(work: Path) -> dict[str, Any]:
    path = work / "progress.json"
    return json.loads(path.read_text()) if path.exists() else {"articles": 0, "steps": []}


def _save_progress(work: Path, prog: dict[str, Any]) -> None:
    tmp = work / "progress.json.tmp"
    tmp.write_text(json.dumps(prog, indent=2))
    os.replace(tmp, work / "progress.json")  # a kill never leaves half a file


def build(work: Path, chunks: int, vectors: str, step: int = DEFAULT_STEP) -> dict[str, Any]:
    """Grow the index in `work` until it holds at least `chunks` chunks; resumable."""
    from qa import KnowledgeBase

    work.mkdir(parents=True, exist_ok=True)
    prog = _progress(work)
    if prog.get("vectors", vectors) != vectors:
        raise SystemExit(f"{work} was built with --vectors {prog['vectors']}; use another --work")
    prog["vectors"] = vectors
    with KnowledgeBase(work / "index", ingest_batch=512) as kb:
        if vectors == "synthetic":
            kb._embedder = SyntheticEmbedder(kb.embedder)
        have = kb.store.db.counts()["chunks"]
        while have < chunks:
            start = prog["articles"]
            t0 = time.perf_counter()
            shard = work / "shard.jsonl"
            with open(shard, "w", encoding="utf-8") as fh:
                for i in range(start, start + step):
                    fh.write(json.dumps(long_article(i).record()) + "\n")
            report = kb.ingest([shard])
            if report.failed:
                raise SystemExit(f"step at article {start} failed: {report.failed[:3]}")
            have = kb.store.db.counts()["chunks"]
            secs = time.perf_counter() - t0
            prog["articles"] = start + step
            prog["steps"].append({"articles": start + step, "chunks": have, "s": round(secs, 1)})
            _save_progress(work, prog)
            print(
                f"[scale] {start + step:,} articles, {have:,} chunks "
                f"(step {secs:.0f} s, {len(report.added) / secs:.1f} articles/s)",
                file=sys.stderr,
                flush=True,
            )
    return prog


# -- measuring (a fresh process per size) -------------------------------------------------


def _rss_mb() -> float:
    """This process's resident set size now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _baseline_keyword(kb: Any, text: str, n: int) -> list[str]:
    """The keyword stage before issue 16: FTS5 ranks every row matching any term (article ids)."""
    from qa.store.db import fts_match, fts_terms

    terms = fts_terms(text)
    if not terms:
        return []
    rows = kb.store.db.execute(
        "SELECT c.article_id FROM (SELECT rowid, -bm25(chunks_fts, 0.5, 1.0) AS s FROM "
        "chunks_fts WHERE chunks_fts MATCH ? ORDER BY s DESC LIMIT ?) f "
        "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.s DESC",
        (fts_match(terms), n),
    )
    return [r[0] for r in rows]


def _rank(ids: list[str], gold: str) -> float:
    """Reciprocal rank of the gold article in `ids` (0 when absent)."""
    return 1.0 / (ids.index(gold) + 1) if gold in ids else 0.0


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


def _windows(kb: Any, gold: str, last: str) -> dict[str, Any]:
    """The filters a user's scoped search brings: the gold article's month (`--since`/`--until`,
    or "in March 2025" in a question) and "until today" (`as_of`, which caps every ask)."""
    from qa.store import Filters

    day = (kb.store.db.article(gold).published_at or last)[:7]
    nxt = f"{int(day[:4]) + int(day[5:]) // 12}-{int(day[5:]) % 12 + 1:02d}-01"
    end = (dt.date.fromisoformat(nxt) - dt.timedelta(days=1)).isoformat()
    return {"month": Filters(since=f"{day}-01", until=end), "as_of": Filters(until=last)}


def filtered(kb: Any, qs: list[dict[str, Any]]) -> dict[str, Any]:
    """Searches in a date window, ours against Chroma's `where` and FTS5's filtered query (the
    dense and keyword stages before the filtered plan), on the same queries in turn."""
    from qa.api import clean_question
    from qa.retrieve import retrieve

    last = kb.store.db.execute("SELECT MAX(published_at) FROM articles").fetchone()[0]
    out: dict[str, dict[str, list[float]]] = {}
    for q in qs:
        text = clean_question(q["question"])
        v = kb.embedder.embed([text])[0]  # for the baseline's dense query
        for name, f in _windows(kb, q["article"], last).items():
            d = out.setdefault(name, {"whole": [], "dense": [], "keyword": [],
                                      "where_dense": [], "fts5_keyword": []})  # fmt: skip
            t = time.perf_counter()
            r = retrieve(kb.store, kb.embedder, text, kb.settings, 5, f, 5)
            d["whole"].append((time.perf_counter() - t) * 1e3)
            d["dense"].append(r.timings_ms["dense"])
            d["keyword"].append(r.timings_ms["keyword"])
            n = kb.settings.candidates
            t = time.perf_counter()
            kb.store.vectors.dense(v, n, f)  # Chroma filters by its `where`
            d["where_dense"].append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            _fts5_filtered(kb, text, n, f)
            d["fts5_keyword"].append((time.perf_counter() - t) * 1e3)
    return {w: {k: _stats(v) for k, v in d.items()} for w, d in out.items()}


def _fts5_filtered(kb: Any, text: str, n: int, f: Any) -> list[str]:
    """The filtered keyword query before the filtered plan: FTS5 ranks every matching row."""
    from qa.store.base import window_sql
    from qa.store.db import fts_match, fts_terms

    where, args = window_sql(f)
    rows = kb.store.db.execute(
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles "
        f"a ON a.id = c.article_id WHERE chunks_fts MATCH ? AND {' AND '.join(where)} "
        "ORDER BY -bm25(chunks_fts, 0.5, 1.0) DESC LIMIT ?",
        [fts_match(fts_terms(text)), *args, n],
    )
    return [r[0] for r in rows]


def measure(index: Path, articles: int, n_search: int, n_ask: int) -> dict[str, Any]:
    """Warm search and extractive ask per stage, the baseline keyword stage beside ours."""
    from qa.api import KnowledgeBase, clean_question
    from qa.retrieve import retrieve
    from qa.store import Filters
    from qa.types import STAGES

    step = max(1, articles // max(n_search, n_ask))
    qs = [question(i) for i in range(0, articles, step)]
    # Other articles' questions, searched first, with the page cache as the process found it;
    # then the keyword index is read into the page cache as a server does at start
    # (qa/store/warm.py), and the measured questions are each asked for the first time.
    others = [question(i) for i in range(step // 2, articles, step)] if step > 1 else []
    t0 = time.perf_counter()
    kb = KnowledgeBase(index)
    kb.search("warm up the index")
    kb.ask("Who won the mayoral election?", llm="extractive")
    open_s = time.perf_counter() - t0
    stages: dict[str, dict[str, list[float]]] = {
        op: {s: [] for s in STAGES} for op in ("search", "ask", "ask_again")
    }
    wall: dict[str, list[float]] = {
        "search_first": [],
        "search": [],
        "search_again": [],
        "ask": [],
        "ask_again": [],
        "keyword_again": [],
        "baseline_keyword": [],
    }
    rr = {"ours": [], "baseline": []}
    for q in others[:n_search]:
        t = time.perf_counter()
        retrieve(kb.store, kb.embedder, clean_question(q["question"]), kb.settings, 5, Filters(), 5)
        wall["search_first"].append((time.perf_counter() - t) * 1e3)
    t = time.perf_counter()
    warmed = kb.store.warm(wait=True)
    warm_s = time.perf_counter() - t
    for q in qs[:n_search]:
        text = clean_question(q["question"])
        t = time.perf_counter()
        r = retrieve(kb.store, kb.embedder, text, kb.settings, 5, Filters(), 5)
        wall["search"].append((time.perf_counter() - t) * 1e3)
        for s in ("embed_query", "dense", "keyword", "fuse", "retrieve"):
            stages["search"][s].append(r.timings_ms[s])
        # Both keyword plans again, timed after the search touched the same pages, ours and
        # the baseline in turn: the first plan run on a query pays for the page cache.
        n = kb.settings.candidates
        t = time.perf_counter()
        ours = [s.article_id for s in kb.store.keyword(text, n, Filters())]
        wall["keyword_again"].append((time.perf_counter() - t) * 1e3)
        t = time.perf_counter()
        base = _baseline_keyword(kb, text, n)
        wall["baseline_keyword"].append((time.perf_counter() - t) * 1e3)
        rr["ours"].append(_rank(list(dict.fromkeys(ours)), q["article"]))
        rr["baseline"].append(_rank(list(dict.fromkeys(base)), q["article"]))
    # The same searches again: each question's pages are then in SQLite's and the OS's
    # caches, as a question asked twice or an index in steady use finds them.
    for q in qs[:n_search]:
        t = time.perf_counter()
        retrieve(kb.store, kb.embedder, clean_question(q["question"]), kb.settings, 5, Filters(), 5)
        wall["search_again"].append((time.perf_counter() - t) * 1e3)
    # The same asks again: their sentences are then in the embedder's cache, so the second
    # pass shows what an ask costs besides embedding the answerer's shortlist.
    for op in ("ask", "ask_again"):
        for q in qs[:n_ask]:
            t = time.perf_counter()
            ans = kb.ask(q["question"], llm="extractive")
            wall[op].append((time.perf_counter() - t) * 1e3)
            for s in STAGES:
                if s in ans.timings_ms:
                    stages[op][s].append(ans.timings_ms[s])
    # Last: Chroma's `where` baseline reads every record (15 GB at 1M chunks), which empties
    # the page cache of the keyword index the searches and asks above read.
    windows = filtered(kb, qs[:n_search])
    counts = kb.store.counts()
    rss = _rss_mb()
    kb.close()
    return {
        "counts": counts,
        "open_and_warm_s": open_s,
        "index_read": {"bytes": warmed, "s": warm_s},
        "rss_mb": rss,
        "index_mb": {
            "articles.sqlite": _size_mb(index / "articles.sqlite"),
            "chroma": _size_mb(index / "chroma"),
        },
        "wall_ms": {k: _stats(v) for k, v in wall.items()},
        "stages_ms": {op: {s: _stats(v) for s, v in d.items() if v} for op, d in stages.items()},
        "filtered_ms": windows,
        "keyword_quality": {
            k: {
                "hit@5": sum(x >= 0.2 for x in v) / max(1, len(v)),
                "mrr": sum(v) / max(1, len(v)),
            }
            for k, v in rr.items()
        },
        "load_avg": os.getloadavg(),
    }


# -- ingest over workers and hosts ------------------------------------------------------------


def _timed_qa(runs: list[list[str]], env: dict[str, str]) -> float:
    """Start these `qa` command lines at once; seconds until the last one finishes."""
    import subprocess

    from evals.bench import ROOT, bench_env

    full = {**bench_env(), **env}
    t = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*pre, sys.executable, "-m", "qa.cli", *args],
            cwd=ROOT,
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pre, args in ((r[: r.index("--")], r[r.index("--") + 1 :]) for r in runs)
    ]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"qa failed ({p.returncode}): {err[-2000:]}")
    return time.perf_counter() - t


def ingest_rows(work: Path, articles: int = 40) -> dict[str, Any]:
    """Chunks/s of one ingest with 1 and 2 workers, and of two hosts (one core each) ingesting
    half the shards each into one local `chroma run`, all in this run on the same articles."""
    import shutil
    import subprocess

    work.mkdir(parents=True, exist_ok=True)
    arts = [long_article(100_000 + i) for i in range(articles)]
    shards = []
    for k in range(2):
        shards.append(work / f"shard{k}.jsonl")
        with open(shards[-1], "w", encoding="utf-8") as fh:
            for a in arts[k::2]:
                fh.write(json.dumps(a.record()) + "\n")
    out: dict[str, Any] = {"articles": articles}
    env = {"QA_EMBED_THREADS": "0"}
    for workers in (1, 2):
        index = work / f"w{workers}"
        shutil.rmtree(index, ignore_errors=True)
        cmd = ["--", "--index", str(index), "ingest", "-q", "--workers", str(workers)]
        out[f"workers_{workers}_s"] = _timed_qa([cmd + [str(s) for s in shards]], env)
    from qa import KnowledgeBase

    with KnowledgeBase(work / "w1") as kb:
        out["chunks"] = kb.store.db.counts()["chunks"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--host", "127.0.0.1",
         "--port", str(port), "--path", str(work / "server")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(5)
        url = f"http://127.0.0.1:{port}"
        one = [["--", "--index", str(work / "s1"), "--chroma-url", url, "ingest", "-q"]
               + [str(s) for s in shards]]  # fmt: skip
        out["server_one_host_s"] = _timed_qa(one, {**env, "QA_COLLECTION": "one"})
        two = [
            ["taskset", "-c", str(k), "--", "--index", str(work / f"h{k}"), "--chroma-url",
             url, "ingest", "-q", str(shards[k])]
            for k in range(2)
        ]  # fmt: skip
        out["server_two_hosts_s"] = _timed_qa(
            two, {"QA_EMBED_THREADS": "1", "QA_COLLECTION": "two"}
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def ingest_table(r: dict[str, Any]) -> str:
    c = r["chunks"]
    rows = [
        ["embedded, 1 worker", r["workers_1_s"], c / r["workers_1_s"], "1.00x"],
        ["embedded, --workers 2", r["workers_2_s"], c / r["workers_2_s"],
         f"{r['workers_1_s'] / r['workers_2_s']:.2f}x"],
        ["chroma run, one host", r["server_one_host_s"], c / r["server_one_host_s"], "-"],
        ["chroma run, two hosts (1 core each, half the shards)", r["server_two_hosts_s"],
         c / r["server_two_hosts_s"], f"{r['server_one_host_s'] / r['server_two_hosts_s']:.2f}x"],
    ]  # fmt: skip
    return render_table(
        f"Ingest over workers and hosts ({r['articles']} long articles, {c:,} chunks, real "
        "embedder)",
        ["run", "wall s", "chunks/s", "speed-up"],
        rows,
        ["Wall time of the whole command (process start and model load included). " + NOISE_NOTE],
    )


# -- the tables and the run ----------------------------------------------------------------------

_SEARCH_STAGES = ("embed_query", "dense", "keyword", "fuse")


def _f(r: dict[str, Any], window: str, stage: str) -> str:
    """p50 / p95 of a filtered search's stage ("-" for results measured before it existed)."""
    d = r.get("filtered_ms", {}).get(window, {}).get(stage)
    return f"{d['p50']:.1f} / {d['p95']:.1f}" if d else "-"


def scale_table(results: dict[str, Any], vectors: str) -> str:
    sizes = list(results)
    headers = ["", *(f"{results[s]['counts']['chunks']:,} chunks" for s in sizes)]

    def row(label: str, get: Any) -> list[Any]:
        return [label, *(get(results[s]) for s in sizes)]

    def pp(d: dict[str, float]) -> str:
        return f"{d['p50']:.1f} / {d['p95']:.1f}"

    rows = [row(f"search: {s} p50 / p95 ms", lambda r, s=s: pp(r["stages_ms"]["search"][s]))
            for s in _SEARCH_STAGES]  # fmt: skip
    rows += [
        row("search, page cache as found (other questions): whole ms",
            lambda r: pp(r["wall_ms"]["search_first"])
            if r["wall_ms"].get("search_first", {}).get("n") else "-"),
        row("keyword index read into the page cache (as a server does): s",
            lambda r: f"{r['index_read']['s']:.1f}" if "index_read" in r else "-"),
        row("search: whole p50 / p95 ms", lambda r: pp(r["wall_ms"]["search"])),
        row("search again, same questions: whole p50 / p95 ms",
            lambda r: pp(r["wall_ms"]["search_again"]) if "search_again" in r["wall_ms"] else "-"),
        row("keyword again, ours ms", lambda r: pp(r["wall_ms"]["keyword_again"])),
        row("keyword again, baseline (FTS5 ranks all) ms",
            lambda r: pp(r["wall_ms"]["baseline_keyword"])),
        row("ask (extractive): retrieve ms", lambda r: pp(r["stages_ms"]["ask"]["retrieve"])),
        row("ask (extractive): answer ms", lambda r: pp(r["stages_ms"]["ask"]["answer"])),
        row("ask (extractive): whole ms", lambda r: pp(r["wall_ms"]["ask"])),
        row("ask again, sentences embedded before: answer ms",
            lambda r: pp(r["stages_ms"]["ask_again"]["answer"]) if "ask_again" in r["wall_ms"]
            else "-"),
        row("ask again, sentences embedded before: whole ms",
            lambda r: pp(r["wall_ms"]["ask_again"]) if "ask_again" in r["wall_ms"] else "-"),
    ]  # fmt: skip
    for w, label in (("month", "a month"), ("as_of", "until as_of")):
        rows += [
            row(f"search in {label}: whole p50 / p95 ms", lambda r, w=w: _f(r, w, "whole")),
            row(f"search in {label}: dense p50 / p95 ms, ours vs Chroma's where",
                lambda r, w=w: f"{_f(r, w, 'dense')} vs {_f(r, w, 'where_dense')}"),
            row(f"search in {label}: keyword p50 / p95 ms, ours vs FTS5 filtered",
                lambda r, w=w: f"{_f(r, w, 'keyword')} vs {_f(r, w, 'fts5_keyword')}"),
        ]  # fmt: skip
    rows += [
        row("keyword hit@5 ours / baseline", lambda r: "{:.3f} / {:.3f}".format(
            r["keyword_quality"]["ours"]["hit@5"], r["keyword_quality"]["baseline"]["hit@5"])),
        row("keyword MRR ours / baseline", lambda r: "{:.3f} / {:.3f}".format(
            r["keyword_quality"]["ours"]["mrr"], r["keyword_quality"]["baseline"]["mrr"])),
        row("RSS MB (query process)", lambda r: r["rss_mb"]),
        row("articles.sqlite MB", lambda r: r["index_mb"]["articles.sqlite"]),
        row("chroma/ MB", lambda r: r["index_mb"]["chroma"]),
        row("load average (1 min) during", lambda r: r["load_avg"][0]),
    ]  # fmt: skip
    return render_table(
        f"Scale: warm latency, RSS and index size ({vectors} vectors)",
        headers,
        rows,
        [
            "Baseline: the keyword stage before issue 16, on the same queries in the same "
            "process; 'again' rows run both plans once more after each search, in turn, so "
            "neither pays for a cold page cache. Keyword quality: the question's article "
            "among the keyword stage's top 5 articles (the generator's questions, one per "
            "measured article).",
            NOISE_NOTE,
        ],
    )


def run(
    sizes: list[int], vectors: str, work: Path, searches: int, asks: int, ingest: bool
) -> dict[str, Any]:
    """Build each size in turn (resumable), measure it in a fresh process, write the tables."""
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    tables = []
    for size in sorted(sizes):
        prog = build(work, size, vectors)
        print(f"[scale] measuring {size:,} ...", file=sys.stderr, flush=True)
        args = ["measure", "--work", str(work), "--articles", str(prog["articles"])]
        args += ["--searches", str(searches), "--asks", str(asks)]
        results[str(size)] = run_worker("scale", args)
    tables.append(scale_table(results, vectors))
    out: dict[str, Any] = {"vectors": vectors, "sizes": results}
    if ingest:
        out["ingest"] = ingest_rows(work / "ingest")
        tables.append(ingest_table(out["ingest"]))
    (work / "scale.json").write_text(json.dumps(out, indent=2))
    (work / "scale.md").write_text("\n".join(tables))
    print("\n".join(tables))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m evals.bench.scale", description=__doc__.split("\n")[0]
    )
    p.add_argument("mode", nargs="?", default="run", choices=["run", "measure"])
    p.add_argument("--sizes", default="100000", help="chunk counts, comma-separated")
    p.add_argument("--vectors", choices=["synthetic", "real"], default="synthetic")
    p.add_argument("--work", default="scale-work", help="folder kept between runs (resumable)")
    p.add_argument("--step", type=int, default=DEFAULT_STEP, help="articles per build step")
    p.add_argument("--searches", type=int, default=200)
    p.add_argument("--asks", type=int, default=100)
    p.add_argument("--ingest", action="store_true", help="also the ingest-over-workers rows")
    p.add_argument("--articles", type=int, help=argparse.SUPPRESS)  # measure: built so far
    p.add_argument("--result", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    work = Path(a.work)
    if a.mode == "measure":
        write_result(a.result, measure(work / "index", a.articles, a.searches, a.asks))
        return 0
    sizes = [int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()]
    run(sizes, a.vectors, work, a.searches, a.asks, a.ingest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

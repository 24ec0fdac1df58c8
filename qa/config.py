"""One settings model for the engine, the CLI, the UI and the evals: env `QA_*`, then an
optional `qa.toml`, then defaults; command-line flags go on top (`settings_from`).

Like private-gpt, components are chosen by a mode field (`llm`). Only this module reads the
environment; the rest of the code reads `Settings`. Two reads stay outside the model on
purpose: the LLM API key (`api_key_from_env`, so no settings dump or log line can hold it)
and where the settings themselves live (`QA_CONFIG`, `XDG_DATA_HOME`). (The UI only switches
Gradio's own analytics variable off; that is Gradio's setting, not ours.)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

# Where an LLM API key may come from, first wins. The key is never a Settings field, so it
# cannot end up in a settings dump or a log line.
API_KEY_ENV = ("QA_LLM_API_KEY", "OPENAI_API_KEY")

# The answerers `llm` can name (`qa.llm.resolve_mode` checks overrides against these).
LLMMode = Literal["extractive", "openai", "local"]
LLM_MODES: tuple[str, ...] = get_args(LLMMode)


def api_key_from_env() -> str | None:
    return next((v for name in API_KEY_ENV if (v := os.environ.get(name))), None)


def default_index_dir() -> Path:
    """Per-user data folder, so `qa ingest` and `qa ask` agree from any working directory."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "news-qa" / "index"


def _toml_path() -> Path:
    return Path(os.environ.get("QA_CONFIG", "qa.toml"))


class Settings(BaseSettings):
    """Every knob the engine has. Env vars are the field names upper-cased with a `QA_` prefix."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    index: Path = Field(default_factory=default_index_dir, description="index folder")
    chroma_url: str | None = Field(None, description="use a `chroma run` server instead")
    collection: str = "articles"
    auto_sync: bool = Field(
        True, description="server mode: sync the local article copy on open when it changed"
    )

    # Chunking: the embedder reads at most 256 word pieces; the header counts too.
    chunk_tokens: int = Field(256, ge=32, le=256)
    chunk_overlap: int = Field(24, ge=0, le=128)
    embed_batch_size: int = Field(32, ge=1, le=512)
    lock_timeout: float = Field(300.0, ge=0, description="seconds to wait for another writer")
    ingest_batch: int = Field(256, ge=1, description="chunks embedded and written together")
    embed_threads: int = Field(0, ge=0, description="onnxruntime threads; 0 = all cores")
    embed_device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="auto: onnxruntime's CUDA provider when installed and a GPU answers"
    )
    ingest_workers: int = Field(
        1, ge=1, le=64, description="processes that embed during an ingest (one writer)"
    )
    dedup: bool = Field(
        True, description="group syndicated copies at ingest (qa/dupes.py; off: no groups)"
    )
    sentence_vectors: Literal["ask", "ingest"] = Field(
        "ask",
        description="when the answerer's sentence vectors are embedded and kept in the index "
        "(sentences.sqlite): ask = the first time an answer weighs a sentence; ingest = also "
        "every sentence at ingest (slower ingest, asks over new articles ~5x faster)",
    )

    warm_index: bool = Field(
        True,
        description="a server (web UI, HTTP API) reads the keyword index into the OS page "
        "cache at start, in the background, when it fits in half the memory available",
    )

    # Retrieval.
    top_k: int = Field(8, ge=1, le=100, description="chunks handed to the answerer")
    candidates: int = Field(30, ge=1, le=500, description="per retriever, before fusion")
    max_chunks_per_article: int = Field(3, ge=1, le=50)
    fusion: Literal["zscore", "rrf"] = Field(
        "zscore", description="how the dense and keyword lists merge (rrf: reciprocal rank)"
    )
    rrf_k: int = Field(60, ge=1, description="RRF's rank constant, when fusion is rrf")
    dense_weight: float = Field(
        0.3, ge=0.0, le=1.0, description="zscore fusion: the dense side's share (keyword: the rest)"
    )
    evidence_weight: float = Field(
        0.3,
        ge=0.0,
        le=2.0,
        description="zscore fusion: weight of sentence evidence, the best sentence's share of "
        "the query terms (0: off)",
    )

    recency_weight: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description="questions asking for the latest ('now', 'still', 'latest'): weight of "
        "the publication date, z-scored over the shortlist like sentence evidence (0: off)",
    )
    latest_answers: bool = Field(
        True,
        description="extractive answers to 'latest' questions asking for a value lead with the "
        "newest report's value, dated and cited, and give earlier reports' other values with "
        "their dates (qa/latest.py); false: the plain answer",
    )

    # The question's time (qa/when.py): "yesterday", "last week", "in March" are read
    # relative to `as_of` (default: today; set it to answer over an archive as of a day).
    as_of: date | None = Field(
        None, description="the questions' 'today' (YYYY-MM-DD); unset: the real today"
    )
    parse_time: bool = Field(
        True, description="read time words in questions as a published-date window"
    )

    # Extractive answerer.
    max_quotes: int = Field(3, ge=1, le=10)
    min_support: float = Field(
        0.45, ge=0, le=1, description="below this the best sentence is no answer: refuse"
    )

    # Generated answers (see qa.llm). The API key is not a field: see API_KEY_ENV.
    llm: LLMMode | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = Field(60.0, gt=0, description="seconds per request")
    llm_retries: int = Field(3, ge=0, le=10)
    llm_max_tokens: int = Field(512, ge=16)
    llm_temperature: float = Field(0.0, ge=0, le=2)
    # ~4 characters a token: 6000 fits a 4k context with the question and the answer.
    llm_context_chars: int = Field(6000, ge=500, description="article text put in the prompt")
    llm_min_support: float = Field(
        0.45, ge=0, le=1, description="llm_check=similarity: the score a cited sentence must reach"
    )
    llm_check: Literal["facts", "similarity"] = Field(
        "facts",
        description="what makes a citation hold: the article states the statement's names, "
        "numbers, negations and content (facts), or a sentence on the same topic (similarity)",
    )
    llm_verify: bool | None = Field(
        None,
        description="also ask the model whether each quote supports its statement (may remove "
        "a citation, never add one). Unset: on, except for models known to be under a "
        "billion parameters, which measured unable to judge (docs/evals.md)",
    )
    local_model: Path | None = None
    local_threads: int = Field(1, ge=1)
    local_ctx: int = Field(4096, ge=512)

    # The web UI (`qa ui`, `python -m ui`); the command-line flags override these.
    ui_host: str = Field("127.0.0.1", description="address to bind; others need ui_auth")
    ui_port: int = Field(7860, ge=1, le=65535)
    # `user:password` turns the login page on. A secret, so a settings dump shows stars;
    # `ui.app.login` checks its shape when the UI starts (other commands ignore it).
    ui_auth: SecretStr | None = Field(None, description="user:password for the login page")
    ui_max_upload_mb: float = Field(20.0, gt=0, description="per uploaded file")
    ui_concurrency: int = Field(1, ge=1, description="questions answered at once")

    # The HTTP API (qa.httpapi), served beside the UI on ui_host:ui_port by `qa serve`/`qa ui`.
    # The key every /v1 and /api request must carry (`Authorization: Bearer <key>`); without
    # it the server binds loopback only. A secret, so a settings dump shows stars. (Unlike
    # the LLM key, which is ours to send elsewhere, this one is the server's own.)
    api_key: SecretStr | None = Field(None, description="bearer token for /v1 and /api")
    # Origins a browser may call the API from (env: comma-separated); empty: CORS off.
    api_cors: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="origins allowed to call the API from a browser"
    )
    api_max_body_kb: int = Field(256, ge=1, description="largest JSON request body to the API")
    api_max_files: int = Field(20, ge=1, le=1000, description="files per POST /api/articles")

    @field_validator("api_cors", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _toml_path()
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def llm_mode(self) -> LLMMode:
        """The answerer in use: explicit `llm`, else openai when a key or endpoint is set.

        The one rule for the default mode; `qa.llm.resolve_mode` adds only per-call overrides.
        """
        if self.llm:
            return self.llm
        if api_key_from_env() or self.llm_base_url:
            return "openai"
        return "extractive"


def settings_from(**flags: Any) -> Settings:
    """Settings with command-line values on top of env and `qa.toml`; None means not given."""
    return Settings(**{k: v for k, v in flags.items() if v is not None})

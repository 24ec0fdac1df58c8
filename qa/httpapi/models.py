"""The API's request bodies and the shapes of its replies (pydantic, so /docs shows them).

Requests are strict: an unknown field is refused with its name (OpenAI's request carries many
optional fields, so the chat request alone accepts and ignores the ones it has no use for).
Replies are written from the engine's own `to_dict()`s, so every field a later issue adds to
`Answer` reaches API clients unchanged; the reply models here document them for /docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qa.config import LLMMode
from qa.types import ArticleInfo, Citation

Source = str | list[str] | None


class Filters(BaseModel):
    """Retrieval filters, as `qa ask --since/--until/--source` takes them."""

    since: str | None = Field(None, description="only articles published on/after (YYYY-MM-DD)")
    until: str | None = Field(None, description="only articles published on/before (YYYY-MM-DD)")
    source: Source = Field(None, description="only these sources (a name or a list of names)")
    as_of: str | None = Field(
        None,
        description="the question's 'today' (YYYY-MM-DD) for 'yesterday', 'last week'...; "
        "nothing published later is searched (default: today, or the server's QA_AS_OF)",
    )
    parse_time: bool = Field(
        True, description="read time words in the question as a published-date window"
    )


class AskRequest(Filters):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="the question, at most 2,000 characters")
    k: int | None = Field(None, ge=1, le=100, description="chunks of context to retrieve")
    llm: LLMMode | None = Field(None, description="answer mode for this question")


class SearchRequest(Filters):
    model_config = ConfigDict(extra="forbid")

    query: str
    k: int = Field(5, ge=1, le=100)
    max_per_article: int | None = Field(None, ge=1, le=100)


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(Filters):
    """OpenAI's chat-completions request; `since`, `until`, `source` and `k` are ours
    (`extra_body` in the openai client). Sampling fields (temperature, top_p, …) are
    accepted and ignored: answers are checked against the articles, not sampled."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="news-qa, news-qa-extractive or news-qa-llm (GET /v1/models)")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    k: int | None = Field(None, ge=1, le=100, description="chunks of context to retrieve")


# -- replies (documentation; the JSON comes from the engine's to_dict) ----------------------
# The engine's own dataclasses (Citation, Hit, ArticleInfo) describe themselves; only the
# shapes that differ from them (`qa ask --json`, pages, errors) are spelled out here.


class AnswerOut(BaseModel):
    """`qa ask --json`: every `[n]` in `answer` has a citation with that n."""

    model_config = ConfigDict(extra="allow")

    answer: str
    refused: bool
    citations: list[Citation]
    timings_ms: dict[str, float]
    mode: str
    model: str | None
    unsupported: list[str]
    notices: list[str]
    window: dict[str, Any] | None = Field(
        None, description="as_of, the published-date window used (since/until), its phrase"
    )


@dataclass(frozen=True)
class ArticleTextOut(ArticleInfo):
    text: str  # the cleaned text that quotes and offsets refer to


class ArticlePage(BaseModel):
    total: int = Field(description="articles matching the filters")
    limit: int
    offset: int
    articles: list[ArticleInfo]


class UploadOut(BaseModel):
    name: str
    result: str = Field(description="added, updated, unchanged, duplicate, refused, failed, …")
    details: str
    stored_as: str | None
    report: dict[str, Any]


class IngestOut(BaseModel):
    report: dict[str, Any] = Field(description="the ingest report of every file together")
    files: list[UploadOut]


class Deleted(BaseModel):
    deleted: str


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = Field(description="the field at fault, when one is")
    code: str | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class ChatCompletionOut(BaseModel):
    """OpenAI's chat.completion, plus `citations` and `news_qa` (the whole answer)."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[dict[str, Any]]
    citations: list[Citation]
    news_qa: AnswerOut


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "news-qa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]

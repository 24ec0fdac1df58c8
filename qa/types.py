"""The typed objects every way in (API, CLI, UI, evals) shares.

Kept free of heavy imports so `qa --help` and the UI can import them cheaply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from time import perf_counter
from typing import Any, Literal, get_args

# The stages an answer is timed in, in pipeline order. The CLI, the UI and the evals read
# these names; nothing else may appear in `Answer.timings_ms`.
Stage = Literal[
    "embed_query",  # embedding the question
    "dense",  # Chroma nearest neighbours
    "keyword",  # FTS5 BM25
    "fuse",  # fusing the two lists and reading the chunks
    "retrieve",  # all of the above
    "relevance",  # the LLM path's relevance gate
    "first_token",  # LLM: request to first streamed token
    "generate",  # LLM: the whole generation
    "validate",  # LLM: citation checks (includes "check" and "verify")
    "check",  # LLM: the fact-level support checks (qa.facts) inside validate
    "verify",  # LLM: the model's second opinion on supported statements, when asked
    "answer",  # the answerer, start to end (extractive or generated)
    "total",  # question in, Final out
]
STAGES: tuple[str, ...] = get_args(Stage)


class Timings(dict[str, float]):
    """Milliseconds per stage: a dict (it is JSON as it is) that refuses unknown stage names,
    so a typo or an alias cannot creep in where the CLI, UI and evals look for a stage."""

    def __init__(self, *args: Any, **kwargs: float) -> None:
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, stage: str, ms: float) -> None:
        if stage not in STAGES:
            raise KeyError(f"unknown timing stage {stage!r}; known: {', '.join(STAGES)}")
        super().__setitem__(stage, float(ms))

    def update(self, *args: Any, **kwargs: float) -> None:  # type: ignore[override]
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def setdefault(self, stage: str, ms: float = 0.0) -> float:  # type: ignore[override]
        if stage not in self:
            self[stage] = ms
        return self[stage]

    @contextmanager
    def stage(self, name: Stage) -> Iterator[None]:
        """`with timings.stage("dense"): ...` records the block's wall time."""
        t0 = perf_counter()
        try:
            yield
        finally:
            self[name] = (perf_counter() - t0) * 1e3


@dataclass(frozen=True)
class Citation:
    """One cited article: `n` is the marker number used in the answer text."""

    n: int
    article_id: str
    title: str
    source: str | None
    published_at: str | None  # ISO date, YYYY-MM-DD
    url: str | None
    quote: str  # a sentence that occurs verbatim in the article's cleaned text
    # The same story under other outlets (qa/dupes.py): {article_id, source, title, url,
    # published_at} each; the answer cites this article once for all of them.
    also_published_by: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["also_published_by"] = list(d["also_published_by"])
        return d


@dataclass
class Answer:
    """What `ask` returns. Every `[n]` in `text` has exactly one citation with that n."""

    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"  # extractive | openai | local
    model: str | None = None
    timings_ms: Timings = field(default_factory=Timings)
    # Statements a generated answer made that its cited article does not support.
    unsupported: list[str] = field(default_factory=list)
    # Plain-language notices for the user (fallbacks, removed citations, ...).
    notices: list[str] = field(default_factory=list)
    # A generated answer none of whose statements answering the question the articles
    # state: the model's text, kept but not shown as the answer (the answer is the refusal).
    unverified: str | None = None
    # The question's time (qa/when.py TimeScope.to_dict): as_of, the published-date window
    # retrieval used (since/until), the phrase that set it, the recency preference.
    window: dict[str, Any] | None = None
    # The chunk texts the answerer read (for grounding metrics); not part of the JSON.
    contexts: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The `qa ask --json` object (docs/design.md), plus mode/model/notices/unverified."""
        return {
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "mode": self.mode,
            "model": self.model,
            "unsupported": list(self.unsupported),
            "notices": list(self.notices),
            "unverified": self.unverified,
            "window": self.window,
        }


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its article's metadata and the scores that ranked it."""

    chunk_id: str
    article_id: str
    title: str
    source: str | None
    published_at: str | None
    url: str | None
    text: str
    position: int  # chunk index within the article
    start: int  # character offsets into the article's cleaned text
    end: int
    score: float  # fused score (higher is better)
    dense_score: float | None = None  # cosine similarity, when the dense side found it
    keyword_score: float | None = None  # BM25 score, when the keyword side found it
    # Other members of the article's group of syndicated copies (see Citation).
    also_published_by: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["also_published_by"] = list(d["also_published_by"])
        return d


@dataclass(frozen=True)
class ArticleInfo:
    """An article as stored in the index (what `qa list` shows)."""

    id: str
    title: str
    source: str | None
    published_at: str | None
    url: str | None
    author: str | None
    origin: str  # file (and line) it was ingested from
    chunks: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IngestFailure:
    """A file or record that could not be ingested, and why."""

    path: str
    reason: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.reason}"


@dataclass
class IngestReport:
    """Summary of one `ingest` call; lists hold article ids."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Articles skipped because the same content is already stored under another id.
    duplicates: dict[str, str] = field(default_factory=dict)  # new id -> stored id
    failed: list[IngestFailure] = field(default_factory=list)
    # Failures past the first MAX_LISTED_FAILURES are counted, not kept (a 1M-line file of
    # bad records must not fill memory with messages).
    failures_not_listed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    embedded: int = 0  # texts sent to the embedder
    sentences_embedded: int = 0  # sentences kept for the answerer (sentence_vectors=ingest)
    dedup_ms: float = 0.0  # time spent finding syndicated copies (qa/dupes.py)

    MAX_LISTED_FAILURES = 1000

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed_count(self) -> int:
        return len(self.failed) + self.failures_not_listed

    def add_failure(self, failure: IngestFailure) -> None:
        if len(self.failed) < self.MAX_LISTED_FAILURES:
            self.failed.append(failure)
        else:
            self.failures_not_listed += 1

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate")
        parts.append(f"{self.failed_count:,} failed")
        return ", ".join(parts) + f" ({self.chunks_added} chunks written)"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["failed"] = [{**asdict(f), "message": str(f)} for f in self.failed]
        return d


# Events that `ask_stream` yields; the UI and CLI only render these.


@dataclass(frozen=True)
class Status:
    """A progress note (e.g. "retrieving", "generating with gpt-4o-mini")."""

    message: str
    kind: Literal["status"] = "status"


@dataclass(frozen=True)
class TextDelta:
    """A piece of answer text, in order; concatenated they form the draft text."""

    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class CitationEvent:
    citation: Citation
    kind: Literal["citation"] = "citation"


@dataclass(frozen=True)
class Final:
    """The last event: the validated Answer (its text may differ from the deltas)."""

    answer: Answer
    kind: Literal["final"] = "final"


Event = Status | TextDelta | CitationEvent | Final


@dataclass
class VerifyReport:
    """What `kb.verify()` / `qa check` found, and what it repaired."""

    articles: int = 0
    chunks: int = 0
    vectors: int = 0
    orphan_vectors: int = 0  # in Chroma but not in SQLite (an interrupted write)
    missing_vectors: int = 0  # in SQLite but not in Chroma
    keyword_index_ok: bool = True
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.orphan_vectors or self.missing_vectors) and self.keyword_index_ok

    def summary(self) -> str:
        state = "consistent" if self.ok else "INCONSISTENT"
        s = (
            f"{state}: {self.articles} articles, {self.chunks} chunks, {self.vectors} vectors; "
            f"{self.orphan_vectors} orphan vectors, {self.missing_vectors} missing vectors, "
            f"keyword index {'ok' if self.keyword_index_ok else 'damaged'}"
        )
        return s + (" (repaired)" if self.repaired else "")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass
class SyncReport:
    """What `kb.sync()` / `qa sync` changed in the local copy of a Chroma server's articles."""

    added: int = 0
    updated: int = 0
    removed: int = 0  # the server no longer has them
    unchanged: int = 0
    # Articles an older qa stored on the server without article records: published from here.
    published: int = 0
    # Server records whose chunks were incomplete (a write under way on another host).
    skipped: int = 0
    revision: str | None = None  # the server revision synced

    def summary(self) -> str:
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.removed} removed",
            f"{self.unchanged} unchanged",
        ]
        if self.published:
            parts.append(f"{self.published} published")
        if self.skipped:
            parts.append(f"{self.skipped} skipped (incomplete on the server; sync again later)")
        return "synced: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

"""The public Python API: one KnowledgeBase that the CLI, the web UI and the evals all use."""

from __future__ import annotations

import os
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from qa.config import Settings
from qa.types import (
    Answer,
    ArticleInfo,
    Event,
    Final,
    Hit,
    IngestReport,
    Status,
    SyncReport,
    Timings,
    VerifyReport,
)

if TYPE_CHECKING:
    from qa.answerer import Answerer
    from qa.chat import Conversation
    from qa.embed import Embedder
    from qa.llm import LLMBackend, LLMBackends
    from qa.store import Filters
    from qa.when import TimeScope

MAX_QUESTION_CHARS = 2000


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long); the message says why."""


def clean_question(question: str) -> str:
    """Strip control characters and whitespace runs; reject what can't be a question."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, got {type(question).__name__}")
    q = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in question)
    q = " ".join(q.split())
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(q):,} characters long; the limit is {MAX_QUESTION_CHARS:,}"
        )
    return q


class KnowledgeBase:
    """A corpus of news articles you can ingest into, search and ask questions of.

    >>> kb = KnowledgeBase("my-index")             # embedded Chroma, created if missing
    >>> kb.ingest(["seeds/"]).summary()            # doctest: +SKIP
    >>> kb.ask("Who told the Financial Times about the plans?").text  # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> None:
        if settings is None:
            settings = Settings(**({"index": Path(path)} if path is not None else {}), **overrides)
        elif path is not None or overrides:
            settings = settings.model_copy(
                update={**({"index": Path(path)} if path is not None else {}), **overrides}
            )
        self.settings = settings
        from qa.store import Store

        self.store = Store(settings)
        if settings.chroma_url and settings.auto_sync:
            from qa.store.sync import auto_sync

            auto_sync(self.store)  # start in step with what other hosts stored
        self._embedder: Embedder | None = None
        self._answerers: dict[str, Answerer] = {}  # one per mode, made on first use
        self._llm: LLMBackends | None = None  # the language models, made on first use
        # Made once however many threads (a server's requests) ask first at the same time.
        self._init_lock = threading.RLock()

    @classmethod
    def connect(
        cls, url: str, index: str | os.PathLike[str] | None = None, **overrides: Any
    ) -> KnowledgeBase:
        """Use a Chroma server (`chroma run`) for vectors; `index` keeps the keyword side."""
        return cls(index, chroma_url=url, **overrides)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from qa.embed import get_embedder

            with self._init_lock:
                if self._embedder is None:
                    s = self.settings
                    self._embedder = get_embedder(s.embed_threads, s.embed_device)
        return self._embedder

    # -- corpus ------------------------------------------------------------------------

    def ingest(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        progress: bool = False,
        callback: Any = None,
    ) -> IngestReport:
        """Add or update articles from files and folders; unchanged articles cost nothing."""
        from qa.ingest import ingest

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        return ingest(paths, self.store, self.embedder, self.settings, progress, callback)

    def articles(
        self,
        *,
        since: str | date | None = None,
        until: str | date | None = None,
        source: str | list[str] | None = None,
    ) -> list[ArticleInfo]:
        """Stored articles, newest first; the filters are retrieval's (sources compared
        case-insensitively, dates inclusive, undated articles out when a date is given)."""
        arts = self.store.articles()
        if since is None and until is None and not source:
            return arts
        from qa.retrieve import make_filters
        from qa.store import source_key

        f = make_filters(source, since, until)
        keys = {source_key(s) for s in f.sources}
        return [
            a
            for a in arts
            if (not keys or source_key(a.source) in keys)
            and (not f.since or (a.published_at or "") >= f.since)
            and (not f.until or (a.published_at and a.published_at <= f.until))
        ]

    def article(self, article_id: str) -> ArticleInfo | None:
        return self.store.article(article_id)

    def article_text(self, article_id: str) -> str | None:
        """The cleaned text that quotes and offsets refer to."""
        return self.store.article_text(article_id)

    def sources(self) -> list[str]:
        return self.store.sources()

    def info(self) -> dict[str, Any]:
        """The index at a glance (`GET /api/health`): format version, embedder, counts of
        articles, chunks and vectors, where the vectors live, and the answer mode."""
        from qa.embed import MODEL_NAME
        from qa.store.format import FORMAT_VERSION

        return {
            "format_version": FORMAT_VERSION,
            "embedder": MODEL_NAME,
            **self.store.counts(),
            "chroma": "server" if self.settings.chroma_url else "embedded",
            "mode": self.settings.llm_mode,
        }

    def delete(self, article_id: str) -> bool:
        """Remove an article and all its chunks from both indexes; False if it wasn't there.

        An exact copy of it stored under another id or outlet (qa/dupes.py) takes its place:
        it is chunked, embedded and written first, so the story stays searchable."""
        with self.store.write_lock():
            if self.store.copies_of(article_id):
                from qa.dupes import promote_copies

                promote_copies(self.store, self.embedder, self.settings, article_id)
            return self.store.delete(article_id) >= 0

    def sync(self, progress: bool = False) -> SyncReport:
        """Chroma server only: update the local articles and keyword index from the server.

        Runs by itself when the index opens and the server changed since; a long-running
        process (the UI) calls it to see what other hosts stored or deleted since it started.
        """
        from qa.store.sync import sync

        return sync(self.store, progress=progress)

    def verify(self, repair: bool = False) -> VerifyReport:
        """Check that vectors, chunks and the keyword index agree; optionally repair them."""
        from qa.store.check import verify

        with self.store.write_lock():
            return verify(self.store, self.embedder, self.settings, repair)

    def export(self, out: str | os.PathLike[str] | IO[str]) -> int:
        """Write every article (text and metadata) as JSONL that `ingest` reads back into an
        identical index; returns the number of articles written."""
        import json

        def dump(fh: IO[str]) -> int:
            n = 0
            for rec in self.store.iter_articles_full():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
            return n

        if isinstance(out, (str, os.PathLike)):
            with open(out, "w", encoding="utf-8") as fh:
                return dump(fh)
        return dump(out)

    # -- questions ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        since: str | date | None = None,
        until: str | date | None = None,
        source: str | list[str] | None = None,
        max_per_article: int | None = None,
        as_of: str | date | None = None,
        parse_time: bool | None = None,
    ) -> list[Hit]:
        """Retrieval only: the k best chunks, hybrid-ranked, within the query's time window
        (see `time_scope`; a window holding no article is searched over all dates, as `ask`
        does), one article per group of syndicated copies."""
        from qa.news import retrieve_scoped

        q = clean_question(query)
        scope, filters = self.time_scope(q, as_of, parse_time, source, since, until)
        return retrieve_scoped(self, scope, filters, source, k, max_per_article or k)[0].hits

    def time_scope(
        self,
        question: str,
        as_of: str | date | None = None,
        parse_time: bool | None = None,
        source: str | list[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> tuple[TimeScope, Filters]:
        """The question's time (qa/when.py) and the retrieval filters it makes: explicit
        `since`/`until` win over a window read from the question; `as_of` (or the settings'
        `as_of`, `QA_AS_OF`) is the question's "today", and nothing after it is searched."""
        from qa.retrieve import make_filters
        from qa.when import parse_day, question_time

        explicit = make_filters(source, since, until)
        day = parse_day(as_of) or self.settings.as_of
        parse = self.settings.parse_time if parse_time is None else parse_time
        scope = question_time(
            question,
            day,
            parse=parse,
            since=explicit.since,
            until=explicit.until,
            cap=day is not None,
        )
        return scope, make_filters(source, scope.since, scope.until)

    def ask(self, question: str, **kwargs: Any) -> Answer:
        """Answer with [n] citations, or refuse when the articles don't hold the answer."""
        answer = None
        for ev in self.ask_stream(question, **kwargs):
            if isinstance(ev, Final):
                answer = ev.answer
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        since: str | date | None = None,
        until: str | date | None = None,
        source: str | list[str] | None = None,
        k: int | None = None,
        llm: str | None = None,
        as_of: str | date | None = None,
        parse_time: bool | None = None,
    ) -> Iterator[Event]:
        """Status events, text deltas, citations, then Final(answer).

        `llm` overrides the answer mode for this question. `as_of` is the question's "today"
        and `parse_time=False` leaves its time words unread (`time_scope`); the window used
        is the first status line and `Answer.window`. Follow-up questions go through
        `chat()`, which rewrites them into standalone ones first.
        """
        from qa.answerer import AnswerContext
        from qa.embed import KeptEmbedder
        from qa.news import answer_news, retrieve_scoped

        t0 = time.perf_counter()
        q = clean_question(question)
        scope, filters = self.time_scope(q, as_of, parse_time, source, since, until)
        yield Status("searching " + scope.describe())
        r, scope, notices = retrieve_scoped(self, scope, filters, source, k)
        embedder = KeptEmbedder(self.embedder, self.store.sentences)
        context = AnswerContext(
            self.store.article_text, embedder, self.settings, date.fromisoformat(scope.as_of)
        )
        for ev in answer_news(self.answerer(llm), q, scope, r, context):
            if isinstance(ev, Final):
                ans = ev.answer
                ans.question = question
                ans.window = scope.to_dict()
                ans.notices[:0] = notices
                ans.timings_ms = Timings({**r.timings_ms, **ans.timings_ms})
                ans.timings_ms["total"] = (time.perf_counter() - t0) * 1e3
                ans.contexts = [h.text for h in r.hits]
            yield ev

    # -- answerers and language models -------------------------------------------------

    def answerer(self, mode: str | None = None) -> Answerer:
        """The answerer for a mode (default: the settings' mode), made once per mode.

        Any mode but "extractive" is the LLM answerer, with the extractive one as its
        fallback; an unknown mode falls back with a notice saying so.
        """
        mode = mode or self.settings.llm_mode
        if mode not in self._answerers:
            from qa.extractive import ExtractiveAnswerer

            with self._init_lock:
                extractive = self._answerers.setdefault("extractive", ExtractiveAnswerer())
                if mode not in self._answerers:
                    from qa.generate import LLMAnswerer  # the LLM client code: only here

                    self._answerers[mode] = LLMAnswerer(self._backends(), mode, extractive)
        return self._answerers[mode]

    def llm_backend(self, mode: str | None = None) -> LLMBackend | None:
        """The language model for a mode (None for extractive), one client per mode.

        Raises `qa.llm.LLMConfigError` when the settings name no usable model.
        """
        return self._backends().get(self.settings, mode or self.settings.llm_mode)

    def use_backend(self, backend: LLMBackend | None) -> None:
        """Generate with this backend whenever the mode is not extractive: for callers who
        build their own client (custom headers, Azure, a proxy) and for tests.
        `None` goes back to the backends the settings describe."""
        self._backends().override = backend

    def _backends(self) -> LLMBackends:
        if self._llm is None:
            from qa.llm import LLMBackends

            with self._init_lock:
                if self._llm is None:
                    self._llm = LLMBackends()
        return self._llm

    def chat(self, **filters: Any) -> Conversation:
        """A multi-turn conversation; follow-ups are rewritten into standalone questions."""
        from qa.chat import Conversation

        return Conversation(self, **filters)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

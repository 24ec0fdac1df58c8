"""Checking a generated answer's citations against the articles it cites.

Nothing the model wrote about sources is trusted: markers are parsed, numbers that match no
source are dropped, and each remaining citation must be supported by the article it names.
"Supported" is the fact-level check of qa.facts: the statement's names, numbers, dates,
negations and content words are stated by one sentence of the article or its neighbours
(that sentence becomes the citation's quote); similarity alone never makes a citation hold.
A statement whose cited article does not state it keeps its text, loses the citation and is
listed in `Validated.unsupported`; an uncited statement is cited only to an article that
passes the same check. When no statement that answers the question survives, the answer is
the refusal and the model's text is kept as `Validated.unverified`.

`check="similarity"` is the earlier rule (a sentence on the same topic, `best_quote` >=
`min_support`), kept so the bench can compare the two on the same drafts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from qa.citations import Statement, renumber, split_statements, strip_markers
from qa.evidence import REFUSAL_TEXT, Source, best_quote, is_refusal, missing_names
from qa.facts import (
    Article,
    Verdict,
    answers_question,
    check,
    check_cited,
    read_claim,
    reports_anchor,
)
from qa.text import names, numbers_in
from qa.types import Citation

Check = Literal["facts", "similarity"]
# A second opinion on a supported statement: (statement, the passage that states it) ->
# False to remove the citation, True or None (no opinion) to keep it. Never adds one.
Verifier = Callable[[str, str], bool | None]

_MIN_STATEMENT_WORDS = 5  # shorter pieces ("Here is what I found:") are not claims


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 citation', '2 citations' (or the given plural): for the notices a user reads."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


class _CachedEmbedder:
    """Embeds each distinct text once: validation asks `best_quote` about many statements
    against the same articles, and re-embedding every sentence each time dominated."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.cache: dict[str, Any] = {}

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Any:
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for t, v in zip(todo, self.inner.embed(todo, batch_size), strict=True):
                self.cache[t] = v
        if not texts:
            return self.inner.embed([], batch_size)
        return np.stack([self.cache[t] for t in texts])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class Validated:
    """A checked answer: clean text, citations, what was removed or flagged."""

    text: str
    refused: bool
    citations: list[Citation]
    unsupported: list[str]
    dropped_unknown: int  # markers naming a source that does not exist
    dropped_unsupported: int  # markers whose article does not support the statement
    notices: list[str]
    # The model's own text when it was replaced by the refusal (nothing answering the
    # question was supported), else None.
    unverified: str | None = None
    check_ms: float = 0.0  # time spent in the support checks (the "check" stage)
    verify_ms: float = 0.0  # time spent asking the model for a second opinion
    verified: int = 0  # statements the model was asked about
    rejected_by_model: int = 0  # of those, statements whose citation the model removed


class _Articles:
    """The sources by number, their full text (read once), and the support test."""

    def __init__(
        self,
        sources: Sequence[Source],
        article_text: Callable[[str], str | None] | None,
        embedder: Any,
        min_support: float,
        question: str = "",
        check: Check = "facts",
    ) -> None:
        self.by_n = {s.n: s for s in sources}
        self.article_text = article_text
        self.embedder = (
            embedder if isinstance(embedder, _CachedEmbedder) else _CachedEmbedder(embedder)
        )
        self.min_support = min_support
        self.question = question
        self.check = check
        self.check_ms = 0.0
        self._texts: dict[int, str] = {}
        self._facts: dict[int, Article] = {}
        self._verdicts: dict[tuple[str, int], Verdict] = {}

    def text(self, n: int) -> str:
        if n not in self._texts:
            s = self.by_n[n]
            full = self.article_text(s.article_id) if self.article_text else None
            self._texts[n] = full or "\n".join(h.text for h in s.hits)
        return self._texts[n]

    def facts(self, n: int) -> Article:
        if n not in self._facts:
            s = self.by_n[n]
            year, month = (s.published_at or "")[:4], (s.published_at or "")[5:7]
            self._facts[n] = Article.read(
                self.text(n),
                s.title or "",
                int(year) if year.isdigit() else None,
                int(month) if month.isdigit() else None,
            )
        return self._facts[n]

    def verdict(self, claim: str, n: int) -> Verdict:
        """The fact-level check of `claim` against article n (timed, cached)."""
        key = (claim, n)
        if key not in self._verdicts:
            t0 = time.perf_counter()
            art = self.facts(n)
            self._verdicts[key] = check(read_claim(claim, art, self.question), art)
            self.check_ms += (time.perf_counter() - t0) * 1e3
        return self._verdicts[key]

    def supporting_quote(self, claim: str, n: int) -> tuple[str, float] | None:
        """The sentence of article n that supports `claim`, with its support, or None.

        The one test of "this article says that" (qa.facts), or with `check="similarity"`
        the earlier topical test.
        """
        if not claim:
            return None
        if self.check == "similarity":
            q = best_quote(claim, self.text(n), self.embedder)
            return q if q is not None and q[1] >= self.min_support else None
        v = self.verdict(claim, n)
        return (v.quote, v.coverage) if v.supported and v.quote else None

    def cited_support(self, claim: str, cited: list[int]) -> dict[int, tuple[str, float]]:
        """The citations of a statement citing several articles that hold: all of them that
        state part of it when together they state all of it (qa.facts.check_cited)."""
        if self.check == "similarity" or len(cited) < 2:
            return {n: q for n in cited if (q := self.supporting_quote(claim, n)) is not None}
        t0 = time.perf_counter()
        arts = [self.facts(n) for n in cited]
        c = check_cited(read_claim(claim, arts[0], self.question), arts)
        self.check_ms += (time.perf_counter() - t0) * 1e3
        return {
            n: (v.quote, v.coverage)
            for n, v, keep in zip(cited, c.verdicts, c.keep, strict=True)
            if c.supported and keep and v.quote
        }

    def passage(self, n: int, quote: str) -> str:
        """The quoted sentence with its neighbours: what the model's second opinion reads."""
        art = self.facts(n)
        for i, s in enumerate(art.sentences):
            if s.text == quote:
                lo, hi = max(0, i - 1), min(len(art.sentences), i + 2)
                return " ".join(x.text for x in art.sentences[lo:hi])
        return quote


@dataclass
class _Checks:
    """What validation decided, statement by statement (keyed by the statement's start)."""

    keep: dict[int, list[int]] = field(default_factory=dict)  # cited numbers that hold
    add: dict[int, list[int]] = field(default_factory=dict)  # numbers to cite instead
    quotes: dict[int, tuple[str, float]] = field(default_factory=dict)  # n -> best quote
    unsupported: list[str] = field(default_factory=list)
    passages: dict[int, list[str]] = field(default_factory=dict)  # the cited text per statement
    dropped_unsupported: int = 0
    added: int = 0
    moved: int = 0
    verify_ms: float = 0.0
    verified: int = 0
    rejected_by_model: int = 0

    def quote(self, n: int, q: tuple[str, float]) -> None:
        """Keep the best-supported quote per article over all statements citing it."""
        if n not in self.quotes or q[1] > self.quotes[n][1]:
            self.quotes[n] = q


def validate(
    draft: str,
    sources: Sequence[Source],
    article_text: Callable[[str], str | None] | None,
    embedder: Any,
    min_support: float = 0.45,
    attribute_uncited: bool = True,
    *,
    question: str = "",
    check: Check = "facts",
    verify: Verifier | None = None,
) -> Validated:
    """Check each statement's citations against the cited articles; renumber the survivors.

    A citation survives if its article states the statement (`check="facts"`, qa.facts);
    the sentence that states it is the citation's quote (the best one over all statements
    citing the article). `verify`, when given, is asked about each statement that passed and
    may remove its citation, never add one. Uncited claims are checked against all sources:
    flagged if none states them, so an answer from the model's memory does not pass
    silently, and, with `attribute_uncited`, cited to the article that does (small models
    often forget the markers, or cite the wrong article). With the fact check, an answer in
    which no statement that answers `question` keeps a citation becomes the refusal, the
    model's text kept as `unverified`.
    """
    articles = _Articles(sources, article_text, embedder, min_support, question, check)
    statements = split_statements(draft)
    checks = _Checks()
    for st in statements:
        _check_statement(st, articles, checks, attribute_uncited, verify)
    if is_refusal(draft) and not any(checks.keep.values()) and not checks.add:
        unknown = sum(1 for st in statements for n in st.numbers if n not in articles.by_n)
        return Validated(strip_markers(draft) or REFUSAL_TEXT, True, [], [], unknown, 0, [])
    v = _assemble(draft, articles, checks)
    if check == "facts" and not v.refused and not _answers(statements, checks, question, articles):
        v = _unverified(v, draft)
    v.check_ms, v.verify_ms = articles.check_ms, checks.verify_ms
    v.verified, v.rejected_by_model = checks.verified, checks.rejected_by_model
    return v


def _answers(
    statements: list[Statement], checks: _Checks, question: str, articles: _Articles
) -> bool:
    """Does a statement that answers the question keep a citation to an article passage
    about what the question asks (the passage read with what its article says it is about,
    `_about`), in articles that mention every name the question gives (the extractive
    answerer's rule, qa.evidence.missing_names: a true sentence about Ondo State does not
    answer a question about Kebbi State)?"""
    for st in statements:
        cited = checks.keep.get(st.start) or checks.add.get(st.start)
        if not cited or not (_substantive(st.text) or _short_answer(st.text)):
            continue
        passage = " ".join(checks.passages.get(st.start, []))
        titles = " ".join(_about(articles.facts(n)) for n in cited)
        texts = {str(n): articles.text(n) for n in cited}
        if (
            answers_question(question, st.text, passage, titles)
            and not missing_names(question, texts)
            and reports_anchor(question, list(texts.values()))
        ):
            return True
    return False


# The opening sentences read with a passage: the lede and the one after it. (Measured on the
# newsroom `tune` split, then `test`: three let more non-answers through; docs/evals.md.)
_OPENING = 2


def _about(article: Article) -> str:
    """What a story says it is about: its headline, which says what a feature's paragraph is
    about without repeating it, and its opening sentences (`Article.top`), which a later
    paragraph refers back to ("Reid said Moussa Ndiaye would start in Okafor's place" is
    about the injured striker the first sentence names)."""
    return " ".join([article.title, *(s.text for s in article.top[:_OPENING])])


def _unverified(v: Validated, draft: str) -> Validated:
    """The refusal in place of an answer none of whose answering statements is supported."""
    notice = (
        "The model's answer is not stated by the articles, so it is not shown as an answer "
        "(kept as unverified text)."
    )
    return Validated(
        REFUSAL_TEXT,
        True,
        [],
        v.unsupported,
        v.dropped_unknown,
        v.dropped_unsupported,
        [*v.notices, notice],
        unverified=strip_markers(draft),
    )


def _substantive(claim: str) -> bool:
    return len(claim.split()) >= _MIN_STATEMENT_WORDS and not claim.endswith(":")


def _short_answer(claim: str) -> bool:
    """A short statement that may still answer: a name or a figure ("Sandrine Leroux.", "The
    bond is €700m."), not a piece of the reply's frame ("Here is what I found:")."""
    return not claim.endswith(":") and bool(numbers_in(claim) or names(claim))


def _check_statement(
    st: Statement,
    articles: _Articles,
    checks: _Checks,
    attribute_uncited: bool,
    verify: Verifier | None = None,
) -> None:
    """Keep the statement's citations that hold; find a source for a claim left uncited."""
    claim = st.text
    valid = [n for n in st.numbers if n in articles.by_n]
    held = articles.cited_support(claim, valid) if claim else {}
    if held and verify is not None and not _second_opinion(claim, held, articles, checks, verify):
        held = {}
    ok = [n for n in valid if n in held]
    for n in ok:
        checks.quote(n, held[n])
    if ok:
        checks.passages[st.start] = [articles.passage(n, held[n][0]) for n in ok]
    checks.dropped_unsupported += len(valid) - len(ok)
    checks.keep[st.start] = ok
    if ok or not _substantive(claim) or is_refusal(claim):
        return
    # Uncited, cited with invented numbers, or cited to an article that does not say it:
    # does another source state it?
    best: tuple[int, tuple[str, float]] | None = None
    for n in articles.by_n:
        if n in valid:
            continue  # already tested above
        q = articles.supporting_quote(claim, n)
        if q is not None and (best is None or q[1] > best[1][1]):
            best = (n, q)
    if (
        best is not None
        and verify is not None
        and not _second_opinion(claim, {best[0]: best[1]}, articles, checks, verify)
    ):
        best = None
    if best is None or not attribute_uncited:
        checks.unsupported.append(claim)
        return
    n, q = best
    checks.add[st.start] = [n]
    checks.passages[st.start] = [articles.passage(n, q[0])]
    if valid:
        checks.moved += 1  # the model cited the wrong article
    else:
        checks.added += 1
    checks.quote(n, q)


def _second_opinion(
    claim: str,
    held: dict[int, tuple[str, float]],
    articles: _Articles,
    checks: _Checks,
    verify: Verifier,
) -> bool:
    """Ask the verifier about a statement the fact check passed; False removes it."""
    passage = " ".join(articles.passage(n, q[0]) for n, q in held.items())
    t0 = time.perf_counter()
    opinion = verify(claim, passage)
    checks.verify_ms += (time.perf_counter() - t0) * 1e3
    checks.verified += 1
    if opinion is False:
        checks.rejected_by_model += 1
        return False
    return True


def _assemble(draft: str, articles: _Articles, checks: _Checks) -> Validated:
    """Rewrite the markers to the citations that hold, numbered 1..k, with the notices."""
    r = renumber(draft, articles.by_n.keys(), checks.keep, checks.add)
    citations = [
        articles.by_n[old].citation(checks.quotes[old][0], new)
        for old, new in sorted(r.mapping.items(), key=lambda kv: kv[1])
    ]
    notices = _notices(r.dropped, checks)
    text, refused = r.text, False
    if not text.strip():
        text, refused = REFUSAL_TEXT, True
        citations, notices = [], [*notices, "The model returned an empty answer."]
    return Validated(
        text, refused, citations, checks.unsupported, r.dropped, checks.dropped_unsupported, notices
    )


def _notices(unknown: int, checks: _Checks) -> list[str]:
    """What validation changed, in words, for the user."""
    removed = checks.dropped_unsupported - checks.moved
    unsupported = len(checks.unsupported)
    candidates = [
        (
            unknown,
            f"Removed {counted(unknown, 'citation')} to articles that were not among the sources.",
        ),
        (
            removed,
            f"Removed {counted(removed, 'citation')} whose article does not support the statement.",
        ),
        (
            checks.moved,
            f"Moved {counted(checks.moved, 'citation')} to the article that "
            "supports the statement.",
        ),
        (
            checks.added,
            f"Added {counted(checks.added, 'citation')} the model left out, each to an "
            "article that states the statement.",
        ),
        (
            checks.rejected_by_model,
            f"The model judged {counted(checks.rejected_by_model, 'statement')} not supported "
            "by its quote on a second look (citation removed).",
        ),
        (
            unsupported,
            f"{counted(unsupported, 'statement is', 'statements are')} not supported "
            "by the cited articles (marked as unsupported).",
        ),
    ]
    return [text for n, text in candidates if n]

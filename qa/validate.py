"""Checking a generated answer's citations against the articles it cites.

Nothing the model wrote about sources is trusted: markers are parsed, numbers that match no
source are dropped, and each remaining citation must be supported by a sentence of that
article (`supporting_quote`), which becomes the citation's quote. A statement whose cited
article does not support it keeps its text, loses the citation and is listed in
`Validated.unsupported`; an uncited claim that some source supports is cited to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa.citations import Statement, renumber, split_statements, strip_markers
from qa.evidence import REFUSAL_TEXT, Source, best_quote, is_refusal
from qa.types import Citation

_MIN_STATEMENT_WORDS = 5  # shorter pieces ("Here is what I found:") are not claims

_SCAFFOLD = re.compile(
    r"^\s*(?:</?\s*articles?\b[^>\n]*>|(?:Title|Source|Date|Question)\s*:.*|"
    r"Article numbers you may cite:.*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 citation', '2 citations' (or the given plural): for the notices a user reads."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def tidy_draft(draft: str) -> tuple[str, int]:
    """Remove prompt scaffolding a model echoed (our tags, the Title:/Date: header lines) and
    statements repeated word for word (small models loop). Returns (text, repeats removed)."""
    text = _SCAFFOLD.sub("", draft)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    seen: set[str] = set()
    out: list[str] = []
    pos = 0
    repeats = 0
    for st in split_statements(text):
        key = " ".join(st.text.lower().split())
        if len(key.split()) >= 3 and key in seen:
            out.append(text[pos : st.start].rstrip(" \t"))
            pos = st.end
            repeats += 1
            continue
        seen.add(key)
    out.append(text[pos:])
    return "".join(out).strip(), repeats


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


class _Articles:
    """The sources by number, their full text (read once), and the support test."""

    def __init__(
        self,
        sources: Sequence[Source],
        article_text: Callable[[str], str | None] | None,
        embedder: Any,
        min_support: float,
    ) -> None:
        self.by_n = {s.n: s for s in sources}
        self.article_text = article_text
        self.embedder = (
            embedder if isinstance(embedder, _CachedEmbedder) else _CachedEmbedder(embedder)
        )
        self.min_support = min_support
        self._texts: dict[int, str] = {}

    def text(self, n: int) -> str:
        if n not in self._texts:
            s = self.by_n[n]
            full = self.article_text(s.article_id) if self.article_text else None
            self._texts[n] = full or "\n".join(h.text for h in s.hits)
        return self._texts[n]

    def supporting_quote(self, claim: str, n: int) -> tuple[str, float] | None:
        """The sentence of article n that supports `claim`, with its support, or None.

        The one test of "this article says that": a finer, fact-level check belongs here.
        """
        q = best_quote(claim, self.text(n), self.embedder) if claim else None
        return q if q is not None and q[1] >= self.min_support else None


@dataclass
class _Checks:
    """What validation decided, statement by statement (keyed by the statement's start)."""

    keep: dict[int, list[int]] = field(default_factory=dict)  # cited numbers that hold
    add: dict[int, list[int]] = field(default_factory=dict)  # numbers to cite instead
    quotes: dict[int, tuple[str, float]] = field(default_factory=dict)  # n -> best quote
    unsupported: list[str] = field(default_factory=list)
    dropped_unsupported: int = 0
    added: int = 0
    moved: int = 0

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
) -> Validated:
    """Check each statement's citations against the cited articles; renumber the survivors.

    A citation survives if its article has a sentence with support >= `min_support`; that
    sentence is the citation's quote (the best one over all statements citing the article).
    Uncited claims are checked against all sources: flagged if none supports them, so an
    answer from the model's memory does not pass silently, and, with `attribute_uncited`,
    cited to the best supporting article (small models often forget the markers, or cite
    the wrong article; the new citation is held to the same test).
    """
    articles = _Articles(sources, article_text, embedder, min_support)
    statements = split_statements(draft)
    checks = _Checks()
    for st in statements:
        _check_statement(st, articles, checks, attribute_uncited)
    if is_refusal(draft) and not any(checks.keep.values()) and not checks.add:
        unknown = sum(1 for st in statements for n in st.numbers if n not in articles.by_n)
        return Validated(strip_markers(draft) or REFUSAL_TEXT, True, [], [], unknown, 0, [])
    return _assemble(draft, articles, checks)


def _check_statement(
    st: Statement, articles: _Articles, checks: _Checks, attribute_uncited: bool
) -> None:
    """Keep the statement's citations that hold; find a source for a claim left uncited."""
    claim = st.text
    valid = [n for n in st.numbers if n in articles.by_n]
    ok: list[int] = []
    for n in valid:
        q = articles.supporting_quote(claim, n)
        if q is not None:
            ok.append(n)
            checks.quote(n, q)
        else:
            checks.dropped_unsupported += 1
    checks.keep[st.start] = ok
    substantive = len(claim.split()) >= _MIN_STATEMENT_WORDS and not claim.endswith(":")
    if ok or not substantive or is_refusal(claim):
        return
    # Uncited, cited with invented numbers, or cited to an article that does not say it:
    # does another source support it?
    best: tuple[int, tuple[str, float]] | None = None
    for n in articles.by_n:
        if n in valid:
            continue  # already tested above
        q = articles.supporting_quote(claim, n)
        if q is not None and (best is None or q[1] > best[1][1]):
            best = (n, q)
    if best is None or not attribute_uncited:
        checks.unsupported.append(claim)
        return
    n, q = best
    checks.add[st.start] = [n]
    if valid:
        checks.moved += 1  # the model cited the wrong article
    else:
        checks.added += 1
    checks.quote(n, q)


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
            f"Added {counted(checks.added, 'citation')} the model left out, each "
            "checked against the article.",
        ),
        (
            unsupported,
            f"{counted(unsupported, 'statement is', 'statements are')} not supported "
            "by the cited articles (marked as unsupported).",
        ),
    ]
    return [text for n, text in candidates if n]

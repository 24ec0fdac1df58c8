"""Answers from retrieved articles: the extractive answerer and the citation plumbing that
generated answers share.

The extractive answerer quotes the sentences that best answer the question, verbatim, with one
`[n]` per article. It refuses when no sentence carries the question's key terms and meaning,
rather than quoting something merely on-topic.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from qa.config import Settings
from qa.embed import Embedder
from qa.text import QUESTION_WORDS, STOPWORDS, names, sentences, stem, stems, words
from qa.types import Answer, Citation, CitationEvent, Event, Final, Hit, Status, TextDelta

REFUSAL_PREFIX = "The articles don't say"

_DATEISH = re.compile(
    r"\b(19|20)\d\d\b|\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(Jan|Feb|Mar|Apr|May|Jun|"
    r"Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|\b(last|next|this) (week|month|year)\b|\btoday\b|"
    r"\byesterday\b|\brecently\b",
)
_NUMBERISH = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozens?|"
    r"hundreds?|thousands?|millions?|billions?|half)\b",
    re.I,
)


@dataclass
class Source:
    """One article in the context, numbered in rank order (n = its citation number)."""

    n: int
    article_id: str
    title: str
    source: str | None
    published_at: str | None
    url: str | None
    hits: list[Hit] = field(default_factory=list)

    def citation(self, quote: str, n: int | None = None) -> Citation:
        return Citation(
            n=n if n is not None else self.n,
            article_id=self.article_id,
            title=self.title,
            source=self.source,
            published_at=self.published_at,
            url=self.url,
            quote=quote,
        )


def group_by_article(hits: list[Hit]) -> list[Source]:
    """Hits grouped per article, articles in order of their best hit, numbered from 1."""
    out: dict[str, Source] = {}
    for h in hits:
        if h.article_id not in out:
            out[h.article_id] = Source(
                len(out) + 1, h.article_id, h.title, h.source, h.published_at, h.url
            )
        out[h.article_id].hits.append(h)
    return list(out.values())


def key_terms(text: str) -> dict[str, float]:
    """Content words of a question, stemmed, with weights: names count double, and words in
    parentheses (context, such as a follow-up's "(about: Peskov)") count half."""
    terms: dict[str, float] = {}
    main = re.sub(r"\([^)]*\)", " ", text)
    for part, scale in ((main, 1.0), (" ".join(re.findall(r"\(([^)]*)\)", text)), 0.5)):
        for i, w in enumerate(words(part)):
            lw = w.lower().strip("'’.-")
            if not lw or lw in STOPWORDS or lw in QUESTION_WORDS or len(lw) < 2 or lw == "about":
                continue
            weight = (2.0 if (w[0].isupper() and i > 0) or w.isupper() else 1.0) * scale
            s = stem(lw)
            terms[s] = max(terms.get(s, 0.0), weight)
    return terms


def coverage(terms: dict[str, float], text: str) -> float:
    """Weighted share of the question's key terms that occur in `text`."""
    if not terms:
        return 0.0
    have = stems(text)
    total = sum(terms.values())
    return sum(wt for t, wt in terms.items() if t in have) / total


@dataclass
class Candidate:
    article_id: str
    start: int
    end: int
    text: str
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0


def score_candidates(
    question: str,
    cands: list[Candidate],
    embedder: Embedder,
    qv: np.ndarray | None = None,
    vecs: np.ndarray | None = None,
) -> np.ndarray | None:
    """Score sentences against a question (or a statement): meaning and key-term overlap.

    Returns the sentence vectors so that scoring the same sentences again is cheap."""
    if not cands:
        return vecs
    if qv is None:
        qv = embedder.embed([question])[0]
    if vecs is None:
        vecs = embedder.embed_cached([c.text for c in cands])
    dense = vecs @ qv
    terms = key_terms(question)
    wants_date = bool(re.match(r"\s*(when|what (day|date|time))\b", question, re.I))
    wants_number = bool(re.match(r"\s*how (many|much|long|far)\b", question, re.I))
    for c, d in zip(cands, dense, strict=True):
        c.dense = float(d)
        c.lexical = coverage(terms, c.text)
        c.score = 0.55 * c.dense + 0.45 * c.lexical
        if wants_date and _DATEISH.search(c.text):
            c.score += 0.05
        if wants_number and _NUMBERISH.search(c.text):
            c.score += 0.05
        if len(c.text.split()) < 6:  # crossheads and fragments are no answer on their own
            c.score -= 0.1
        # Rounded, so float noise between runs cannot flip the order of near-ties.
        c.score = round(c.score, 4)
    return vecs


def candidates_from_hits(
    hits: list[Hit], article_text: Callable[[str], str | None]
) -> list[Candidate]:
    """The sentences of the retrieved chunks (whole sentences, even where a chunk cut one)."""
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    spans_of: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for h in hits:
        if h.article_id not in spans_of:
            text = article_text(h.article_id) or ""
            spans_of[h.article_id] = (text, sentences(text))
        text, spans = spans_of[h.article_id]
        for s, e in spans:
            if e > h.start and s < h.end and (h.article_id, s) not in seen:
                seen.add((h.article_id, s))
                out.append(Candidate(h.article_id, s, e, text[s:e]))
    return out


MAX_CANDIDATES = 20


def shortlist(question: str, cands: list[Candidate]) -> list[Candidate]:
    """At most MAX_CANDIDATES sentences go to the embedder: the best by key-term overlap, then
    the rest in retrieval order. Embedding is the answerer's only costly step."""
    if len(cands) <= MAX_CANDIDATES:
        return cands
    terms = key_terms(question)
    for c in cands:
        c.lexical = coverage(terms, c.text)
    by_terms = sorted(range(len(cands)), key=lambda i: (-cands[i].lexical, i))
    keep = set(by_terms[: MAX_CANDIDATES * 3 // 4])
    for i in range(len(cands)):  # the rest of the places go in retrieval order
        if len(keep) >= MAX_CANDIDATES:
            break
        keep.add(i)
    return [cands[i] for i in sorted(keep)]


def best_quote(
    statement: str, article_text: str, embedder: Embedder, threshold: float = 0.0
) -> tuple[str, float] | None:
    """The sentence of an article that best supports `statement`, and its support in [0, 1]."""
    cands = [Candidate("", s, e, article_text[s:e]) for s, e in sentences(article_text)]
    if not cands:
        return None
    score_candidates(statement, cands, embedder)
    best = max(cands, key=lambda c: c.score)
    support = max(0.0, min(1.0, best.score))
    return (best.text, support) if support >= threshold else None


def refusal(question: str, missing: list[str] | None = None) -> str:
    q = " ".join(question.split())
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        return f'{REFUSAL_PREFIX} anything about {names}, so I can\'t answer "{q}".'
    return f'{REFUSAL_PREFIX}: none of the retrieved articles answers "{q}".'


def is_refusal(text: str) -> bool:
    return text.strip().startswith(REFUSAL_PREFIX)


def extractive_stream(
    question: str,
    hits: list[Hit],
    article_text: Callable[[str], str | None],
    embedder: Embedder,
    settings: Settings,
    query_vector: np.ndarray | None = None,
) -> Iterator[Event]:
    """Quote the best-supported sentences with [n] per article, or refuse; ends with Final."""
    t0 = time.perf_counter()
    yield Status("selecting the sentences that answer the question")
    cands = shortlist(question, candidates_from_hits(hits, article_text))
    texts = {a: article_text(a) or "" for a in {h.article_id for h in hits}}
    parts = split_question(question)
    missing = missing_names(question, texts) if len(parts) == 1 else []
    chosen: list[Candidate] = []
    vecs = None
    for part in parts if cands and not missing else []:
        if len(parts) > 1 and missing_names(part, texts):
            continue
        pv = query_vector if len(parts) == 1 else None
        vecs = score_candidates(part, cands, embedder, pv, vecs)
        limit = settings.max_quotes if len(parts) == 1 else 2
        for c in select(cands, settings, limit):
            if all(c is not o for o in chosen):
                chosen.append(c)
    chosen = _answer_order(chosen)
    sources = {s.article_id: s for s in group_by_article(hits)}
    if not chosen:
        answer = Answer(question=question, text=refusal(question, missing), refused=True)
        yield TextDelta(answer.text)
        answer.timings_ms["answer"] = (time.perf_counter() - t0) * 1e3
        yield Final(answer)
        return
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for c in chosen:
        if c.article_id not in numbers:
            numbers[c.article_id] = len(numbers) + 1
            cit = sources[c.article_id].citation(c.text, numbers[c.article_id])
            citations.append(cit)
        piece = f"{c.text} [{numbers[c.article_id]}]"
        yield TextDelta(piece if not parts else " " + piece)
        parts.append(piece)
    for cit in citations:
        yield CitationEvent(cit)
    answer = Answer(question=question, text=" ".join(parts), refused=False, citations=citations)
    answer.timings_ms["answer"] = (time.perf_counter() - t0) * 1e3
    yield Final(answer)


def select(cands: list[Candidate], settings: Settings, limit: int) -> list[Candidate]:
    """The best sentence, plus close runners-up; none when the best is no answer."""
    ranked = sorted(cands, key=lambda c: (-c.score, c.article_id, c.start))
    best = ranked[0]
    if best.score < settings.min_support or best.lexical < 0.3:
        return []
    # Another article saying the same thing is worth citing too (corroboration); another
    # sentence of the same article must be nearly as good, or it is only noise.
    floor_other = max(settings.min_support, best.score - 0.08)
    floor_same = max(settings.min_support, best.score - 0.04)
    chosen = [best]
    for c in ranked[1:]:
        if len(chosen) >= limit or c.score < floor_other:
            break
        if c.score < floor_same and any(c.article_id == o.article_id for o in chosen):
            continue
        if any(_same(c.text, o.text) and c.article_id == o.article_id for o in chosen):
            continue
        chosen.append(c)
    return chosen


def _answer_order(chosen: list[Candidate]) -> list[Candidate]:
    """Quotes grouped by article, best article first and best quote first within it, so the
    answer leads with its strongest evidence (citation numbers follow first appearance)."""
    order = {a: i for i, a in enumerate(dict.fromkeys(c.article_id for c in chosen))}
    rank = {id(c): i for i, c in enumerate(chosen)}
    return sorted(chosen, key=lambda c: (order[c.article_id], rank[id(c)]))


_SPLIT = re.compile(
    r"(?:\?\s+|,?\s+and\s+|;\s*)(?=(?:what|who|whom|when|where|why|how|which)\b)", re.I
)


def split_question(question: str) -> list[str]:
    """'What did X say, and what did Y do?' -> two questions, each answered on its own;
    a single question comes back as it is."""
    parts = [p.strip(" ,;?") for p in _SPLIT.split(question)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return parts if len(parts) > 1 else [question]


def _same(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.7


def missing_names(question: str, texts: dict[str, str]) -> list[str]:
    """Names in the question that no retrieved article mentions: the articles can't answer.

    A name counts as mentioned when any of its words is (so "Donald Trump" matches "Mr. Trump").
    """
    found = names(question, particles=False)
    if not texts:
        return found
    have = {stem(w) for t in texts.values() for w in words(t)}
    return [n for n in found if not any(stem(w) in have for w in n.split())]

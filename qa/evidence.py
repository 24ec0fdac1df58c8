"""The evidence both answerers stand on: sources, scored sentences, the relevance gate, the
best quote, and how a refusal is worded and recognised. (Which sentences hold an answer of
the asked-for kind is qa.answer_types.)

The extractive answerer (qa.extractive) quotes the best sentences; the LLM answerer
(qa.generate) shows the sources to a model and checks its citations with `best_quote`
(qa.validate). Both use the same notion of "this sentence answers the question", so an
answer is never accepted on one path that the other would call unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from qa.entities import DATE_WORD
from qa.lexicon import (
    COUNTRIES,
    HEAD_NOUNS,
    ORG_CUES,
    PLACE_CUES,
    Span,
    country_named,
    demonym_places,
    is_demonym,
    is_regional,
)
from qa.text import (
    QUESTION_WORDS,
    STOPWORDS,
    name_in,
    names,
    same_name_forms,
    sentences,
    stem,
    stems,
    word_list,
    words,
)
from qa.types import Citation, Hit

if TYPE_CHECKING:
    from qa.answerer import AnswerContext
    from qa.embed import Embedder
    from qa.retrieve import Retrieval

# --------------------------------------------------------------------------- refusals

# Every refusal starts with this, whichever answerer wrote it: the UI, the evals and the
# tests recognise a refusal by it.
REFUSAL_PREFIX = "The articles don't say"
# The refusal the model is told to give, and that generated answers fall back to.
REFUSAL_TEXT = f"{REFUSAL_PREFIX}: they do not contain the answer to this question."

# What models say (in their own words) when the context does not answer the question.
_MODEL_REFUSAL_RE = re.compile(
    r"\b(?:the |these |provided |given |retrieved )*(?:articles?|sources?|context|documents?|"
    r"texts?|information provided)\s+(?:do|does|did)\s*(?:not|n['\u2019]t)\s+"
    r"(?:say|contain|mention|include|provide|specify|state|answer|discuss|cover|address|"
    r"have|give|tell|offer)"
    r"|\b(?:I|we)\s+(?:cannot|can(?:no|['\u2019])t|could\s*not|couldn['\u2019]t|am unable to|"
    r"was unable to|do\s*n[o']t have (?:enough )?information to)\s+(?:find|answer|determine|"
    r"tell|say|provide)"
    r"|\bno (?:relevant )?information (?:about|on|regarding|is (?:given|provided))"
    r"|\bnot (?:mentioned|stated|specified|covered|addressed) in the (?:articles?|sources?|"
    r"context|documents?)",
    re.IGNORECASE,
)


def refusal(question: str, missing: list[str] | None = None) -> str:
    """The refusal for a question the articles cannot answer (naming what they lack)."""
    q = " ".join(question.split())
    if missing:
        listed = ", ".join(dict.fromkeys(missing))
        return f'{REFUSAL_PREFIX} anything about {listed}, so I can\'t answer "{q}".'
    return f'{REFUSAL_PREFIX}: none of the retrieved articles answers "{q}".'


def is_refusal(text: str) -> bool:
    """Does `text` say the articles do not hold the answer (ours, or a model's wording)?"""
    return text.strip().startswith(REFUSAL_PREFIX) or bool(_MODEL_REFUSAL_RE.search(text))


# --------------------------------------------------------------------------- sources


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


def missing_names(question: str, texts: dict[str, str]) -> list[str]:
    """Names in the question that no retrieved article mentions: the articles can't answer.

    A name counts as mentioned when any of its words is (so "Donald Trump" matches "Mr. Trump").
    """
    # Role words capitalised as names ("MP", "MEP", "CEO") name a kind of person, not one.
    # Nor do adjectives of a region ("South American"): the articles name its countries.
    # Nor do months and weekdays ("between October 20 and October 25"): they are times.
    # A possessive joins two names ("Turkey's Rize province"): each must be mentioned.
    parts = [p for n in names(question, particles=False) for p in re.split(r"['’]s\s+", n)]
    found = [
        n
        for n in parts
        if n.lower() not in ROLE_WORDS and not is_regional(n) and not is_date_name(n)
    ]
    found = [re.sub(r"['’]s$", "", n) for n in found]  # "India's launch" is about India
    if not texts:
        return found
    have = {stem(w) for t in texts.values() for w in words(t)}
    return [n for n in found if not _mentioned(n, have, texts)]


def is_date_name(name: str) -> bool:
    """ "October", "Monday": capitalised, but a time, not a name."""
    return all(DATE_WORD.fullmatch(w) for w in name.split())


def _mentioned(name: str, have: set[str], texts: dict[str, str]) -> bool:
    # A word that names a kind of place or body is not the name: "Kebbi State" is not
    # mentioned by "Ondo State", "Rize Province" not by "Bingöl Province".
    distinct = [w for w in name.split() if w not in CUE_WORDS] or name.split()
    if any(stem(w) in have for w in distinct):
        return True
    if any(name_in(f, t) for f in same_name_forms(name) for t in texts.values()):
        return True  # "North Carolina" by the dateline's "N.C."
    if name in COUNTRIES:
        return any(country_named(name, t) for t in texts.values())
    if not is_demonym(name):
        return False
    # "Danish" is mentioned by an article about Denmark, "Polish" by one about Poland.
    places = demonym_places(name)
    return any(re.search(rf"\b{re.escape(p)}", t) for t in texts.values() for p in places)


ROLE_WORDS = HEAD_NOUNS["person"] | HEAD_NOUNS["org"]
CUE_WORDS = ORG_CUES | PLACE_CUES | {"State", "States"}

# --------------------------------------------------------------------------- sentences


def key_terms(text: str) -> dict[str, float]:
    """Content words of a question, stemmed, with weights: names count double, and words in
    parentheses (context, such as a follow-up's "(about: Peskov)") count half."""
    terms: dict[str, float] = {}
    main = re.sub(r"\([^)]*\)", " ", text)
    for part, scale in ((main, 1.0), (" ".join(re.findall(r"\(([^)]*)\)", text)), 0.5)):
        for i, w in enumerate(words(part)):
            lw = w.lower().strip("'’.-")
            if not lw or lw in STOPWORDS or lw in QUESTION_WORDS or len(lw) < 2 or lw in _NOT_TERMS:
                continue
            weight = (2.0 if (w[0].isupper() and i > 0) or w.isupper() else 1.0) * scale
            s = stem(lw)
            terms[s] = max(terms.get(s, 0.0), weight)
    return terms


# "about"; the days a question counts from (its window finds the reports of "yesterday", whose
# sentences say "on Monday", never "yesterday"); and the words asking for the newest report
# (its recency preference does that: "the latest news on the talks" is about the talks).
_NOT_TERMS = frozenset(
    word_list("about today yesterday tonight tomorrow latest newest recent current currently news")
)


def coverage(terms: dict[str, float], text: str) -> float:
    """Weighted share of the question's key terms that occur in `text`."""
    if not terms:
        return 0.0
    have = stems(text)
    total = sum(terms.values())
    return sum(wt for t, wt in terms.items() if t in have) / total


@dataclass
class Candidate:
    """A sentence of an article (offsets into its cleaned text) and how well it answers."""

    article_id: str
    start: int
    end: int
    text: str
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0
    # The short answer this sentence holds, when the question asks for a kind of fact.
    answer: Span | None = None
    # What a reader has in mind when reaching the sentence: the headline and the sentence
    # before ("He was appointed in October 2023" is about the man the previous one named).
    context: str = ""
    own_lexical: float = 0.0  # key-term coverage of the sentence alone, without its context


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
        for i, (s, e) in enumerate(spans):
            if e > h.start and s < h.end and (h.article_id, s) not in seen:
                seen.add((h.article_id, s))
                before = text[spans[i - 1][0] : spans[i - 1][1]] if i else ""
                context = f"{h.title} {before}"
                out.append(Candidate(h.article_id, s, e, text[s:e], context=context))
    return out


# Key terms found only in the headline or the sentence before count at this share.
CONTEXT_DISCOUNT = 0.8


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
    for c, d in zip(cands, dense, strict=True):
        c.dense = float(d)
        c.lexical = c.own_lexical = coverage(terms, c.text)
        if c.context:
            c.lexical = max(c.lexical, CONTEXT_DISCOUNT * coverage(terms, f"{c.context} {c.text}"))
        c.score = 0.55 * c.dense + 0.45 * c.lexical
        if len(c.text.split()) < 6:  # crossheads and fragments are no answer on their own
            c.score -= 0.1
        # Rounded, so float noise between runs cannot flip the order of near-ties.
        c.score = round(c.score, 4)
    return vecs


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


# --------------------------------------------------------------------------- relevance


def relevant_sources(
    question: str, retrieval: Retrieval, context: AnswerContext, slack: float = 0.07
) -> tuple[list[Source], str | None]:
    """The sources worth showing a model, or ([], reason) when none is relevant enough.

    The extractive answerer's gate (names in the question that no article mentions; best
    sentence score below `min_support`), loosened by `slack`: a model can combine sentences
    that are individually weaker answers than the one the extractive answerer quotes.
    """
    hits, article_text = retrieval.hits, context.article_text
    sources = group_by_article(hits)
    if not hits:
        return [], "no article matched the question"
    texts = {s.article_id: article_text(s.article_id) or "" for s in sources}
    missing = missing_names(question, texts)
    if missing:
        return [], "no article mentions " + ", ".join(dict.fromkeys(missing))
    cands = candidates_from_hits(hits, article_text)
    if not cands:
        return [], "the matching articles have no text"
    score_candidates(question, cands, context.embedder, retrieval.query_vector)
    floor = max(0.0, context.settings.min_support - slack)
    best: dict[str, float] = {}
    for c in cands:
        best[c.article_id] = max(best.get(c.article_id, -1.0), c.score)
    keep = [s for s in sources if best.get(s.article_id, -1.0) >= floor]
    if not keep:
        return [], "no article sentence is close enough to the question"
    return keep, None

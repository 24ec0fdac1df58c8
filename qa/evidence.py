"""The evidence both answerers stand on: sources, scored sentences, the relevance gate, the
best quote, and how a refusal is worded and recognised.

The extractive answerer (qa.extractive) quotes the best sentences; the LLM answerer
(qa.generate) shows the sources to a model and checks its citations with `best_quote`
(qa.validate). Both use the same notion of "this sentence answers the question", so an
answer is never accepted on one path that the other would call unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from qa.entities import (
    DATE_WORD,
    Kind,
    Profile,
    Span,
    answer_kind,
    asked_role,
    fits_unit,
    is_demonym,
    profile,
    spans,
)
from qa.lexicon import HEAD_NOUNS
from qa.text import (
    QUESTION_WORDS,
    STOPWORDS,
    bare,
    name_in,
    name_words,
    names,
    numbers_in,
    same_number,
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
    found = [n for n in names(question, particles=False) if n.lower() not in ROLE_WORDS]
    if not texts:
        return found
    have = {stem(w) for t in texts.values() for w in words(t)}
    return [n for n in found if not any(stem(w) in have for w in n.split())]


ROLE_WORDS = HEAD_NOUNS["person"] | HEAD_NOUNS["org"]

# --------------------------------------------------------------------------- sentences


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


# --------------------------------------------------------------------------- answer kinds

# Kinds of answer a sentence can hold as a short span; "reason" answers are whole clauses.
SPAN_KINDS = ("person", "org", "place", "date", "number", "work")
_SENTENCE_END = re.compile(r"[.!]['\"”’)\]]*$|[.!?,]['\"”’]$")
_POINTER = re.compile(
    r"^(?:read more|related|more from|sign up|subscribe|click|follow us|watch|listen)\b", re.I
)


def quotable(text: str) -> bool:
    """May an answer quote this sentence? A statement that ends like one: not a headline,
    crosshead, "Read more" pointer or caption, and not the article's own question ("So where
    will the talks take place?")."""
    t = text.strip()
    ws = t.split()
    if len(ws) < 6 or not _SENTENCE_END.search(t) or _POINTER.match(t):
        return False
    capitalised = sum(1 for w in ws if w[:1].isupper())
    return capitalised / len(ws) < 0.75


@lru_cache(maxsize=512)
def _profile(text: str) -> Profile:
    return profile(text)


def type_candidates(
    question: str, cands: list[Candidate], article_text: Callable[[str], str | None]
) -> Kind | None:
    """Read the question's answer kind and mark what each sentence offers for it.

    Sentences that may not be quoted drop out (score -1). For a kind with short answers, each
    sentence's `answer` is the span of that kind it holds that the question does not already
    name (None if it holds none); those that hold one rank a little higher. A "why" question
    prefers sentences that give a reason.
    """
    kind = answer_kind(question)
    terms = key_terms(question)
    qualifier, noun = asked_role(question)
    # The names the answer must be about: not role words ("MP"), dates ("August") or
    # adjectives of place ("Danish minister" is answered by "Health Minister Sofie Berg").
    asked_names = [
        n
        for n in names(question)
        if n.lower() not in ROLE_WORDS and not DATE_WORD.fullmatch(n) and not is_demonym(n)
    ]
    for c in cands:
        if not quotable(c.text):
            c.score = -1.0
            continue
        if kind in SPAN_KINDS:
            text = article_text(c.article_id) or ""
            c.answer = answer_span(question, kind, c.text, _profile(text))
            if c.answer is not None and not _about(c, text, asked_names):
                c.answer = None
            if c.answer is not None:
                # Nearer the question's words is likelier the fact asked about: "talks at the
                # conciliation service Acas in Glasgow" over "ferries linking Scotland"; and
                # an answer the sentence introduces with the asked-for noun ("Health Minister
                # Sofie Berg", "Bingöl province") is likelier still.
                near = coverage(terms, _around(c.text, c.answer))
                named = _introduced_as(c.text, c.answer, qualifier, noun)
                if near == 0 and not named:
                    # Nothing the question says is anywhere near this span: the sentence
                    # mentions the entity, but not the fact asked about ("How many ships are
                    # in the fleet?" against a sentence about a strike that has a number).
                    c.answer = None
                    continue
                c.score = round(c.score + 0.05 + LOCAL_WEIGHT * near + ROLE_WEIGHT * named, 4)
        elif kind == "reason" and spans(c.text, "reason"):
            c.score = round(c.score + 0.03, 4)
    return kind


# Nouns that ask for any person, organisation or place: "which player" is answered by a
# sentence that calls him the striker.
_GENERIC_ROLES = frozenset(
    word_list("person people player official member figure company firm group place area")
)


def _introduced_as(sentence: str, sp: Span, qualifier: str | None, noun: str | None) -> bool:
    """Does the sentence introduce the answer with the asked-for noun ("Health Minister Sofie
    Berg" for "which minister"), with the question's qualifier if it has one?"""
    if noun is None:
        return False
    window = _around(sentence, sp, 40)
    have = stems(window)
    if stem(noun) in have:
        if qualifier is None:
            return True
        m = re.search(r"([A-Za-z-]+)\s+" + re.escape(noun[:5]), window, re.IGNORECASE)
        if stem(qualifier) in have:
            return True
        # Another qualifier ("finance minister" for "defence minister") earns no credit.
        # (Refusing such sentences outright lost right answers on the tuning half.)
        return not (m and bare(m.group(1)) not in STOPWORDS)
    if noun in _GENERIC_ROLES and sp.kind == "person":
        return any(w.lower() in HEAD_NOUNS["person"] for w in words(window))
    return False


def _about(c: Candidate, article: str, asked_names: list[str]) -> bool:
    """Is this sentence about whom the question names? Every name the question asks about
    must be in the sentence, the one before it, or the article's opening (its headline and
    lead): a sentence on train fares in England does not answer a question about bus fares
    in Wales.

    (Requiring also one of the question's other words, its predicate, refused too many
    paraphrased questions on the newsroom suite's tuning half: "got the decisive late goal"
    against "89th-minute strike".)
    """
    scope = c.text + " " + article[max(0, c.start - 300) : c.start] + " " + article[:400]
    return all(name_in(n, scope) or _demonym_of(n, scope) for n in asked_names)


def _demonym_of(name: str, scope: str) -> bool:
    """ "Brazilian" is answered by an article about "Brazil's" ministers (first five letters)."""
    return len(name) > 5 and " " not in name and name[:5] in scope


def answer_span(question: str, kind: Kind, sentence: str, prof: Profile) -> Span | None:
    """The span of `sentence` most likely to answer `question`: of the asked-for kind, not
    already in the question, fitting the question's unit ("how many satellites" wants a
    number of satellites, not "4,870 square kilometres"), nearest the question's key terms."""
    qwords = {bare(w) for w in words(question)}
    qnums = [n.value for n in numbers_in(question)]
    found = [
        sp
        for sp in spans(sentence, kind, prof)
        if not _given(sp, question, qwords, qnums)
        and (kind != "number" or fits_unit(question, sentence, sp))
    ]
    if not found:
        return None
    terms = key_terms(question)
    anchors = [
        m.start()
        for m in re.finditer(r"[A-Za-z0-9][\w'’.-]*", sentence)
        if stem(m.group(0)) in terms
    ]
    if not anchors:
        return found[0]
    return min(found, key=lambda sp: min(abs(sp.start - a) for a in anchors))


LOCAL_WEIGHT = 0.5
ROLE_WEIGHT = 0.1
_WINDOW = 60  # characters each side of a short answer that count as "near" it


def _around(sentence: str, sp: Span, window: int = _WINDOW) -> str:
    return sentence[max(0, sp.start - window) : sp.start] + " " + sentence[sp.end : sp.end + window]


def _given(sp: Span, question: str, qwords: set[str], qnums: list[float]) -> bool:
    """Is this span something the question already states?"""
    if sp.kind == "number":
        return any(same_number(n.value, q) for n in numbers_in(sp.text) for q in qnums)
    if sp.kind in ("person", "org", "place", "work"):
        if sp.kind == "place" and any(w[:5] == bare(sp.text)[:5] for w in qwords if len(w) > 4):
            return True  # "Turkey" answers nothing in "which Turkish province"
        return name_in(sp.text, question) or all(bare(w) in qwords for w in name_words(sp.text))
    return sp.text.lower() in question.lower()

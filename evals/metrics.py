"""Pure metric functions: text normalisation, correctness, retrieval ranks, percentiles.

Everything here is deterministic and model-free so it can be unit-tested on hand-made
cases. Every function returns a finite float for every input, empty ones included: the
empty cases are part of each definition (see docs/evals.md), never NaN.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence

# --- citation markers ----------------------------------------------------------------

# "[1]", "[2, 3]", "[1][4]": a marker is a bracketed list of integers.
_MARKER_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


def citation_numbers(text: str) -> list[int]:
    """Every `[n]` in order of appearance; `[1, 2]` counts as two markers."""
    out: list[int] = []
    for m in _MARKER_RE.finditer(text):
        out.extend(int(x) for x in m.group(1).split(","))
    return out


def strip_citations(text: str) -> str:
    """The text without its `[n]` markers (what a judge or F1 should read)."""
    text = _MARKER_RE.sub("", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


# --- sentences ------------------------------------------------------------------------

# Words that end with a period without ending a sentence ("Mr. Trump", "Aug. 19", "U.S.").
_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "sr", "jr", "prof", "gen", "sen", "rep", "gov", "lt",
    "col", "capt", "sgt", "rev", "hon", "pres", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "vs", "etc", "inc", "ltd", "co",
    "corp", "dept", "est", "fig", "approx", "e.g", "i.e", "u.s", "u.k", "u.n", "d.c",
    "a.m", "p.m", "mt",
}  # fmt: skip

# A boundary candidate: sentence punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_LEADING_MARKERS_RE = re.compile(r"^((?:\[\d+(?:\s*,\s*\d+)*\]\s*)+)")


def _is_abbreviation(chunk: str) -> bool:
    """Does `chunk` (text up to and including a '.') end with an abbreviation or initial?"""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\.$", chunk)
    if not m:
        return False
    word = m.group(1).lower()
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


def _inside_quote(before: str, after: str) -> bool:
    """Is a boundary inside a quotation that closes later in the same paragraph?"""
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    return before.count("\u201c") > before.count("\u201d") and "\u201d" in after


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping `[n]` markers with the sentence they follow.

    Paragraph breaks always end a sentence. Markers written after the full stop
    ("... deploy troops. [2]") are moved back to the sentence before them, so a
    sentence's citations are the markers inside it or right after it (ALCE's reading).
    """
    sentences: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if not para:
            continue
        start = 0
        pieces: list[str] = []
        for m in _BOUNDARY_RE.finditer(para):
            chunk = para[start : m.start() + 1]
            nxt = para[m.end() : m.end() + 1]
            if para[m.start()] == "." and _is_abbreviation(chunk):
                continue
            if nxt and (nxt.islower() or nxt.isdigit()):
                continue  # "the U.S. air base", "Aug. 15": not a boundary
            if _inside_quote(para[start : m.start() + 1], para[m.end() :]):
                continue  # '"It is high. It is shaping," she said.' is one sentence
            pieces.append(para[start : m.end()].strip())
            start = m.end()
        pieces.append(para[start:].strip())
        for piece in pieces:
            if not piece:
                continue
            lead = _LEADING_MARKERS_RE.match(piece)
            if lead and sentences:
                sentences[-1] = sentences[-1] + " " + lead.group(1).strip()
                piece = piece[lead.end() :].strip()
            if piece:
                sentences.append(piece)
    return sentences


# --- answer correctness (SQuAD v1.1 evaluation script) --------------------------------

_PUNCT = set(string.punctuation) | set("\u2018\u2019\u201c\u201d\u2013\u2014\u2026")


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower-case, drop punctuation and a/an/the, squeeze spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCT)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 between normalised prediction and gold; 1.0 if both are empty."""
    pred = normalize_answer(prediction).split()
    ref = normalize_answer(gold).split()
    if not pred or not ref:
        return 1.0 if pred == ref else 0.0
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred)
    recall = same / len(ref)
    return 2 * precision * recall / (precision + recall)


# The judge's own function words (deliberately not the engine's list: a judge must not share
# the code it judges).
_FUNCTION_WORDS = frozenset(
    """a an the of in on at to for from by with and or but as is was were be been being are
    its it his her their they them this that these those which who whom what when where why
    how into onto over under than then there here about after before during while some any
    all both each per via""".split()  # noqa: SIM905
)


def _words(text: str) -> list[str]:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())  # 1,200 -> 1200
    return re.findall(r"[^\W_]+(?:\.\d+)?", text)


def short_answer_match(question: str, gold: str | None, prediction: str) -> bool:
    """Does the answer state the gold answer? Lower-cased, every word of the gold answer that
    is not in the question (and not a function word) occurs in the answer; for a person's or
    organisation's name (2-4 capitalised words) the last word is enough ("Okafor" for "Tom
    Okafor"). A refusal or an empty answer is a miss. (docs/evals.md: correctness.short)"""
    if not gold or not prediction.strip():
        return False
    said = set(_words(prediction))
    parts = gold.split()
    if 2 <= len(parts) <= 4 and all(
        w[:1].isupper()
        for w in parts
        if w.lower() not in ("of", "the", "and", "de", "von", "van", "der")
    ):
        return _words(parts[-1])[-1] in said if _words(parts[-1]) else False
    asked = set(_words(question))
    own = [w for w in _words(gold) if w not in asked and w not in _FUNCTION_WORDS]
    if not own:
        own = [w for w in _words(gold) if w not in _FUNCTION_WORDS]
    return bool(own) and all(w in said for w in own)


def contains_normalized(haystack: str, needle: str) -> bool:
    """Is `needle` a whole-word span of `haystack` once both are SQuAD-normalised?"""
    n = normalize_answer(needle)
    if not n:
        return False
    return f" {n} " in f" {normalize_answer(haystack)} "


def accept_match(
    prediction: str, accept: Sequence[str], gold: str | None, mode: str = "any"
) -> bool:
    """Correct if an accept string (or, with none given, the gold answer) is in the prediction.

    `mode="all"` requires every accept string (questions that need two facts).
    """
    candidates = [a for a in accept if normalize_answer(a)]
    if not candidates and gold:
        candidates = [gold]
    if not candidates:
        return False
    hits = [contains_normalized(prediction, a) for a in candidates]
    return all(hits) if mode == "all" else any(hits)


# --- retrieval ------------------------------------------------------------------------


def dedupe(ids: Iterable[str]) -> list[str]:
    """Article ids in first-seen order: chunk hits ranked -> article ranking."""
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def first_relevant_rank(ranking: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold article in `ranking`, or None if absent."""
    g = set(gold)
    for rank, aid in enumerate(ranking, start=1):
        if aid in g:
            return rank
    return None


def hit_at_k(ranking: Sequence[str], gold: Iterable[str], k: int) -> float:
    """1.0 if any gold article is among the first k articles, else 0.0 (0.0 with no gold)."""
    rank = first_relevant_rank(ranking, gold)
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(ranking: Sequence[str], gold: Iterable[str], k: int = 10) -> float:
    """1/rank of the first gold article within the first k, else 0.0 (MRR@k's summand)."""
    rank = first_relevant_rank(ranking, gold)
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def recall_at_k(ranking: Sequence[str], gold: Iterable[str], k: int) -> float:
    """Share of the gold articles found in the first k (0.0 with no gold)."""
    g = set(gold)
    if not g:
        return 0.0
    return len(g & set(ranking[:k])) / len(g)


# --- aggregation ----------------------------------------------------------------------


def mean(values: Iterable[float], empty: float = 0.0) -> float:
    """Arithmetic mean; `empty` for no values (never NaN). Non-finite values are errors."""
    vals = list(values)
    if not vals:
        return empty
    for v in vals:
        if not math.isfinite(v):
            raise ValueError(f"non-finite metric value {v!r}")
    return sum(vals) / len(vals)


def percentile(values: Iterable[float], q: float, empty: float = 0.0) -> float:
    """The q-th percentile (0-100) with linear interpolation (numpy's default method)."""
    vals = sorted(v for v in values if math.isfinite(v))
    if not vals:
        return empty
    if len(vals) == 1:
        return vals[0]
    pos = (len(vals) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)

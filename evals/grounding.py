"""Grounding metrics over one answer: ALCE citation recall/precision and RAGAS faithfulness.

Both are computed with any `Judge`, so the offline and LLM judges produce the same fields.
Empty cases are defined here (and in docs/evals.md) so no value is ever NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from evals.judges import Judge
from evals.metrics import citation_numbers, split_sentences, strip_citations


@dataclass
class SentenceResult:
    """One answer sentence under ALCE: its citations and the judge's decisions."""

    text: str  # the sentence as written, markers included
    claim: str  # the same without markers (what the judge read)
    cited: list[int]  # marker numbers in the sentence
    supported: bool  # entailed by the concatenation of its cited articles (recall)
    precise: list[int] = field(default_factory=list)  # citations that were needed
    irrelevant: list[int] = field(default_factory=list)  # citations ALCE calls irrelevant
    invalid: list[int] = field(default_factory=list)  # markers with no source behind them
    score: float = 0.0
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CitationScores:
    recall: float
    precision: float
    sentences: list[SentenceResult]
    n_sentences: int
    n_citations: int


def alce_citation_scores(
    answer: str,
    sources: Mapping[int, str],
    judge: Judge,
) -> CitationScores:
    """ALCE (Gao et al. 2023) citation recall and precision for one answer.

    `sources` maps a marker number n to the text of the article it cites. Per sentence s
    with citations C: recall counts s if C is non-empty, every marker resolves, and the
    concatenation of C supports s. Precision counts citation c in C as needed unless s is
    unsupported by C, or (when |C| > 1) c alone does not support s while C without c does.
    Recall = supported sentences / sentences; precision = needed citations / citations.
    Empty cases: no sentences -> both 0.0; no citations -> precision 0.0 (as ALCE's code).
    """
    sents = [s for s in split_sentences(answer) if strip_citations(s)]
    results: list[SentenceResult] = []
    supported_n = 0
    needed = 0
    total_cites = 0
    for sent in sents:
        claim = strip_citations(sent)
        cited = list(dict.fromkeys(citation_numbers(sent)))
        invalid = [n for n in cited if n not in sources]
        total_cites += len(cited)
        r = SentenceResult(sent, claim, cited, False, invalid=invalid)
        results.append(r)
        if not cited or invalid:
            continue  # no citation, or a marker with no source: unsupported, none needed
        joint = "\n\n".join(sources[n] for n in cited)
        v = judge.judge([claim], joint)[0]
        r.supported, r.score, r.evidence = v.supported, v.score, v.evidence
        if not v.supported:
            continue
        supported_n += 1
        if len(cited) == 1:
            r.precise = list(cited)
            needed += 1
            continue
        for n in cited:
            alone = judge.judge([claim], sources[n])[0].supported
            if alone:
                r.precise.append(n)
                continue
            rest = "\n\n".join(sources[m] for m in cited if m != n)
            if judge.judge([claim], rest)[0].supported:
                r.irrelevant.append(n)
            else:
                r.precise.append(n)
        needed += len(r.precise)
    recall = supported_n / len(sents) if sents else 0.0
    precision = needed / total_cites if total_cites else 0.0
    return CitationScores(recall, precision, results, len(sents), total_cites)


@dataclass
class FaithfulnessScore:
    score: float
    claims: list[dict[str, Any]]


def faithfulness(
    answer: str, contexts: list[str], judge: Judge, question: str = ""
) -> FaithfulnessScore:
    """RAGAS faithfulness: supported claims / claims, each judged against all contexts.

    Claims come from `judge.claims` (an LLM statement list, or sentences offline) and are
    judged against the contexts joined, as RAGAS does. No claims -> 0.0 (RAGAS gives NaN);
    no contexts -> every claim unsupported.
    """
    claims = judge.claims(answer, question)
    if not claims:
        return FaithfulnessScore(0.0, [])
    joined = "\n\n".join(contexts)
    verdicts = judge.judge(claims, joined) if contexts else []
    rows = []
    ok = 0
    for i, claim in enumerate(claims):
        v = verdicts[i] if verdicts else None
        supported = bool(v and v.supported)
        ok += supported
        rows.append(
            {
                "claim": claim,
                "supported": supported,
                "score": round(v.score, 4) if v else 0.0,
                "evidence": (v.evidence if v else "")[:400],
                "error": v.error if v else None,
            }
        )
    return FaithfulnessScore(ok / len(claims), rows)


def marker_validity(
    answer: str, citations: list[Any], exists: Callable[[str], bool]
) -> dict[str, Any]:
    """Do the `[n]` markers point at real sources, and are all listed citations used?

    A marker is valid when a citation with that n is listed and its article exists in the
    index. Also checks docs/design.md's contract that no unused citation is listed.
    """
    by_n = {c.n: c for c in citations}
    markers = citation_numbers(answer)
    valid = [n for n in markers if n in by_n and exists(by_n[n].article_id)]
    used = set(markers)
    return {
        "markers": len(markers),
        "valid_markers": len(valid),
        "invalid": sorted({n for n in markers if n not in valid}),
        "unused_citations": sorted(n for n in by_n if n not in used),
    }

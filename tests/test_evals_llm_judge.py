"""The LLM judge against the real local server (SmolLM2 via xllamacpp): plumbing, not facts.

SmolLM2-135M is far too weak to judge well, so these tests assert the schema round trip,
parsed verdicts, error accounting and finite scores, never which verdict it gives.
"""

from __future__ import annotations

import math

import pytest

from evals.grounding import alce_citation_scores, faithfulness
from evals.judges import LLMJudge, _verdict_schema, make_judge

EVIDENCE = (
    "President Trump told Fox News on Aug. 19 that he will not deploy American troops to "
    "Ukraine as part of any ceasefire arrangement."
)


@pytest.fixture(scope="module")
def llm_judge(local_llm) -> LLMJudge:
    from openai import OpenAI

    client = OpenAI(base_url=local_llm.base_url, api_key="none", timeout=120)
    return LLMJudge(client, local_llm.model, max_reason_tokens=24)


@pytest.mark.llm
def test_verdicts_come_back_parsed_from_the_json_schema(llm_judge: LLMJudge) -> None:
    calls = llm_judge.calls
    claims = ["Trump will not deploy American troops to Ukraine.", "Putin visited Paris."]
    verdicts = llm_judge.judge(claims, EVIDENCE)
    assert [v.claim for v in verdicts] == claims
    assert llm_judge.calls == calls + 1  # both claims in one request
    for v in verdicts:
        assert v.error is None, v  # the grammar-constrained output parsed
        assert isinstance(v.supported, bool) and v.score in (0.0, 1.0)
        assert v.score == (1.0 if v.supported else 0.0)
    # Same claims and evidence again: answered from the cache, no new request.
    assert llm_judge.judge(claims, EVIDENCE) == verdicts
    assert llm_judge.calls == calls + 1


@pytest.mark.llm
def test_claims_and_grounding_metrics_are_finite(llm_judge: LLMJudge) -> None:
    answer = "Trump told Fox News he will not deploy troops [1]. Putin met Trump in Alaska [2]."
    claims = llm_judge.claims(answer, "What did Trump say about troops?")
    assert claims and all(isinstance(c, str) and c.strip() for c in claims)
    f = faithfulness(answer, [EVIDENCE], llm_judge, "What did Trump say about troops?")
    assert math.isfinite(f.score) and 0.0 <= f.score <= 1.0
    assert len(f.claims) >= 1
    cs = alce_citation_scores(answer, {1: EVIDENCE, 2: "Putin met Trump in Anchorage."}, llm_judge)
    assert cs.n_sentences == 2 and cs.n_citations == 2
    for v in (cs.recall, cs.precision):
        assert math.isfinite(v) and 0.0 <= v <= 1.0
    assert llm_judge.describe()["calls"] >= 3


def test_an_unreachable_endpoint_gives_error_verdicts_not_exceptions() -> None:
    import socket

    from openai import OpenAI

    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", max_retries=0)
    judge = make_judge("llm", client=client, model="nothing")
    [v] = judge.judge(["Trump spoke to Fox News."], EVIDENCE)
    assert v.supported is False and v.score == 0.0 and v.error
    assert judge.describe()["errors"] == 1
    # Claim extraction falls back to the answer's sentences.
    assert judge.claims("One fact [1]. Another fact [2].") == ["One fact.", "Another fact."]
    assert faithfulness("One fact [1].", [EVIDENCE], judge).score == 0.0


def test_schema_is_fixed_size_and_strict_compatible() -> None:
    schema = _verdict_schema(3)
    assert schema["required"] == ["statement_1", "statement_2", "statement_3"]
    assert schema["additionalProperties"] is False
    item = schema["properties"]["statement_2"]
    assert item["properties"]["verdict"]["enum"] == ["yes", "no"]
    with pytest.raises(ValueError, match="needs an LLM"):
        make_judge("llm")

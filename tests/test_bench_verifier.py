"""The bench's measure of model verification on the labelled pairs: the fact check alone
and with the model's second opinion, on the same pairs in the same run (SmolLM2 here, for
the plumbing; docs/evals.md has the figures of larger models)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.llm


def test_verification_is_scored_beside_the_fact_check_and_only_removes(local_llm) -> None:
    from evals.bench.grounding import verifier_on_pairs, verifier_table
    from evals.calibrate import HOLDOUT_FILE, checker_report, load_pairs
    from qa.llm import LLMBackend, make_client

    client = make_client(local_llm.base_url, "unused", 60)
    served = LLMBackend(client=client, model=local_llm.model, mode="local")
    r = verifier_on_pairs(None, "holdout", limit=12, backend=served)
    alone = checker_report(load_pairs(HOLDOUT_FILE)[:12])
    assert r["n"] == 12 and r["asked"] == alone["supported_said"]  # each accepted pair asked
    assert r["facts"]["precision"] == alone["precision"]  # the engine's own check, unchanged
    assert r["facts"]["recall"] == alone["recall"]
    assert r["facts+model"]["recall"] <= r["facts"]["recall"]  # it can only remove
    assert r["facts+model"]["false_accepts"] <= r["facts"]["false_accepts"]
    table = verifier_table(r)
    assert "fact check alone" in table and "+ model verification" in table

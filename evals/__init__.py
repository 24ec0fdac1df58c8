"""The eval harness: run a suite over the engine and report retrieval, correctness, refusal,
citation and faithfulness metrics (definitions: docs/evals.md).

    import evals
    report = evals.run("evals/suites/seeds.jsonl", index="path/to/index", out="eval-out")
    report["metrics"]["citations.recall"]["value"]
"""

from __future__ import annotations

from evals.judges import Judge, LLMJudge, OfflineJudge, Verdict, make_judge
from evals.runner import aggregate, evaluate_question, run
from evals.suite import Question, Suite, SuiteError, load_suite

__all__ = [
    "Judge",
    "LLMJudge",
    "OfflineJudge",
    "Question",
    "Suite",
    "SuiteError",
    "Verdict",
    "aggregate",
    "evaluate_question",
    "load_suite",
    "make_judge",
    "run",
]

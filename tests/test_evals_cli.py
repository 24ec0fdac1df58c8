"""`qa eval` end to end: ingest seeds/ into a fresh index, run the seed suite with the
extractive answerer and the offline judge, write reports, compare two runs, gate on
thresholds. Real engine, real Chroma, real embedder."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from evals.cli import main

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "evals" / "suites" / "seeds.jsonl"


def _no_nan(text: str) -> dict:
    def bad(const: str) -> float:
        raise AssertionError(f"{const} in report JSON")

    return json.loads(text, parse_constant=bad)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("eval")
    index, out = base / "index", base / "run1"
    argv = [str(SUITE), "--index", str(index), "--ingest", str(ROOT / "seeds")]
    argv += ["--out", str(out), "--json", "--no-progress", "--gate"]
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(argv)
    return code, stdout.getvalue(), stderr.getvalue(), index, out


def test_seed_suite_runs_end_to_end_and_passes_the_gate(first_run) -> None:
    code, stdout, stderr, _, out = first_run
    assert "ingest: 2 added" in stderr
    assert code == 0, stderr
    assert "gate passed" in stderr
    report = _no_nan(stdout)
    assert report == _no_nan((out / "report.json").read_text())
    assert len(report["rows"]) == report["suite"]["questions"] == 47
    assert report["config"]["answer_modes"] == ["extractive"]
    m = report["metrics"]
    for name, metric in m.items():
        assert math.isfinite(metric["value"]), name
    assert m["citations.valid"]["value"] == 1.0 and m["citations.valid"]["n"] > 0
    assert m["retrieval.hit@10"]["value"] >= 0.9
    assert m["refusal.correct"]["n"] == 8
    assert m["faithfulness"]["n"] == sum(not r["refused"] for r in report["rows"])
    # Per-question rows keep what a person needs to check a verdict.
    row = next(r for r in report["rows"] if r["id"] == "a-paris")
    assert row["retrieved"][0] == "000_5276686c29e4255e"
    assert row["accept_ok"] is True and "Paris" in row["answer"]
    assert row["citations"] and row["sentences"] and row["claims"]
    assert json.loads((out / "gate.json").read_text())["passed"] is True


def test_reports_are_written_for_people(first_run) -> None:
    out = first_run[4]
    md = (out / "report.md").read_text()
    assert "| retrieval.hit@5 |" in md and "| citations.recall |" in md
    assert "| unanswerable | 8 |" in md
    html = (out / "report.html").read_text()
    assert html.count("<svg") == 2  # metric bars and the latency histogram
    assert "Where are European leaders expected to gather" in html


def test_compare_and_failing_gate(first_run, tmp_path: Path, capsys) -> None:
    index, out1 = first_run[3], first_run[4]
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps({"metrics": {"correctness.accept": {"min": 1.01}}}))
    out2 = tmp_path / "run2"
    argv = [str(SUITE), "--index", str(index), "--out", str(out2), "--limit", "4"]
    argv += ["--no-progress", "--compare", str(out1 / "report.json"), "--gate", str(strict)]
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 1
    assert "GATE FAILED" in captured.err and "correctness.accept" in captured.err
    assert "# Comparison" in captured.out
    diff = json.loads((out2 / "compare.json").read_text())
    assert diff["same_suite"] is True
    assert {r["metric"] for r in diff["metrics"]} >= {"retrieval.hit@5", "faithfulness"}
    assert json.loads((out2 / "gate.json").read_text())["passed"] is False


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "missing.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "Q?"}\n')
    assert main(["eval", str(bad)]) == 2  # the sub-command name is tolerated
    assert "bad.jsonl:1" in capsys.readouterr().err
    argv = [str(SUITE), "--index", str(tmp_path / "i"), "--judge", "llm", "--no-progress"]
    assert main(argv) == 2
    assert "--judge llm needs an LLM" in capsys.readouterr().err


def test_python_api_and_engine_errors_become_rows(seed_kb, tmp_path: Path) -> None:
    import evals
    from evals.judges import OfflineJudge
    from evals.suite import Question

    report = evals.run(SUITE, seed_kb, limit=2, progress=False, out=tmp_path / "r")
    assert [r["id"] for r in report["rows"]] == ["a-troop-size", "a-us-assets"]
    assert (tmp_path / "r" / "report.html").is_file()
    # The engine's fact check, measured on the held-out labelled pairs, whatever the suite.
    checker = {k: v for k, v in report["metrics"].items() if k.startswith("checker.")}
    assert set(checker) == {"checker.precision", "checker.recall", "checker.hard_negatives"}
    assert all(0.5 < m["value"] <= 1.0 and m["n"] >= 80 for m in checker.values()), checker
    assert "checker.precision" in (tmp_path / "r" / "report.md").read_text()

    ft = "000_5276686c29e4255e"
    bad = Question("bad", "Where do leaders meet?", "Paris", ["Paris"], [ft], since="someday")
    row = evals.evaluate_question(bad, seed_kb, OfflineJudge(use_embeddings=False))
    assert row["error"].startswith("search: ValueError") and "; ask: ValueError" in row["error"]
    assert (row["accept_ok"], row["refused"], row["f1"], row["hit@1"]) == (False, False, 0.0, 0.0)
    assert row["faithfulness"] == 0.0 and row["citation_recall"] == 0.0
    m = evals.aggregate([row])
    assert m["errors"]["value"] == 1 and all(math.isfinite(v["value"]) for v in m.values())
    # A filter is passed to both search and ask: a source no article has finds nothing.
    none = Question("src", "Where do leaders meet?", "Paris", ["Paris"], [ft], source="nowhere.com")
    row = evals.evaluate_question(none, seed_kb, OfflineJudge(use_embeddings=False))
    assert row["error"] is None and row["retrieved"] == [] and row["refused"] is True


def test_an_openai_judge_takes_the_key_from_either_variable(monkeypatch) -> None:
    from contextlib import ExitStack

    from evals.cli import UsageError, _endpoint

    with ExitStack() as stack, pytest.raises(UsageError, match="QA_LLM_API_KEY or OPENAI_API_KEY"):
        _endpoint("openai", None, stack)
    monkeypatch.setenv("QA_LLM_API_KEY", "sk-qa-only")
    with ExitStack() as stack:
        client, model, desc = _endpoint("openai", "judge-model", stack)
    assert client.api_key == "sk-qa-only"
    assert (model, desc) == ("judge-model", "openai:judge-model")

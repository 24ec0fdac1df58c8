"""`qa eval SUITE.jsonl ...`: run a suite, write reports, compare runs, enforce the CI gate.

Exit codes: 0 done; 1 the gate failed (thresholds or --fail-on-regression); 2 bad usage
or input (missing suite, invalid line, no LLM for --judge llm, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from qa.config import API_KEY_ENV, LLM_MODES, Settings, api_key_from_env

DEFAULT_THRESHOLDS = Path(__file__).parent / "thresholds.json"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="qa eval",
        description="Run an eval suite over the index: retrieval, correctness, refusal, "
        "citation and faithfulness metrics, written as report.json/.md/.html.",
    )
    p.add_argument("suite", help="suite file (JSONL), e.g. evals/suites/seeds.jsonl")
    p.add_argument("--out", help="folder for the reports (default: eval-runs/SUITE-TIME)")
    p.add_argument("--json", action="store_true", help="print the report JSON to stdout")
    p.add_argument("--index", help="index folder (default: $QA_INDEX or the qa default)")
    p.add_argument("--chroma-url", help="use a `chroma run` server (default: $QA_CHROMA_URL)")
    p.add_argument(
        "--ingest",
        nargs="+",
        metavar="PATH",
        help="ingest these files/folders into the index first (idempotent)",
    )
    p.add_argument(
        "--llm",
        metavar="SPEC",
        help="answer with an LLM: extractive | local (SmolLM2 via xllamacpp) | openai | URL "
        "of an OpenAI-compatible endpoint; also the judge's LLM for --judge llm",
    )
    p.add_argument("--llm-model", help="model name at the --llm endpoint")
    p.add_argument("--judge", choices=["offline", "llm"], default="offline")
    p.add_argument("--judge-llm", metavar="SPEC", help="a different LLM for the judge")
    p.add_argument("--compare", metavar="OLD", help="an earlier report.json to diff against")
    p.add_argument(
        "--gate",
        nargs="?",
        const=str(DEFAULT_THRESHOLDS),
        metavar="THRESHOLDS",
        help=f"fail (exit 1) below thresholds (default file: {DEFAULT_THRESHOLDS.name})",
    )
    p.add_argument("--fail-on-regression", action="store_true", help="with --compare: exit 1")
    p.add_argument("-k", type=int, default=10, help="articles retrieved for hit@k/MRR (10)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--split", help="only the questions of this half (e.g. tune, test)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


class UsageError(Exception):
    pass


def _endpoint(spec: str, model: str | None, stack: ExitStack) -> tuple[Any, str, str]:
    """(openai client, model, description) for an LLM spec; starts a local server if asked."""
    from openai import OpenAI

    if spec == "local":
        try:
            from qa.llm import shared_local_server
        except ImportError as exc:
            raise UsageError(f"--llm local needs qa.llm ({exc})") from exc
        server = shared_local_server()  # the same server the engine answers with
        return (
            OpenAI(base_url=server.base_url, api_key="none"),
            server.model,
            f"local:{server.model}",
        )
    if spec == "openai":
        key = api_key_from_env()  # the same variables the engine reads
        if not key:
            raise UsageError(f"--llm openai needs {' or '.join(API_KEY_ENV)}")
        name = model or Settings().llm_model or "gpt-4o-mini"
        return OpenAI(api_key=key), name, f"openai:{name}"
    if spec.startswith(("http://", "https://")):
        client = OpenAI(base_url=spec, api_key=api_key_from_env() or "none")
        name = model or Settings().llm_model
        if not name:
            try:
                name = client.models.list().data[0].id
            except Exception as exc:  # noqa: BLE001
                raise UsageError(f"cannot list models at {spec}: pass --llm-model ({exc})") from exc
        return client, name, f"{spec}#{name}"
    raise UsageError(f"unknown --llm spec {spec!r}: extractive | local | openai | http(s) URL")


def _open_kb(
    index: str | None, llm: str | None, model: str | None, chroma_url: str | None = None
) -> Any:
    """Open the engine with the answerer the user asked for (via the engine's settings)."""
    from qa import KnowledgeBase

    overrides: dict[str, Any] = {"chroma_url": chroma_url} if chroma_url else {}
    if llm in LLM_MODES:
        overrides["llm"] = llm
    elif llm:
        overrides.update(llm="openai", llm_base_url=llm)
    if model:
        overrides["llm_model"] = model
    settings = Settings(**overrides, **({"index": index} if index else {}))
    try:
        return KnowledgeBase(str(settings.index), settings=settings)
    except TypeError:
        if overrides:
            raise UsageError("this engine version cannot choose its LLM from `qa eval`") from None
        return KnowledgeBase(str(settings.index))


def _inputs(args: argparse.Namespace) -> tuple[Any, dict | None, dict | None]:
    """The suite, the --compare report and the --gate thresholds, read before any work."""
    from evals.compare import load_report
    from evals.suite import SuiteError, load_suite, only_split

    try:
        suite = load_suite(args.suite)
        if args.split:
            suite = only_split(suite, args.split)
    except (OSError, SuiteError) as exc:
        raise UsageError(str(exc)) from None
    try:
        old = load_report(args.compare) if args.compare else None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read --compare report: {exc}") from None
    try:
        thresholds = json.loads(Path(args.gate).read_text()) if args.gate else None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read thresholds: {exc}") from None
    return suite, old, thresholds


def _run_suite(args: argparse.Namespace, suite: Any, out: Path) -> dict[str, Any]:
    """Open the engine (ingesting first if asked), pick the judge, run the suite."""
    from evals.runner import run

    with ExitStack() as stack:
        kb = _open_kb(args.index, args.llm, args.llm_model, args.chroma_url)
        if args.ingest:
            rep = kb.ingest(args.ingest)
            print(f"ingest: {rep.summary()}", file=sys.stderr)
            for f in rep.failed:
                print(f"  failed: {f}", file=sys.stderr)
        client = judge_model = None
        config: dict[str, Any] = {"llm": args.llm or "default", "split": args.split or "all"}
        if args.judge == "llm":
            spec = args.judge_llm or args.llm
            if not spec or spec == "extractive":
                raise UsageError("--judge llm needs an LLM: pass --llm or --judge-llm")
            client, judge_model, desc = _endpoint(spec, args.llm_model, stack)
            config["judge_llm"] = desc
        return run(
            suite,
            kb,
            judge=args.judge,
            judge_client=client,
            judge_model=judge_model,
            k=args.k,
            limit=args.limit,
            progress=not args.no_progress,
            out=out,
            config=config,
        )


def _compare(args: argparse.Namespace, report: dict, old: dict, out: Path) -> int:
    """Write compare.json/.md against the old report; 1 on regressions when asked to fail."""
    from evals.compare import compare, render_compare_markdown

    diff = compare(old, report)
    (out / "compare.json").write_text(json.dumps(diff, indent=1, allow_nan=False) + "\n")
    md = render_compare_markdown(diff)
    (out / "compare.md").write_text(md)
    print(md, file=sys.stderr if args.json else sys.stdout)
    return 1 if args.fail_on_regression and diff["regressions"] else 0


def _gate(report: dict, thresholds: dict, out: Path) -> int:
    """Write gate.json; 1 when a threshold is missed."""
    from evals.compare import check_thresholds

    failures = check_thresholds(report, thresholds)
    (out / "gate.json").write_text(
        json.dumps({"passed": not failures, "failures": failures}, indent=1) + "\n"
    )
    if failures:
        print("GATE FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"gate passed ({len(thresholds.get('metrics', {}))} thresholds)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for `qa eval`; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if len(args_list) > 1 and args_list[0] == "eval":
        args_list = args_list[1:]  # tolerate being handed the sub-command name too
    args = build_parser().parse_args(args_list)
    from evals.runner import slug

    out = Path(
        args.out or f"eval-runs/{slug(Path(args.suite).stem)}-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    try:
        suite, old, thresholds = _inputs(args)
        report = _run_suite(args, suite, out)
    except UsageError as exc:
        print(f"qa eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=1, allow_nan=False, default=str))
    else:
        print((out / "report.md").read_text())
    code = 0
    if old is not None:
        code = max(code, _compare(args, report, old, out))
    if thresholds is not None:
        code = max(code, _gate(report, thresholds, out))
    print(f"reports: {out}/report.{{json,md,html}}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

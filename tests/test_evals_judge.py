"""The offline judge and the engine's fact check against the labelled pairs, and the seed
suite's own consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.calibrate import (
    HOLDOUT_FILE,
    accuracy,
    article_texts,
    best_threshold,
    checker_report,
    evaluate,
    evidence_for,
    load_pairs,
    seed_texts,
)
from evals.judges import OfflineJudge, content_tokens, load_calibration
from evals.metrics import contains_normalized
from evals.suite import load_suite
from tests.conftest import WHOLE_RUN_TIMEOUT

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pairs():
    return load_pairs()


@pytest.fixture(scope="module")
def holdout():
    return load_pairs(HOLDOUT_FILE)


@pytest.fixture(scope="module")
def texts():
    return article_texts()  # the seeds and the newsroom suite, cleaned as ingest stores them


@pytest.fixture(scope="module")
def judge() -> OfflineJudge:
    return OfflineJudge()  # the default: embeddings when qa.embed works, calibrated threshold


def test_labelled_sets_are_large_varied_and_refer_to_real_articles(pairs, holdout, texts) -> None:
    both = pairs + holdout
    assert len(both) >= 300 and len({p.id for p in both}) == len(both)
    # A holdout of 25-50%: the second batch of fresh pairs (v*, never read) went to it whole,
    # and each later round of fresh pairs was split half and half.
    assert 0.25 <= len(holdout) / len(both) <= 0.5
    for ps in (pairs, holdout):
        positives = sum(p.label for p in ps)
        assert 0.4 <= positives / len(ps) <= 0.6, len(ps)  # roughly balanced
        negatives = [p for p in ps if not p.label]
        assert sum(p.hard for p in negatives) >= len(negatives) / 2  # mostly hard negatives
    for p in both:
        assert p.articles and all(a in texts for a in p.articles), p.id
    # Both corpora, and newsroom stories as well as its near-topic distractors.
    ids = {a for p in both for a in p.articles}
    assert {a for a in ids if a.startswith("00")} and {a for a in ids if a.startswith("x")}
    assert len({a.split("-")[0] for a in ids if a.startswith("s")}) == 37  # every story
    kinds = {p.kind for p in both if p.hard}
    assert {"entity_swap", "number_swap", "date_swap", "place_swap", "negation"} <= kinds
    # A verbatim pair is verbatim; a holdout story is not also a tuning story.
    for p in both:
        if p.kind == "verbatim":
            assert p.claim in evidence_for(p, texts), p.id
    # Pair ids name the story they were written from (s01-07): no story is in both sets.
    assert not {p.id.split("-")[0] for p in pairs} & {p.id.split("-")[0] for p in holdout}


@pytest.mark.timeout(WHOLE_RUN_TIMEOUT)
def test_offline_judge_accuracy_on_labelled_set(judge, pairs, holdout, texts) -> None:
    result = evaluate(judge, pairs, texts, holdout)
    # (0.779 / 0.778 / 0.762 on 2,031 / 1,882 pairs, most of the later ones written densely
    # with the hard kinds in mind: a word-overlap judge reads them less well than the first.)
    assert result["accuracy"] >= 0.77, result
    assert result["cv_accuracy"] >= 0.77, result
    # The held-out pairs were never used for tuning; the docs report this number.
    assert result["holdout_n"] >= 200 and result["holdout_accuracy"] >= 0.76, result
    # Cheap, lexical checks: wrong numbers and true sentences checked against another article.
    assert result["per_kind"]["other_article"] >= 0.9
    assert result["per_kind"]["number_swap"] >= 0.84  # (0.845: 0.856 on the 1,597 of before)


def test_engine_fact_check_on_the_labelled_pairs(pairs, holdout) -> None:
    """qa.facts, as qa.validate runs it. The holdout is the honest figure (docs/evals.md
    gives it beside the targets: precision 0.95, recall 0.85, hard negatives 90%)."""
    tuning = checker_report(pairs)
    assert tuning["precision"] >= 0.92 and tuning["recall"] >= 0.82, tuning
    held = checker_report(holdout)
    assert held["n"] == len(holdout) and held["hard_negatives"] >= 240
    # Floors under today's figures (0.820 / 0.757 / 0.867 on 1,882 pairs; the 745 of the
    # ninth session read 0.866 / 0.820 / 0.899, the 471 written last over 112 articles
    # written for them 0.788 / 0.710 / 0.853), so that a change that loses ground fails.
    assert held["precision"] >= 0.81 and held["recall"] >= 0.75, held
    assert held["hard_negatives_rejected"] >= 0.85, held
    # A changed number is caught, all but 12 of 251 (figures tied to another clause or
    # sentence: "the estate would add 6,000 vehicles" where the road carries 6,000 and the
    # estate adds 1,800; the lede's "more than 450 stolen" for "450 found"); a true sentence
    # of another article seldom passes.
    for kind, misses in (("number_swap", 12), ("other_article", 0)):
        right, n = map(int, tuning["per_kind"][kind].split("/"))
        assert n - right <= misses and n >= 20, (kind, tuning["per_kind"][kind])


def test_calibration_file_matches_the_judge(judge, pairs, texts) -> None:
    """Changing the judge's features without `python -m evals.calibrate --write` fails here."""
    stored = load_calibration()[judge.mode]
    scored = [(judge.score(p.claim, evidence_for(p, texts))[0], p.label) for p in pairs]
    assert best_threshold(scored) == pytest.approx(stored["threshold"], abs=1e-3)
    assert judge.threshold == stored["threshold"]
    assert accuracy(scored, stored["threshold"]) == pytest.approx(stored["accuracy"], abs=1e-3)


def test_offline_judge_decisions_that_matter(judge, texts) -> None:
    assert seed_texts(ROOT / "seeds").keys() == {"000_5276686c29e4255e", "002_9f82d241876d8fb4"}
    cbs = texts["002_9f82d241876d8fb4"]
    ok = "Trump told Fox News on Aug. 19 that he will not deploy American troops to Ukraine."
    assert judge.supported(ok, cbs)
    assert judge.supported(ok + " [1]", cbs)  # markers are ignored
    assert not judge.supported(ok.replace("not ", ""), cbs)  # negation flipped
    assert not judge.supported(ok.replace("19", "29"), cbs)  # wrong date
    assert not judge.supported(ok, texts["000_5276686c29e4255e"])  # the other article
    assert not judge.supported("", cbs)
    assert not judge.supported(ok, "")
    v = judge.judge([ok], cbs)[0]
    assert 0.0 <= v.score <= 1.0 and "Fox News" in v.evidence


def test_content_tokens_flags_numbers_names_and_negation() -> None:
    toks = {t.stem: t for t in content_tokens("Trump will not deploy three U.S. troops in Ukraine")}
    assert toks["3"].number and toks["3"].key
    assert toks["usa"].key  # U.S. / US / United States fold together
    assert toks["ukrain"].key and not toks["troop"].key
    assert toks["deploy"].negated and not toks["ukrain"].negated


def test_seed_suite_is_consistent_with_the_articles(texts) -> None:
    suite = load_suite(ROOT / "evals" / "suites" / "seeds.jsonl")
    qs = suite.questions
    assert len(qs) >= 30
    assert sum(not q.answerable for q in qs) >= 6
    assert {"single", "both", "multi", "date_number", "false_premise", "unanswerable"} <= {
        q.type for q in qs
    }
    for q in qs:
        if not q.answerable:
            assert q.articles == [] and q.accept == []
            continue
        assert all(a in texts for a in q.articles), q.id
        gold_text = "\n".join(texts[a] for a in q.articles)
        found = [a for a in q.accept if contains_normalized(gold_text, a)]
        # "any": some accept string is in the gold articles; "all": every one of them is.
        assert found if q.match == "any" else found == q.accept, q.id
        if q.type == "both":  # a fact both articles state: its accept string is in each
            for a in q.articles:
                assert any(contains_normalized(texts[a], s) for s in q.accept), (q.id, a)
    json.dumps([q.__dict__ for q in qs])

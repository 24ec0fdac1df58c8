"""The offline judge against its labelled set, and the seed suite's own consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.calibrate import (
    HOLDOUT_FILE,
    accuracy,
    best_threshold,
    evaluate,
    evidence_for,
    load_pairs,
    seed_texts,
)
from evals.judges import OfflineJudge, content_tokens, load_calibration
from evals.metrics import contains_normalized
from evals.suite import load_suite

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pairs():
    return load_pairs()


@pytest.fixture(scope="module")
def texts():
    return seed_texts(ROOT / "seeds")


@pytest.fixture(scope="module")
def judge() -> OfflineJudge:
    return OfflineJudge()  # the default: embeddings when qa.embed works, calibrated threshold


def test_labelled_set_is_balanced_and_refers_to_seeds(pairs, texts) -> None:
    assert len(pairs) >= 60
    assert sum(p.label for p in pairs) == len(pairs) - sum(p.label for p in pairs)
    assert len({p.id for p in pairs}) == len(pairs)
    for p in pairs:
        assert p.articles and all(a in texts for a in p.articles), p.id
    kinds = {p.kind for p in pairs if not p.label}
    assert {"entity_swap", "number_swap", "negation", "other_article"} <= kinds
    # A verbatim pair is verbatim; an other-article pair is true somewhere else.
    for p in pairs:
        if p.kind == "verbatim":
            assert p.claim in evidence_for(p, texts), p.id


def test_offline_judge_accuracy_on_labelled_set(judge, pairs, texts) -> None:
    result = evaluate(judge, pairs, texts, load_pairs(HOLDOUT_FILE))
    assert result["accuracy"] >= 0.85, result
    assert result["cv_accuracy"] >= 0.8, result
    # The held-out pairs were never used for tuning; the docs report this number.
    assert result["holdout_n"] >= 20 and result["holdout_accuracy"] >= 0.6, result
    # Cheap, lexical checks must be exact: wrong numbers and sentences from the other article.
    assert result["per_kind"]["other_article"] == 1.0
    assert result["per_kind"]["number_swap"] >= 0.85


def test_calibration_file_matches_the_judge(judge, pairs, texts) -> None:
    """Changing the judge's features without `python -m evals.calibrate --write` fails here."""
    stored = load_calibration()[judge.mode]
    scored = [(judge.score(p.claim, evidence_for(p, texts))[0], p.label) for p in pairs]
    assert best_threshold(scored) == pytest.approx(stored["threshold"], abs=1e-3)
    assert judge.threshold == stored["threshold"]
    assert accuracy(scored, stored["threshold"]) == pytest.approx(stored["accuracy"], abs=1e-3)


def test_offline_judge_decisions_that_matter(judge, texts) -> None:
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

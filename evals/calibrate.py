"""Calibrate and measure the offline judge, and measure the engine's fact check, on the
labelled (claim, article, supported?) pairs.

    python -m evals.calibrate            # print both; --write saves the judge's thresholds

Each pair in evals/data/judge_pairs.jsonl is a claim, the articles it is checked against
(seed articles, newsroom-suite articles and evals/data/pair_articles, read as the engine
stores them: cleaned by qa.corpus), a human label and a kind (verbatim, paraphrase,
number_swap, ...). The judge's threshold is the score cut that maximises accuracy on that
tuning set; the honest estimate of accuracy on new pairs is the 5-fold cross-validated one,
and better still the holdout (judge_pairs_holdout.jsonl), which is never used for tuning
either the judge or the engine's checker (qa.facts).

The engine's checker has no threshold to fit here: `checker_report` runs qa.facts on the
pairs exactly as qa.validate does and reports precision and recall for "supported" and how
many hard negatives (one fact changed: a name, number, date, place, role or negation) it
rejects. `qa eval` reports the holdout figures as its checker.* metrics.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from evals.judges import CALIBRATION_FILE, OfflineJudge

PAIRS_FILE = Path(__file__).parent / "data" / "judge_pairs.jsonl"
# Written before the checker was tuned and never used for tuning: the honest check.
HOLDOUT_FILE = Path(__file__).parent / "data" / "judge_pairs_holdout.jsonl"
ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
NEWSROOM_DIR = ROOT / "evals" / "suites" / "newsroom" / "articles"
# Articles written only to hold labelled pairs (not part of any suite's corpus).
PAIR_ARTICLES_DIR = Path(__file__).parent / "data" / "pair_articles"
ARTICLE_DIRS = (SEEDS_DIR, NEWSROOM_DIR, PAIR_ARTICLES_DIR)
# One fact changed, same topic and entities: what a fact check must reject.
HARD_KINDS = frozenset(
    {"entity_swap", "number_swap", "date_swap", "place_swap", "negation", "role_swap",
     "quantity_swap"}
)  # fmt: skip


@dataclass(frozen=True)
class Pair:
    id: str
    claim: str
    articles: list[str]
    label: bool
    kind: str

    @property
    def hard(self) -> bool:
        """A hard negative: unsupported, with one fact changed from what the article says."""
        return not self.label and self.kind in HARD_KINDS


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    """The labelled (claim, articles, label) set."""
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Pair(d["id"], d["claim"], list(d["articles"]), bool(d["label"]), d["kind"]))
    return out


@lru_cache(maxsize=4)
def _articles(folders: tuple[Path, ...]) -> dict[str, tuple[str, str]]:
    from qa.corpus import formats
    from qa.types import IngestFailure

    out: dict[str, tuple[str, str]] = {}
    for a in formats.load([str(f) for f in folders if f.is_dir()]):
        if not isinstance(a, IngestFailure):
            out[a.id] = (a.title, a.text)
    return out


def article_texts(folders: tuple[Path, ...] = ARTICLE_DIRS) -> dict[str, str]:
    """Article id -> cleaned text, as `qa ingest` would store it, for every article under
    `folders` (the seeds and the newsroom suite's articles, .txt/.md/.html/.jsonl)."""
    return {k: text for k, (_, text) in _articles(tuple(folders)).items()}


def article_titles(folders: tuple[Path, ...] = ARTICLE_DIRS) -> dict[str, str]:
    return {k: title for k, (title, _) in _articles(tuple(folders)).items()}


def seed_texts(seeds: Path = SEEDS_DIR) -> dict[str, str]:
    """Article id -> cleaned text of the seed articles alone."""
    return article_texts((seeds,))


def evidence_for(pair: Pair, texts: dict[str, str]) -> str:
    return "\n\n".join(texts[a] for a in pair.articles)


def best_threshold(scored: list[tuple[float, bool]]) -> float:
    """The cut maximising accuracy; among equally good cuts, the middle one (a wide margin)."""
    values = sorted({s for s, _ in scored})
    cuts = [0.0] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] + [1.0001]
    best_acc, best = -1.0, []
    for c in cuts:
        acc = accuracy(scored, c)
        if acc > best_acc + 1e-12:
            best_acc, best = acc, [c]
        elif abs(acc - best_acc) <= 1e-12:
            best.append(c)
    return best[len(best) // 2]


def accuracy(scored: list[tuple[float, bool]], threshold: float) -> float:
    if not scored:
        return 0.0
    return sum((s >= threshold) == label for s, label in scored) / len(scored)


def evaluate(
    judge: OfflineJudge,
    pairs: list[Pair],
    texts: dict[str, str],
    holdout: list[Pair] | None = None,
) -> dict[str, Any]:
    """Threshold, in-sample, 5-fold cross-validated and held-out accuracy, and per kind."""
    scored = [(judge.score(p.claim, evidence_for(p, texts))[0], p.label) for p in pairs]
    # Rounded as stored, so every figure below is the stored judge's.
    threshold = round(best_threshold(scored), 4)
    folds = 5
    cv_correct = 0
    for f in range(folds):
        train = [x for i, x in enumerate(scored) if i % folds != f]
        test = [x for i, x in enumerate(scored) if i % folds == f]
        t = best_threshold(train)
        cv_correct += sum((s >= t) == label for s, label in test)
    per_kind: dict[str, list[bool]] = defaultdict(list)
    for p, (s, label) in zip(pairs, scored, strict=True):
        per_kind[p.kind].append((s >= threshold) == label)
    tp = sum(s >= threshold and label for s, label in scored)
    fp = sum(s >= threshold and not label for s, label in scored)
    fn = sum(s < threshold and label for s, label in scored)
    held = [(judge.score(p.claim, evidence_for(p, texts))[0], p.label) for p in holdout or []]
    return {
        "threshold": round(threshold, 4),
        "holdout_accuracy": round(accuracy(held, threshold), 4) if held else None,
        "holdout_n": len(held),
        "accuracy": round(accuracy(scored, threshold), 4),
        "cv_accuracy": round(cv_correct / len(scored), 4),
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "n": len(scored),
        "positives": sum(label for _, label in scored),
        "per_kind": {k: round(sum(v) / len(v), 4) for k, v in sorted(per_kind.items())},
    }


def checker_verdicts(pairs: list[Pair]) -> list[bool]:
    """The engine's fact check (qa.facts, as qa.validate runs it) on each pair: does the
    claim hold against its articles (one, or several together)?"""
    from qa.facts import Article, check_cited, read_claim

    found = _articles(ARTICLE_DIRS)
    out = []
    for p in pairs:
        arts = [Article.read(found[a][1], found[a][0]) for a in p.articles]
        out.append(check_cited(read_claim(p.claim, arts[0]), arts).supported)
    return out


def support_scores(said: list[bool], pairs: list[Pair]) -> dict[str, Any]:
    """Precision and recall of "supported", hard negatives rejected and false accepts of
    verdicts `said` on `pairs`; 0.0 for an empty case, never NaN."""
    tp = sum(s and p.label for s, p in zip(said, pairs, strict=True))
    fp = sum(s and not p.label for s, p in zip(said, pairs, strict=True))
    fn = sum(not s and p.label for s, p in zip(said, pairs, strict=True))
    hard = [s for s, p in zip(said, pairs, strict=True) if p.hard]
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "hard_negatives_rejected": round(sum(not s for s in hard) / len(hard), 4) if hard else 0.0,
        "false_accepts": fp,
    }


def checker_report(pairs: list[Pair]) -> dict[str, Any]:
    """Precision and recall of "supported", hard negatives rejected, and accuracy per kind,
    of the engine's fact check on `pairs`. Empty cases are 0.0 with n = 0, never NaN."""
    said = checker_verdicts(pairs)
    scores = support_scores(said, pairs)
    per_kind: dict[str, list[bool]] = defaultdict(list)
    for s, p in zip(said, pairs, strict=True):
        per_kind[p.kind].append(s == p.label)
    wrong = [p.id for s, p in zip(said, pairs, strict=True) if s != p.label]
    return {
        "precision": scores["precision"],
        "recall": scores["recall"],
        "hard_negatives_rejected": scores["hard_negatives_rejected"],
        "accuracy": round(
            sum(s == p.label for s, p in zip(said, pairs, strict=True)) / len(pairs), 4
        )
        if pairs
        else 0.0,
        "n": len(pairs),
        "supported_said": sum(said),
        "positives": sum(p.label for p in pairs),
        "hard_negatives": sum(p.hard for p in pairs),
        "per_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(per_kind.items())},
        "wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__)
    ap.add_argument("--write", action="store_true", help=f"save thresholds to {CALIBRATION_FILE}")
    ap.add_argument("--no-embeddings", action="store_true", help="calibrate the overlap mode only")
    ap.add_argument("--no-checker", action="store_true", help="skip the engine's fact check")
    args = ap.parse_args(argv)
    pairs, texts = load_pairs(), article_texts()
    holdout = load_pairs(HOLDOUT_FILE) if HOLDOUT_FILE.is_file() else []
    results = {}
    modes = [False] if args.no_embeddings else [False, True]
    for use in modes:
        try:
            judge = OfflineJudge(threshold=0.5, use_embeddings=use)
        except RuntimeError as exc:
            print(f"skipping embeddings: {exc}")
            continue
        results[judge.mode] = evaluate(judge, pairs, texts, holdout)
        print("judge", judge.mode, json.dumps(results[judge.mode], indent=1))
    if not args.no_checker:
        for name, ps in (("tuning", pairs), ("holdout", holdout)):
            print(
                f"engine checker (qa.facts), {name} pairs:",
                json.dumps(checker_report(ps), indent=1),
            )
    if args.write:
        CALIBRATION_FILE.write_text(json.dumps(results, indent=1) + "\n")
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

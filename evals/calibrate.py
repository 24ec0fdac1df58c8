"""Calibrate and measure the offline judge on its labelled pairs.

    python -m evals.calibrate            # print accuracy; --write saves the thresholds

Each pair in evals/data/judge_pairs.jsonl is a claim, the seed articles it is checked
against, and a human label (supported or not). The threshold is the score cut that
maximises accuracy on the whole set; the honest estimate of accuracy on new pairs is the
5-fold cross-validated one (threshold fitted on 4/5, measured on the held-out 1/5).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.judges import CALIBRATION_FILE, OfflineJudge

PAIRS_FILE = Path(__file__).parent / "data" / "judge_pairs.jsonl"
# Written after the judge's features were fixed and never used for tuning: the honest check.
HOLDOUT_FILE = Path(__file__).parent / "data" / "judge_pairs_holdout.jsonl"
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"


@dataclass(frozen=True)
class Pair:
    id: str
    claim: str
    articles: list[str]
    label: bool
    kind: str


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    """The labelled (claim, articles, label) set."""
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Pair(d["id"], d["claim"], list(d["articles"]), bool(d["label"]), d["kind"]))
    return out


def seed_texts(seeds: Path = SEEDS_DIR) -> dict[str, str]:
    """Article id (file stem) -> text, for the seed articles the pairs refer to."""
    return {p.stem: p.read_text() for p in sorted(seeds.glob("*.txt"))}


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
    threshold = best_threshold(scored)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__)
    ap.add_argument("--write", action="store_true", help=f"save thresholds to {CALIBRATION_FILE}")
    ap.add_argument("--no-embeddings", action="store_true", help="calibrate the overlap mode only")
    args = ap.parse_args(argv)
    pairs, texts = load_pairs(), seed_texts()
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
        print(judge.mode, json.dumps(results[judge.mode], indent=1))
    if args.write:
        CALIBRATION_FILE.write_text(json.dumps(results, indent=1) + "\n")
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

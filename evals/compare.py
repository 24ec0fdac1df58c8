"""Compare two reports (`--compare OLD/report.json`) and check thresholds (the CI gate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.report import fmt

# A change smaller than this is noise, not a regression (ratios are over ~30 questions,
# where one question moves a metric by ~0.03).
RATIO_TOLERANCE = 0.005
# Latency is noisy on shared machines: only a slowdown of 25% and 50 ms counts.
LATENCY_TOLERANCE = 0.25
LATENCY_FLOOR_MS = 50.0


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report.json (or a folder holding one)."""
    p = Path(path)
    if p.is_dir():
        p = p / "report.json"
    return json.loads(p.read_text())


def _status(name: str, old: float, new: float, better: str | None) -> str:
    if better not in ("higher", "lower"):
        return ""
    if name.startswith("latency."):
        base = max(abs(old), 1.0)
        change = (new - old) / base
        if abs(change) <= LATENCY_TOLERANCE or abs(new - old) < LATENCY_FLOOR_MS:
            return "same"
        worse = change > 0
    else:
        delta = new - old
        if abs(delta) <= RATIO_TOLERANCE:
            return "same"
        worse = (delta < 0) if better == "higher" else (delta > 0)
    return "regression" if worse else "improvement"


_VOLATILE = {"seconds", "python", "index"}


def _config_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[dict]:
    """Settings that differ between the runs (answerer, judge, engine knobs)."""
    out = []
    for key in sorted(set(old) | set(new)):
        if key in _VOLATILE and not prefix:
            continue
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += _config_changes(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append({"key": f"{prefix}{key}", "old": a, "new": b})
    return out


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Metric-by-metric difference, plus the questions whose outcome changed."""
    rows = []
    for name, m in new["metrics"].items():
        if name not in old.get("metrics", {}):
            rows.append(
                {"metric": name, "old": None, "new": m["value"], "delta": None, "status": "new"}
            )
            continue
        o = float(old["metrics"][name]["value"])
        n = float(m["value"])
        rows.append(
            {
                "metric": name,
                "old": o,
                "new": n,
                "delta": round(n - o, 6),
                "status": _status(name, o, n, m.get("better")),
            }
        )
    old_rows = {r["id"]: r for r in old.get("rows", [])}
    changed = []
    for r in new.get("rows", []):
        o = old_rows.get(r["id"])
        if o is None:
            continue
        for key in ("accept_ok", "refused", "hit@5"):
            if o.get(key) != r.get(key):
                changed.append({"id": r["id"], "field": key, "old": o.get(key), "new": r.get(key)})
    same_suite = old.get("suite", {}).get("sha256") == new.get("suite", {}).get("sha256")
    config_changes = _config_changes(old.get("config", {}), new.get("config", {}))
    return {
        "old": {"created_at": old.get("created_at"), "config": old.get("config", {})},
        "new": {"created_at": new.get("created_at"), "config": new.get("config", {})},
        "same_suite": same_suite,
        "config_changes": config_changes,
        "metrics": rows,
        "regressions": [r["metric"] for r in rows if r["status"] == "regression"],
        "changed_questions": changed,
    }


def render_compare_markdown(diff: dict[str, Any]) -> str:
    """A table of old/new/delta with regressions marked."""
    mark = {"regression": "▼ REGRESSION", "improvement": "▲ better", "same": "", "new": "new"}
    lines = ["# Comparison", ""]
    if not diff["same_suite"]:
        lines += ["**Warning:** the two runs used different suite files.", ""]
    if diff.get("config_changes"):
        lines += ["| setting | old | new |", "| --- | --- | --- |"]
        for c in diff["config_changes"]:
            lines.append(f"| {c['key']} | {c['old']} | {c['new']} |")
        lines.append("")
    lines += ["| metric | old | new | Δ | |", "| --- | ---: | ---: | ---: | --- |"]
    for r in diff["metrics"]:
        name = r["metric"]
        old = "–" if r["old"] is None else fmt(name, r["old"])
        delta = "–" if r["delta"] is None else f"{r['delta']:+.3f}"
        lines.append(
            f"| {name} | {old} | {fmt(name, r['new'])} | {delta} | {mark.get(r['status'], '')} |"
        )
    n = len(diff["regressions"])
    lines += [
        "",
        f"{n} regression{'s' if n != 1 else ''}"
        + (": " + ", ".join(diff["regressions"]) if n else "."),
    ]
    if diff["changed_questions"]:
        lines += ["", "| question | field | old | new |", "| --- | --- | --- | --- |"]
        for c in diff["changed_questions"]:
            lines.append(f"| {c['id']} | {c['field']} | {c['old']} | {c['new']} |")
    return "\n".join(lines) + "\n"


def check_thresholds(report: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """Failures of the CI gate: each metric must meet its `min`/`max` with n > 0.

    A thresholded metric measured on nothing (n = 0) fails: the gate cannot vouch for it.
    """
    failures = []
    for name, rule in thresholds.get("metrics", {}).items():
        m = report["metrics"].get(name)
        if m is None:
            failures.append(f"{name}: not in the report")
            continue
        if m["n"] == 0 and name != "errors":
            failures.append(f"{name}: measured on 0 items")
            continue
        v = float(m["value"])
        if "min" in rule and v < float(rule["min"]):
            failures.append(f"{name} = {v:.3f} is below the minimum {rule['min']}")
        if "max" in rule and v > float(rule["max"]):
            failures.append(f"{name} = {v:.3f} is above the maximum {rule['max']}")
    return failures

"""The news groups of a suite (issue 14): questions of type relative-time, latest, syndicated and
timeline (evals/suites/newsroom/news.jsonl), each measured for what it is about.

- `news.right_article` (relative-time, latest): the answer's first citation, the one its lead
  statement stands on, is a gold article (for latest questions: the later report).
- `news.copies_in_top5` (every news question): the questions whose five first retrieved
  articles hold two copies of one syndicated story, by the suite's own `dup_group` labels
  (`stories.json` beside the suite); the target is 0.
- `news.timeline_ordered` (timeline): answers whose lines are in date order, each with a
  citation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

NEWS_TYPES = ("relative-time", "latest", "syndicated", "timeline")
NEWS_METRICS: dict[str, tuple[str, str]] = {
    "news.right_article": (
        "higher",
        "relative-time and latest questions whose first citation is a gold article",
    ),
    "news.copies_in_top5": (
        "lower",
        "news questions with two copies of one syndicated story among the first 5 articles",
    ),
    "news.timeline_ordered": (
        "higher",
        "timeline answers whose lines are in date order, each line with a citation",
    ),
}
_LINE = re.compile(r"^- (\d{1,2} \w{3} \d{4}|undated): .*\[\d+\]\s*$")


def dup_groups(suite_path: str | Path) -> dict[str, str]:
    """article id -> dup_group from `stories.json` beside the suite (empty if none)."""
    path = Path(suite_path).parent / "stories.json"
    if not path.is_file():
        return {}
    stories = json.loads(path.read_text(encoding="utf-8"))
    return {
        a["id"]: a["dup_group"]
        for s in stories
        for a in s.get("articles", [])
        if a.get("dup_group")
    }


def timeline_ordered(text: str, citations: list[dict[str, Any]]) -> bool:
    """Every line a dated, cited entry, dates never going back."""
    from datetime import datetime

    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or not all(_LINE.match(ln) for ln in lines):
        return False
    days = [ln[2:].split(":", 1)[0] for ln in lines]
    dated = [datetime.strptime(d, "%d %b %Y") for d in days if d != "undated"]
    return dated == sorted(dated) and bool(citations)


def score_news(row: dict[str, Any], groups: dict[str, str]) -> None:
    """Add the row's news fields (a question of another type gets none)."""
    if row["type"] not in NEWS_TYPES:
        return
    top5 = [groups[a] for a in row.get("retrieved", [])[:5] if a in groups]
    row["copies_in_top5"] = len(top5) != len(set(top5))
    if row["type"] in ("relative-time", "latest"):
        first = row["citations"][0]["article_id"] if row["citations"] else None
        row["right_article"] = (not row["refused"]) and first in row["gold_articles"]
    if row["type"] == "timeline":
        row["timeline_ordered"] = timeline_ordered(row["answer"], row["citations"])


def news_metrics(rows: list[dict[str, Any]], metric: Any) -> dict[str, dict[str, Any]]:
    """The news metrics over the rows that have them (none when the suite has no news rows);
    `metric(name, values)` is the runner's metric builder."""
    out = {}
    for name in NEWS_METRICS:
        key = name.split(".", 1)[1]
        values = [float(r[key]) for r in rows if key in r]
        if values:
            m = metric(name, values)
            if name == "news.copies_in_top5":  # a count: the target is none
                m["value"] = int(sum(values))
            out[name] = m
    return out

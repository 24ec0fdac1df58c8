"""Check the metadata ingest reads from news pages (published date and source) against the
newsroom suite's truth, with no embedding: the articles are read by `qa.corpus.load`, the
same loader and cleaner `qa ingest` uses.

    python -m evals.metadata_check                  # both splits, counts and mismatches
    python -m evals.metadata_check --split tune     # one split
    python -m evals.metadata_check --read seeds     # a folder without truth: what is read

Truth is `stories.json` (story articles) and `distractors.json` (distractors take the split
of the story they sit near) beside the suite's articles. A source matches when the two agree
ignoring case, accents and a leading "The". `--read` prints one JSON line per article (id, title,
published_at, source, author), so two runs can be compared with `diff`.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from qa.corpus import Article, load

SUITE = Path(__file__).parent / "suites" / "newsroom"


def truth(suite: Path = SUITE) -> dict[str, dict[str, Any]]:
    """article id -> {split, published_at, source} for every labelled article of the suite."""
    stories = json.loads((suite / "stories.json").read_text(encoding="utf-8"))
    split_of = {s["story"]: s["split"] for s in stories}
    out: dict[str, dict[str, Any]] = {}
    for story in stories:
        for a in story["articles"]:
            out[a["id"]] = {**a, "split": story["split"]}
    distractors = suite / "distractors.json"
    if distractors.is_file():
        for a in json.loads(distractors.read_text(encoding="utf-8")):
            out[a["id"]] = {**a, "split": split_of[a["near"]]}
    return out


def same_source(got: str | None, want: str | None) -> bool:
    """Case-insensitive, a leading "The" and accents ignored ("Rhône" is "Rhone")."""

    def norm(s: str | None) -> str:
        s = unicodedata.normalize("NFKD", " ".join((s or "").split()).casefold())
        s = "".join(c for c in s if not unicodedata.combining(c))
        return s[4:] if s.startswith("the ") else s

    return norm(got) == norm(want)


def _verdict(got: str | None, want: str | None, same: bool) -> str:
    if same:
        return "right"
    return "missing" if not got else "wrong"


def compare(articles: dict[str, Article], labels: dict[str, dict[str, Any]], split: str | None):
    """Counts per field and split, and the mismatches as printable lines."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    misses: list[str] = []
    for id_, want in sorted(labels.items()):
        if split and want["split"] != split:
            continue
        got = articles.get(id_)
        if got is None:
            misses.append(f"{id_}: NOT LOADED")
            continue
        for field, same in (
            ("date", got.published_at == want["published_at"]),
            ("source", same_source(got.source, want["source"])),
        ):
            value = got.published_at if field == "date" else got.source
            verdict = _verdict(value, want["published_at" if field == "date" else "source"], same)
            counts.setdefault((want["split"], field), Counter())[verdict] += 1
            if verdict != "right":
                key = "published_at" if field == "date" else "source"
                misses.append(f"{id_}: {field} {verdict}: got {value!r}, want {want[key]!r}")
    return counts, misses


def read(paths: list[str]) -> dict[str, Article]:
    """Articles by id, as ingest reads them (failures are reported on stderr)."""
    out: dict[str, Article] = {}
    for got in load(paths):
        if isinstance(got, Article):
            out[got.id] = got
        else:
            print(f"failed: {got}", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.metadata_check", description=__doc__)
    p.add_argument("--split", choices=["tune", "test"], help="only this split of the suite")
    p.add_argument("--read", nargs="+", metavar="PATH", help="files/folders: print what is read")
    p.add_argument("--quiet", action="store_true", help="counts only, no mismatch lines")
    args = p.parse_args(argv)
    if args.read:
        for id_, a in sorted(read(args.read).items()):
            fields = {"id": id_, "title": a.title, "published_at": a.published_at}
            fields |= {"source": a.source, "author": a.author}
            print(json.dumps(fields, ensure_ascii=False))
        return 0
    counts, misses = compare(read([str(SUITE / "articles")]), truth(), args.split)
    for (split, field), c in sorted(counts.items()):
        print(
            f"{split:5} {field:6} right {c['right']:3}  wrong {c['wrong']:3}  "
            f"missing {c['missing']:3}  (of {sum(c.values())})"
        )
    if not args.quiet:
        print(*misses, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

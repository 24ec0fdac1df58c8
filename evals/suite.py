"""Eval suites: JSONL, one question per line (format in docs/design.md, extras in docs/evals.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SuiteError(ValueError):
    """A suite line that does not follow the format; the message names file and line."""


@dataclass(frozen=True)
class Question:
    """One suite line. `answer is None` marks a question the corpus cannot answer."""

    id: str
    question: str
    answer: str | None
    accept: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    type: str = "other"  # free label for the per-type breakdown
    match: str = "any"  # "all": every accept string must appear
    since: str | None = None  # filters passed through to kb.ask
    until: str | None = None
    source: str | None = None
    split: str | None = None  # "tune" / "test": which half (the newsroom suite splits by story)
    story: str | None = None  # the story a question is about (the unit of the split)
    as_of: str | None = None  # the question's "today" (news questions: "yesterday", "now")

    @property
    def answerable(self) -> bool:
        return self.answer is not None


@dataclass
class Suite:
    path: str
    questions: list[Question]
    sha256: str


def _str_list(v: Any, name: str, where: str) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise SuiteError(f"{where}: '{name}' must be a list of strings")
    return list(v)


def parse_line(obj: Any, where: str) -> Question:
    """Validate one decoded line; raise SuiteError saying what is wrong and where."""
    if not isinstance(obj, dict):
        raise SuiteError(f"{where}: expected a JSON object")
    for key in ("id", "question"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise SuiteError(f"{where}: '{key}' must be a non-empty string")
    if "answer" not in obj:
        raise SuiteError(f"{where}: 'answer' is required (use null for unanswerable)")
    answer = obj["answer"]
    if answer is not None and not isinstance(answer, str):
        raise SuiteError(f"{where}: 'answer' must be a string or null")
    match = obj.get("match", "any")
    if match not in ("any", "all"):
        raise SuiteError(f"{where}: 'match' must be 'any' or 'all'")
    q = Question(
        id=obj["id"],
        question=obj["question"],
        answer=answer,
        accept=_str_list(obj.get("accept"), "accept", where),
        articles=_str_list(obj.get("articles"), "articles", where),
        type=str(obj.get("type") or ("unanswerable" if answer is None else "other")),
        match=match,
        since=obj.get("since"),
        until=obj.get("until"),
        source=obj.get("source"),
        split=obj.get("split"),
        story=obj.get("story"),
        as_of=obj.get("as_of"),
    )
    if q.answerable and not q.articles:
        raise SuiteError(f"{where}: an answerable question needs its gold 'articles'")
    return q


def only_split(suite: Suite, split: str) -> Suite:
    """The questions of one half (`split` field); an error if the suite has none of it."""
    qs = [q for q in suite.questions if q.split == split]
    if not qs:
        halves = sorted({q.split for q in suite.questions if q.split}) or ["none"]
        raise SuiteError(
            f"{suite.path}: no questions with split {split!r} (has: {', '.join(halves)})"
        )
    return Suite(suite.path, qs, suite.sha256)


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file; ids must be unique."""
    p = Path(path)
    raw = p.read_bytes()
    questions: list[Question] = []
    seen: set[str] = set()
    for lineno, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{p}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{where}: invalid JSON ({exc.msg})") from exc
        q = parse_line(obj, where)
        if q.id in seen:
            raise SuiteError(f"{where}: duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise SuiteError(f"{p}: the suite has no questions")
    return Suite(str(p), questions, hashlib.sha256(raw).hexdigest())

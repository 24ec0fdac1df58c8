"""Huge and hostile files: refused or streamed with bounded memory, each failure named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

# Ingests in a child process and reports its peak RSS, so the parent's memory doesn't count.
CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from qa import KnowledgeBase
    kb = KnowledgeBase(sys.argv[1])
    r = kb.ingest(sys.argv[2:])
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"summary": r.summary(), "added": r.added, "failed": r.failed_count,
                      "listed": [str(f) for f in r.failed[:5]], "peak_mb": peak_kb / 1024}))
    """
)


def ingest_in_child(index: Path, *paths: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run(
        [sys.executable, "-c", CHILD, str(index), *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_a_50_mb_text_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    with big.open("w") as fh:
        line = "The harbour authority said traffic was normal on Tuesday. " * 20 + "\n"
        while fh.tell() < 50 * 2**20:
            fh.write(line)
    small = tmp_path / "ok.txt"
    small.write_text("Dock workers in Gdansk unloaded grain on Friday, the operator said.")
    out = ingest_in_child(tmp_path / "index", big, small)
    assert out["added"] == ["ok"]
    assert out["failed"] == 1
    assert "dump.txt" in out["listed"][0] and "50.0 MB" in out["listed"][0]
    assert "jsonl" in out["listed"][0]  # it tells the user what to do instead


def test_a_million_line_jsonl_streams_with_bounded_memory(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    big = tmp_path / "big.jsonl"
    good = [
        json.dumps({"id": f"story-{i}", "text": f"Ferry {i} sailed from Split on Monday."})
        for i in range(10)
    ]
    small.write_text("\n".join(good[:2] + ["{oops"] * 10) + "\n")
    with big.open("w") as fh:
        for i in range(1_000_000):
            fh.write(good[i // 100_000] if i % 100_000 == 0 else "{oops")
            fh.write("\n")
    baseline = ingest_in_child(tmp_path / "index-small", small)
    out = ingest_in_child(tmp_path / "index-big", big)
    assert sorted(out["added"]) == sorted(f"story-{i}" for i in range(10))
    assert out["failed"] == 1_000_000 - 10
    assert out["listed"][0].startswith(f"{big}:2:")  # file and line of the first bad record
    assert "999,990 failed" in out["summary"]
    # Streaming: the 1M-line file costs about what a 12-line file does.
    assert out["peak_mb"] - baseline["peak_mb"] < 150, (out["peak_mb"], baseline["peak_mb"])


def test_an_oversized_record_in_a_jsonl_names_its_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "records.jsonl"
    huge = (
        "Words about the port. " * 100_000
    )  # 2.2M characters; the stripped trailing space makes it 2,199,999
    f.write_text(
        json.dumps({"id": "fine", "text": "A normal article about the port of Gdansk."})
        + "\n"
        + json.dumps({"id": "huge", "text": huge})
        + "\n"
    )
    out = ingest_in_child(tmp_path / "index", f)
    assert out["added"] == ["fine"]
    assert out["listed"] == [
        f"{f}:2: field 'text': article 'huge' is 2,199,999 characters; the limit is 2,000,000"
    ]

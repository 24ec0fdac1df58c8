"""Benchmarks for issues 6 and 12: ingest speed, query latency, cold start, memory, and
retrieval quality on the generated corpus (seeds 0 and 7) and the newsroom suite.

Every figure is printed next to a baseline measured in the same run on the same machine (the
raw embedder, stock LlamaIndex, BM25 alone, a bare interpreter), because the machines are
small and shared: absolute times are noisy, ratios are what we track. Each measurement runs
in its own process so peak RSS and cold imports are honest.

    python -m evals.bench                    # N = 100 and 1,000 (10-15 min on 2 shared cores)
    python -m evals.bench --sizes 10000 --no-baselines  # the big run, ours only (~22-40 min)
    python -m evals.bench --quick            # N = 20, a smoke run of the whole harness (~3 min)
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOISE_NOTE = (
    "Shared 2-core machine: absolute times are noisy (other jobs compete for the cores); "
    "compare the ratios, which come from the same run."
)


class WorkerError(RuntimeError):
    """A benchmark subprocess failed; the message carries its stderr tail."""


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_env() -> dict[str, str]:
    """Environment for worker processes: the repo importable, no telemetry, no ambient LLM."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["ANONYMIZED_TELEMETRY"] = "False"
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    for var in ("OPENAI_API_KEY", "QA_LLM", "QA_LLM_BASE_URL", "QA_CHROMA_URL", "QA_INDEX"):
        env.pop(var, None)
    return env


def run_worker(module: str, args: Sequence[str], timeout: float | None = None) -> dict[str, Any]:
    """Run `python -m evals.bench.<module> ARGS --result FILE` in a fresh process and return
    the JSON it wrote: a fresh process per measurement keeps caches and RSS separate."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        result = Path(fh.name)
    try:
        cmd = [sys.executable, "-m", f"evals.bench.{module}", *args, "--result", str(result)]
        proc = subprocess.run(
            cmd, cwd=ROOT, env=bench_env(), capture_output=True, text=True, timeout=timeout
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
            raise WorkerError(f"{' '.join(cmd[2:])} failed ({proc.returncode}):\n{tail}")
        return json.loads(result.read_text())
    finally:
        result.unlink(missing_ok=True)


def write_result(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """A worker's last act: its figures plus its own peak RSS."""
    data = {**data, "peak_rss_mb": round(peak_rss_mb(), 1)}
    Path(path).write_text(json.dumps(data, indent=2))


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def ratio(a: float | None, b: float | None) -> str:
    """`a / b` as "1.23x" ("-" when either side is missing or b is 0)."""
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "-"
    return f"{a / b:.2f}x"


def fmt(value: Any) -> str:
    """Table cell text: floats get 2 decimals below 10 and 1 above, so seconds stay legible."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], notes: Sequence[str] = ()
) -> str:
    """A plain-text table (Markdown pipe syntax, so it pastes into docs as is)."""
    cells = [[str(h) for h in headers]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    out = [f"### {title}", "", line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells[1:]]
    out += [""] + [f"{n}" for n in notes]
    return "\n".join(out).rstrip() + "\n"

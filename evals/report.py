"""Report writers: report.json (everything), report.md (a table), report.html (plots).

The HTML is self-contained: inline SVG and CSS, no JavaScript, no plotting dependency,
so it opens from a CI artifact or a PR attachment anywhere.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

# Metrics shown as bars on a 0..1 scale (ratios), in display order.
RATIO_METRICS = [
    "retrieval.hit@1",
    "retrieval.hit@5",
    "retrieval.mrr@10",
    "correctness.accept",
    "correctness.f1",
    "refusal.correct",
    "refusal.false",
    "citations.valid",
    "citations.recall",
    "citations.precision",
    "faithfulness",
    "news.right_article",
    "news.timeline_ordered",
]


def fmt(name: str, value: float) -> str:
    """Latency in ms with no decimals past 1 ms; ratios with three decimals."""
    if name.startswith("latency."):
        return f"{value:.1f}" if value < 10 else f"{value:.0f}"
    if name in ("errors", "news.copies_in_top5"):  # counts
        return str(int(value))
    return f"{value:.3f}"


def render_markdown(report: dict[str, Any]) -> str:
    """The summary a person reads in a terminal or a PR."""
    lines = [f"# Eval report: {Path(report['suite']['path']).name}", "", _run_line(report), ""]
    lines += _metrics_table(report["metrics"])
    if report.get("by_type"):
        lines += ["", *_by_type_table(report["by_type"])]
    wrong = [r for r in report["rows"] if _why_wrong(r)]
    if wrong:
        lines += ["", "## Questions to look at", "", *_wrong_table(wrong)]
    return "\n".join(lines) + "\n"


def _run_line(report: dict[str, Any]) -> str:
    """Questions, answerer, judge and date on one line."""
    cfg = report["config"]
    judge = cfg.get("judge", {})
    judge_s = judge.get("name", "?")
    if judge.get("mode"):
        judge_s += f" ({judge['mode']}, threshold {judge.get('threshold')})"
    if judge.get("model"):
        judge_s += f" ({judge['model']})"
    return (
        f"{report['suite']['questions']} questions · answerer "
        f"{', '.join(cfg.get('answer_modes') or ['?'])}"
        + (f" ({', '.join(cfg['answer_models'])})" if cfg.get("answer_models") else "")
        + f" · judge {judge_s} · {report['created_at']}"
    )


def _metrics_table(metrics: dict[str, Any]) -> list[str]:
    lines = ["| metric | value | n | better |", "| --- | ---: | ---: | --- |"]
    for name, m in metrics.items():
        better = {"higher": "↑", "lower": "↓"}.get(m.get("better") or "", "")
        lines.append(f"| {name} | {fmt(name, m['value'])} | {m['n']} | {better} |")
    return lines


def _by_type_table(by_type: dict[str, Any]) -> list[str]:
    def f(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}"

    lines = [
        "| type | n | accept | F1 | hit@5 | refused |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t, m in by_type.items():
        lines.append(
            f"| {t} | {m['n']} | {f(m['accept'])} | {f(m['f1'])} | {f(m['hit@5'])} | "
            f"{f(m['refused'])} |"
        )
    return lines


def _why_wrong(r: dict[str, Any]) -> str | None:
    """Why a row deserves a look, or None when it went right."""
    if r["error"]:
        return "error"
    if r["answerable"] and r["refused"]:
        return "refused an answerable question"
    if r["answerable"] and not r.get("accept_ok"):
        return "no accept string in the answer"
    if not r["answerable"] and not r["refused"]:
        return "answered an unanswerable question"
    return None


def _wrong_table(wrong: list[dict[str, Any]]) -> list[str]:
    lines = ["| id | type | why | answer |", "| --- | --- | --- | --- |"]
    for r in wrong:
        ans = " ".join((r.get("error") or r.get("answer") or "").split())
        ans = ans[:140] + ("…" if len(ans) > 140 else "")
        lines.append(f"| {r['id']} | {r['type']} | {_why_wrong(r)} | {ans.replace('|', '/')} |")
    return lines


# --- HTML -----------------------------------------------------------------------------


def _bars_svg(metrics: dict[str, Any]) -> str:
    names = [n for n in RATIO_METRICS if n in metrics]
    row_h, label_w, bar_w = 22, 170, 360
    h = row_h * len(names) + 24
    parts = [
        f'<svg class="plot" role="img" aria-label="metric bars" width="{label_w + bar_w + 70}" '
        f'height="{h}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, name in enumerate(names):
        v = float(metrics[name]["value"])
        y = 4 + i * row_h
        w = max(0.0, min(1.0, v)) * bar_w
        lower = metrics[name].get("better") == "lower"
        color = "#c0392b" if lower else "#2e86c1"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 6}" fill="#eee"/>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{color}">'
            f"<title>{html.escape(name)} = {v:.3f} (n={metrics[name]['n']})</title></rect>"
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{v:.3f}</text>'
        )
    axis_y = 4 + len(names) * row_h + 12
    for t in (0, 0.5, 1):
        parts.append(
            f'<text x="{label_w + t * bar_w:.0f}" y="{axis_y}" text-anchor="middle">{t}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: list[float], bins: int = 12) -> list[tuple[float, float, int]]:
    """(lo, hi, count) bins over the values' range; one bin when all values are equal."""
    vals = [v for v in values if math.isfinite(v)]
    if not vals:
        return []
    lo, hi = min(vals), max(vals)
    if hi <= lo:
        return [(lo, hi, len(vals))]
    width = (hi - lo) / bins
    counts = [0] * bins
    for v in vals:
        counts[min(bins - 1, int((v - lo) / width))] += 1
    return [(lo + i * width, lo + (i + 1) * width, c) for i, c in enumerate(counts)]


def _hist_svg(values: list[float], label: str) -> str:
    bins = histogram(values)
    if not bins:
        return "<p>No latency measured.</p>"
    w, h, pad = 480, 170, 30
    top = max(c for _, _, c in bins)
    bw = (w - 2 * pad) / len(bins)
    parts = [
        f'<svg class="plot" role="img" aria-label="{html.escape(label)}" width="{w}" '
        f'height="{h + 30}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (lo, hi, c) in enumerate(bins):
        bh = (h - pad) * c / top if top else 0
        x = pad + i * bw
        parts.append(
            f'<rect x="{x:.1f}" y="{h - bh:.1f}" width="{bw - 2:.1f}" height="{bh:.1f}" '
            f'fill="#7d3c98"><title>{lo:.0f}–{hi:.0f} ms: {c}</title></rect>'
        )
        if c:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{h - bh - 3:.1f}" text-anchor="middle">{c}</text>'
            )
    parts.append(
        f'<text x="{pad}" y="{h + 16}">{bins[0][0]:.0f} ms</text>'
        f'<text x="{w - pad}" y="{h + 16}" text-anchor="end">{bins[-1][1]:.0f} ms</text>'
        f'<text x="{w / 2}" y="{h + 28}" text-anchor="middle">{html.escape(label)}</text>'
        "</svg>"
    )
    return "".join(parts)


def _row_html(r: dict[str, Any]) -> str:
    e = html.escape
    if r["error"]:
        status, cls = "error", "bad"
    elif r["answerable"]:
        ok = r.get("accept_ok") and not r["refused"]
        status, cls = ("correct", "good") if ok else ("wrong", "bad")
    else:
        status, cls = ("refused", "good") if r["refused"] else ("answered", "bad")
    cites = "".join(
        f"<li>[{c['n']}] <b>{e(c.get('title') or '')}</b> <code>{e(c['article_id'])}</code>"
        f"<br><q>{e(c.get('quote') or '')}</q></li>"
        for c in r.get("citations", [])
    )
    verdicts = "".join(
        f'<li class="{"good" if s["supported"] else "bad"}">'
        f"{'✓' if s['supported'] else '✗'} {e(s['text'])}"
        f"{' <i>(irrelevant: ' + e(str(s['irrelevant'])) + ')</i>' if s.get('irrelevant') else ''}"
        "</li>"
        for s in r.get("sentences", [])
    )
    claims = "".join(
        f'<li class="{"good" if c["supported"] else "bad"}">{"✓" if c["supported"] else "✗"} '
        f"{e(c['claim'])} <small>({c['score']:.2f})</small></li>"
        for c in r.get("claims", [])
    )

    def num(key: str) -> str:
        v = r.get(key)
        return "–" if v is None else f"{float(v):.2f}"

    t = r["timings_ms"]
    return (
        f"<tr><td><code>{e(r['id'])}</code><br><small>{e(r['type'])}</small></td>"
        f"<td>{e(r['question'])}<br><small>gold: {e(str(r['gold_answer']))}</small></td>"
        f'<td class="{cls}">{status}</td>'
        f"<td>{e(r.get('answer') or r.get('error') or '')}"
        f"{'<ol class=cites>' + cites + '</ol>' if cites else ''}</td>"
        f"<td>{'<ul>' + verdicts + '</ul>' if verdicts else ''}"
        f"{'<p>faithfulness claims:</p><ul>' + claims + '</ul>' if claims else ''}</td>"
        f"<td>hit@5 {num('hit@5')}<br>F1 {num('f1')}<br>cite R {num('citation_recall')}"
        f"<br>cite P {num('citation_precision')}<br>faith {num('faithfulness')}</td>"
        f"<td>{t['total']:.0f} ms</td></tr>"
    )


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ddd;padding:4px 8px;
vertical-align:top;text-align:left}th{background:#f4f4f4}.good{color:#1e8449}.bad{color:#c0392b}
.plot text{font:12px system-ui,sans-serif;fill:#333}ol.cites,ul{margin:4px 0;padding-left:18px}
q{color:#555}td.num{text-align:right}
"""


def render_html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    e = html.escape
    md_rows = "".join(
        f"<tr><td>{e(n)}</td><td class=num>{fmt(n, m['value'])}</td><td class=num>{m['n']}</td>"
        f"<td>{e(m.get('desc', ''))}</td></tr>"
        for n, m in report["metrics"].items()
    )
    totals = [r["timings_ms"]["total"] for r in report["rows"]]
    cfg = e(json.dumps(report["config"], indent=1))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Eval report: {e(Path(report['suite']['path']).name)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>Eval report: {e(Path(report['suite']['path']).name)}</h1>"
        f"<p>{report['suite']['questions']} questions · answerer "
        f"{e(', '.join(report['config'].get('answer_modes') or ['?']))} · judge "
        f"{e(json.dumps(report['config'].get('judge', {})))} · {e(report['created_at'])}</p>"
        f"<details><summary>config</summary><pre>{cfg}</pre></details>"
        "<h2>Metrics</h2>"
        + _bars_svg(report["metrics"])
        + "<table><tr><th>metric</th><th>value</th>"
        f"<th>n</th><th>definition</th></tr>{md_rows}</table>"
        "<h2>Latency</h2>" + _hist_svg(totals, "time per question (ask), ms") + "<h2>Questions</h2>"
        "<table><tr><th>id</th><th>question</th><th>result</th><th>answer and citations</th>"
        "<th>verdicts (ALCE sentences, RAGAS claims)</th><th>scores</th><th>time</th></tr>"
        + "".join(_row_html(r) for r in report["rows"])
        + "</table></body></html>\n"
    )


def write_reports(report: dict[str, Any], out: str | Path) -> dict[str, Path]:
    """Write report.json, report.md and report.html into `out` (created if needed)."""
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    paths = {"json": d / "report.json", "md": d / "report.md", "html": d / "report.html"}
    # allow_nan=False: a NaN anywhere is a bug, and should fail loudly here.
    paths["json"].write_text(json.dumps(report, indent=1, allow_nan=False, default=str) + "\n")
    paths["md"].write_text(render_markdown(report))
    paths["html"].write_text(render_html(report))
    return paths

"""A small self-contained HTML report of `eval recsys`: the metrics table, the learning curve
and a bar chart of NDCG@10 and HR@10 (inline SVG, no plotting library)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from tools.sequential.evaluate import MethodRow, RecsysEvalResult

KEYS = ("HR@5", "NDCG@5", "HR@10", "NDCG@10", "HR@20", "NDCG@20")
WIDTH, HEIGHT, PAD = 560, 260, 44
COLOURS = {
    "model": "#1f77b4",
    "ablation": "#9ecae1",
    "baseline": "#ff7f0e",
    "published": "#9e9e9e",
}


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _table(rows: Sequence[MethodRow]) -> str:
    head = "".join(f"<th>{k}</th>" for k in KEYS)
    body = "".join(
        f"<tr class='{r.kind}'><td>{escape(r.name)}</td><td>{escape(r.kind)}</td>"
        + "".join(f"<td>{_cell(r.test.get(k))}</td>" for k in KEYS)
        + f"<td>{escape(r.source)}</td></tr>"
        for r in rows
    )
    return f"<table><tr><th>method</th><th>kind</th>{head}<th>source</th></tr>{body}</table>"


def _polyline(values: Sequence[float], colour: str) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}"
        for i, v in enumerate(values)
    )
    return f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{points}'/>"


def learning_curve_svg(result: RecsysEvalResult) -> str:
    """Training loss and validation NDCG@20 per epoch (each scaled to its own range)."""
    losses = [p.loss for p in result.curve]
    valid = [p.valid.get("NDCG@20", 0.0) for p in result.curve]
    label = (
        f"epochs 1-{len(valid)}; best epoch {result.best_epoch}; "
        f"valid NDCG@20 {max(valid, default=0.0):.4f}; loss {min(losses, default=0.0):.3f} (min)"
    )
    return (
        f"<svg width='{WIDTH}' height='{HEIGHT}' role='img' aria-label='learning curve'>"
        f"<rect width='100%' height='100%' fill='white' stroke='#ccc'/>"
        f"{_polyline(losses, '#d62728')}{_polyline(valid, '#1f77b4')}"
        f"<text x='{PAD}' y='20' font-size='12'>{escape(label)}</text>"
        f"<text x='{PAD}' y='{HEIGHT - 12}' font-size='11' fill='#d62728'>training loss</text>"
        f"<text x='{PAD + 110}' y='{HEIGHT - 12}' font-size='11' fill='#1f77b4'>"
        "validation NDCG@20</text></svg>"
    )


def bar_chart_svg(rows: Sequence[MethodRow], key: str) -> str:
    """One horizontal bar per method for one metric."""
    shown = [r for r in rows if r.test.get(key) is not None]
    top = max((r.test[key] or 0.0 for r in shown), default=0.0) or 1.0
    bar, gap, left = 16, 6, 150
    height = PAD + len(shown) * (bar + gap)
    bars = []
    for i, r in enumerate(shown):
        value = r.test[key] or 0.0
        y = 28 + i * (bar + gap)
        length = value / top * (WIDTH - left - 70)
        bars.append(
            f"<text x='{left - 6}' y='{y + 12}' font-size='11' text-anchor='end'>"
            f"{escape(r.name)}</text>"
            f"<rect x='{left}' y='{y}' width='{length:.1f}' height='{bar}' "
            f"fill='{COLOURS.get(r.kind, '#555')}'/>"
            f"<text x='{left + length + 4:.1f}' y='{y + 12}' font-size='11'>{value:.4f}</text>"
        )
    return (
        f"<svg width='{WIDTH}' height='{height}' role='img' aria-label='{key}'>"
        f"<text x='10' y='16' font-size='12'>test {key}</text>{''.join(bars)}</svg>"
    )


def render_report(result: RecsysEvalResult) -> str:
    """The whole report as one HTML page."""
    rows = [*result.methods, *result.published]
    timing = (
        f"training {result.train_seconds:.0f} s wall / {result.train_cpu_seconds:.0f} s CPU; "
        f"whole run {result.wall_seconds:.0f} s wall / {result.cpu_seconds:.0f} s CPU; "
        f"peak memory {result.peak_rss_mb:.0f} MiB"
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>eval recsys</title>"
        "<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
        "tr.model{font-weight:bold}tr.published{color:#666}</style></head><body>"
        f"<h1>Next-item recommendation: {escape(Path(result.sequences).name)}</h1>"
        f"<p>{result.users:,} users, {result.items:,} items, {result.interactions:,} "
        f"interactions, {result.attribute_ids} attribute ids; {result.skipped_users} users with "
        f"fewer than 3 items left out.</p><p>{escape(result.protocol)}.</p>"
        f"<p>{escape(timing)}.</p>{_table(rows)}<h2>Learning curve</h2>"
        f"{learning_curve_svg(result)}<h2>Test metrics</h2>"
        f"{bar_chart_svg(rows, 'NDCG@10')}{bar_chart_svg(rows, 'HR@10')}</body></html>\n"
    )


def write_report(result: RecsysEvalResult, path: Path) -> None:
    """Write the HTML report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result), encoding="utf-8")

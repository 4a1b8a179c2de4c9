"""Inline SVG plots for the HTML report: horizontal grouped bars and box plots. No plotting
library, no files: each function returns one `<svg>` element as text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from evals.harness.stats import percentile

PALETTE = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096")
LABEL_W = 270
LABEL_CHARS = 42
PLOT_W = 440
ROW_H = 18
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _axis(top: float, y: float, unit: str) -> str:
    ticks = []
    for i in range(5):
        value = top * i / 4
        x = LABEL_W + PLOT_W * i / 4
        ticks.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>'
            f'<text x="{x:.1f}" y="{y + 12:.1f}" text-anchor="middle" {FONT}>'
            f"{escape(_number(value))}</text>"
        )
    ticks.append(
        f'<text x="{LABEL_W + PLOT_W:.1f}" y="{y + 24:.1f}" text-anchor="end" {FONT}>'
        f"{escape(unit)}</text>"
    )
    return "".join(ticks)


def _frame(title: str, height: float, body: str) -> str:
    width = LABEL_W + PLOT_W + 60
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(title)}">'
        f'<text x="4" y="13" {FONT} font-weight="bold">{escape(title)}</text>{body}</svg>'
    )


def nice_top(value: float) -> float:
    """The smallest 1, 2, 4, 6 or 8 times a power of ten at or above `value` (axis end)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 6, 8, 10):
        if value <= step * power * (1 + 1e-9):
            return float(step * power)
    return float(10 * power)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bars(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    unit: str = "",
    *,
    stacked: bool = False,
) -> str:
    """Horizontal bars: one row per label, one bar per series (side by side, or stacked)."""
    names = list(series)
    if stacked:
        top = nice_top(max([sum(v) for v in zip(*series.values(), strict=True)] + [0.0]))
        group = ROW_H + 6
    else:
        top = nice_top(max([v for values in series.values() for v in values] + [0.0]))
        group = ROW_H * max(1, len(names)) + 6
    y0 = 24.0
    parts: list[str] = []
    for i, label in enumerate(labels):
        y = y0 + i * group
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + min(group, ROW_H * 2) / 2 + 2:.1f}" '
            f'text-anchor="end" {FONT}><title>{escape(label)}</title>{escape(_label(label))}</text>'
        )
        start = 0.0
        for j, name in enumerate(names):
            value = series[name][i]
            width = PLOT_W * value / top
            by = y if stacked else y + j * ROW_H
            bx = LABEL_W + (PLOT_W * start / top if stacked else 0.0)
            parts.append(
                f'<rect x="{bx:.1f}" y="{by:.1f}" width="{width:.1f}" height="{ROW_H - 4}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)}: '
                f"{escape(_number(value))}</title></rect>"
            )
            if not stacked:
                parts.append(
                    f'<text x="{bx + width + 3:.1f}" y="{by + ROW_H - 7:.1f}" {FONT}>'
                    f"{escape(_number(value))}</text>"
                )
            start += value
    bottom = y0 + len(labels) * group
    legend = "".join(
        f'<rect x="{LABEL_W + 110 * j}" y="{bottom + 30:.1f}" width="10" height="10" '
        f'fill="{PALETTE[j % len(PALETTE)]}"/><text x="{LABEL_W + 110 * j + 14}" '
        f'y="{bottom + 39:.1f}" {FONT}>{escape(name)}</text>'
        for j, name in enumerate(names)
    )
    body = _axis(top, bottom, unit) + "".join(parts) + (legend if len(names) > 1 else "")
    return _frame(title, bottom + 48, body)


def boxes(title: str, samples: Mapping[str, Sequence[float]], unit: str = "") -> str:
    """One box plot per row: whiskers p5-p95, box p25-p75, median line, p99 tick."""
    rows = {name: list(values) for name, values in samples.items() if values}
    top = nice_top(max([percentile(v, 99) for v in rows.values()] + [0.0]))
    y0 = 24.0
    parts: list[str] = []

    def x(value: float) -> float:
        return LABEL_W + PLOT_W * min(value, top) / top

    for i, (name, values) in enumerate(rows.items()):
        y = y0 + i * (ROW_H + 6)
        mid = y + ROW_H / 2
        p5, p25, p50, p75, p95, p99 = (percentile(values, q) for q in (5, 25, 50, 75, 95, 99))
        tip = (
            f"{name}: p50 {_number(p50)}, p95 {_number(p95)}, p99 {_number(p99)} (n={len(values)})"
        )
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{mid + 4:.1f}" text-anchor="end" {FONT}>'
            f"{escape(_label(name))}</text><g><title>{escape(tip)}</title>"
            f'<line x1="{x(p5):.1f}" y1="{mid:.1f}" x2="{x(p95):.1f}" y2="{mid:.1f}" '
            f'stroke="#4a5568"/>'
            f'<rect x="{x(p25):.1f}" y="{y:.1f}" width="{max(1.0, x(p75) - x(p25)):.1f}" '
            f'height="{ROW_H}" fill="#bee3f8" stroke="#2b6cb0"/>'
            f'<line x1="{x(p50):.1f}" y1="{y:.1f}" x2="{x(p50):.1f}" y2="{y + ROW_H:.1f}" '
            f'stroke="#1a365d" stroke-width="2"/>'
            f'<line x1="{x(p99):.1f}" y1="{y + 3:.1f}" x2="{x(p99):.1f}" y2="{y + ROW_H - 3:.1f}" '
            f'stroke="#c53030" stroke-width="2"/></g>'
            f'<text x="{LABEL_W + PLOT_W + 4}" y="{mid + 4:.1f}" {FONT}>'
            f"{escape(_number(p95))}</text>"
        )
    bottom = y0 + len(rows) * (ROW_H + 6)
    note = (
        f'<text x="{LABEL_W}" y="{bottom + 38:.1f}" {FONT}>box p25-p75, line p50, whiskers '
        f"p5-p95, red tick p99; right: p95</text>"
    )
    return _frame(title, bottom + 46, _axis(top, bottom, unit) + "".join(parts) + note)

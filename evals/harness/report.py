"""The HTML report of an eval run: one self-contained page (inline CSS and SVG, no scripts, no
external files) with every suite's metric table (baselines side by side), plots, failing cases,
and the comparison with a previous run."""

from __future__ import annotations

from html import escape
from pathlib import Path

from evals.harness.model import Chart, Comparison, EvalRun, Metric, SuiteResult
from evals.harness.svg import bars, boxes

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1a202c}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #cbd5e0}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
td,th{border:1px solid #e2e8f0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f7fafc}.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{padding:.1rem .5rem;border-radius:.6rem;color:#fff;font-size:.8rem}
.passed{background:#38a169}.failed,.error{background:#e53e3e}.skipped{background:#a0aec0}
.yes{color:#276749}.no{color:#c53030;font-weight:bold}.muted{color:#718096}
details{margin:.4rem 0}pre{white-space:pre-wrap;font-size:.75rem}
"""


def fmt(value: float | None, unit: str) -> str:
    """A metric value as the report writes it."""
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{value:.2%}"
    if unit == "$":
        return f"${value:,.2f}"
    if unit == "ms":
        return f"{value:,.2f} ms"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return '<span class="muted">-</span>'
    return '<span class="yes">pass</span>' if passed else '<span class="no">FAIL</span>'


def metric_table(metrics: list[Metric]) -> str:
    """Metrics with their interval, each baseline in its own column, threshold and verdict."""
    baselines = sorted({b for m in metrics for b in m.baselines})
    head = "".join(f"<th>{escape(b)}</th>" for b in baselines)
    rows = []
    for m in metrics:
        ci = f"[{fmt(m.ci[0], m.unit)}, {fmt(m.ci[1], m.unit)}]" if m.ci else ""
        cells = "".join(
            f'<td class="num">{fmt(m.baselines.get(b), m.unit) if b in m.baselines else ""}</td>'
            for b in baselines
        )
        threshold = (
            ""
            if m.threshold is None
            else (("≤ " if m.better == "lower" else "≥ ") + fmt(m.threshold, m.unit))
        )
        rows.append(
            f'<tr><td>{escape(m.name)}</td><td class="num">{fmt(m.value, m.unit)}</td>'
            f'<td class="num">{ci}</td>{cells}<td>{threshold}</td><td>{_verdict(m.passed)}</td>'
            f"<td>{escape(m.kind)}</td><td>{escape(m.description)}</td></tr>"
        )
    return (
        f"<table><tr><th>metric</th><th>value</th><th>95% interval</th>{head}<th>threshold</th>"
        f"<th>verdict</th><th>kind</th><th>what it means</th></tr>{''.join(rows)}</table>"
    )


def chart(c: Chart) -> str:
    """One chart as inline SVG."""
    if c.kind == "bars":
        return bars(c.title, c.labels, c.series, c.unit, stacked=c.stacked)
    return boxes(c.title, c.series, c.unit)


def _cases(suite: SuiteResult) -> str:
    if not suite.cases:
        return ""
    failing = [c for c in suite.cases if not c.passed]
    items = "".join(
        f"<li><b>{escape(c.id)}</b> ({c.passes}/{c.trials}): "
        f"{escape('; '.join(c.failures[:4]))}</li>"
        for c in failing[:40]
    )
    listing = f"<ul>{items}</ul>" if failing else ""
    return (
        f"<details><summary>{len(suite.cases) - len(failing)} of {len(suite.cases)} cases "
        f"passed{' — failing cases' if failing else ''}</summary>{listing}</details>"
    )


def suite_section(suite: SuiteResult) -> str:
    """A suite's heading, status, metrics, plots, cases and notes."""
    reason = f' <span class="muted">{escape(suite.reason)}</span>' if suite.reason else ""
    notes = "".join(f"<li>{escape(n)}</li>" for n in suite.notes)
    trace = suite.data.get("traceback")
    return (
        f'<h2 id="{escape(suite.name)}">{escape(suite.name)} — {escape(suite.title)}</h2>'
        f'<p><span class="badge {suite.status}">{suite.status}</span>{reason} '
        f'<span class="muted">{suite.seconds:.1f} s</span></p>'
        + (metric_table(suite.metrics) if suite.metrics else "")
        + "".join(f"<div>{chart(c)}</div>" for c in suite.charts)
        + _cases(suite)
        + (f"<ul>{notes}</ul>" if notes else "")
        + (
            f"<details><summary>traceback</summary><pre>{escape(str(trace))}</pre></details>"
            if trace
            else ""
        )
    )


def comparison_section(comparison: Comparison) -> str:
    """Every metric's change against the previous run, regressions first and flagged."""
    ordered = sorted(comparison.changes, key=lambda c: (not c.flagged, c.suite, c.metric))
    rows = "".join(
        f"<tr><td>{escape(c.suite)}</td><td>{escape(c.metric)}</td>"
        f'<td class="num">{c.previous:.4g}</td><td class="num">{c.current:.4g}</td>'
        f'<td class="num">{c.change:+.4g}</td><td class="num">{c.tolerance:.3g}</td>'
        f"<td>{'<span class=no>REGRESSION</span>' if c.flagged else ''}</td></tr>"
        for c in ordered
    )
    gone = escape(", ".join(comparison.missing_suites))
    missing = f"<p>Suites in the previous run but not in this one: {gone}</p>" if gone else ""
    return (
        f'<h2 id="compare">Against the previous run ({escape(comparison.previous_source)}, '
        f"{escape(comparison.previous_started_at)})</h2>"
        f"<p>{len(comparison.regressions)} regression(s) of {len(comparison.changes)} metrics "
        f"compared.</p>{missing}<table><tr><th>suite</th><th>metric</th><th>previous</th>"
        f"<th>current</th><th>change</th><th>tolerance</th><th></th></tr>{rows}</table>"
    )


def render(run: EvalRun) -> str:
    """The whole page."""
    verdict = "passed" if run.passed else "failed"
    m = run.machine
    summary = "".join(
        f'<tr><td><a href="#{escape(s.name)}">{escape(s.name)}</a></td>'
        f'<td><span class="badge {s.status}">{s.status}</span></td>'
        f'<td class="num">{s.seconds:.1f}</td><td>{escape(s.reason)}</td></tr>'
        for s in run.suites
    )
    store = ", ".join(
        f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in run.store.items()
    )
    header = (
        f'<h1>Concierge eval run — <span class="badge {verdict}">{verdict}</span></h1>'
        f"<p>Started {escape(run.started_at)}; wall time {run.wall_seconds:,.0f} s; "
        f"{'quick' if run.quick else 'full'} run on a demo store ({escape(store)}); "
        f"LLM: {escape(run.llm)}; scenario trials: {run.trials}. "
        f"Machine: {m.cpus} cores, load average {m.load_start[0]:.1f} at start and "
        f"{m.load_end[0]:.1f} at end (Python {escape(m.python)}).</p>"
        f"<table><tr><th>suite</th><th>status</th><th>seconds</th><th>note</th></tr>{summary}</table>"
    )
    compare = comparison_section(run.comparison) if run.comparison else ""
    body = header + compare + "".join(suite_section(s) for s in run.suites)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Concierge eval run</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def write_report(run: EvalRun, path: Path) -> Path:
    """Write the page to `path` (its directory created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(run), encoding="utf-8")
    return path

"""Compare a run with a previous run's JSON: every metric both have, regressions flagged.

A change is a regression when the metric moved the wrong way by more than its tolerance:
- a must-be-zero metric (threshold 0, lower is better): any increase;
- latency: 25% of the previous value (shared machines are noisy);
- anything else: the larger of 0.005, 2% of the previous value and half the current 95%
  interval, so sampling noise alone is not flagged.
"""

from __future__ import annotations

from typing import Any

from evals.harness.model import Comparison, EvalRun, Metric, Regression

LATENCY_TOLERANCE = 0.25
RELATIVE_TOLERANCE = 0.02
ABSOLUTE_TOLERANCE = 0.005


def tolerance(metric: Metric, previous: float) -> float:
    """How far a metric may move the wrong way before it counts as a regression."""
    if metric.threshold == 0 and metric.better == "lower":
        return 0.0
    if metric.kind == "latency":
        return abs(previous) * LATENCY_TOLERANCE
    allowed = max(ABSOLUTE_TOLERANCE, abs(previous) * RELATIVE_TOLERANCE)
    if metric.ci is not None:
        allowed = max(allowed, (metric.ci[1] - metric.ci[0]) / 2)
    return allowed


def _previous_values(previous: dict[str, Any]) -> dict[tuple[str, str], float]:
    values: dict[tuple[str, str], float] = {}
    for suite in previous.get("suites", []):
        for metric in suite.get("metrics", []):
            value = metric.get("value")
            if isinstance(value, int | float):
                values[(suite["name"], metric["name"])] = float(value)
    return values


def compare(run: EvalRun, previous: dict[str, Any], *, source: str = "") -> Comparison:
    """Every shared metric's change against the previous run, regressions flagged."""
    if previous.get("format") != run.format:
        raise ValueError(
            f"{source or 'previous'}: not an eval run (format {previous.get('format')!r})"
        )
    before = _previous_values(previous)
    changes: list[Regression] = []
    for suite in run.suites:
        for metric in suite.metrics:
            old = before.get((suite.name, metric.name))
            if old is None or metric.value is None or metric.better == "none":
                continue
            change = metric.value - old
            worse = -change if metric.better == "higher" else change
            allowed = tolerance(metric, old)
            changes.append(
                Regression(
                    suite=suite.name,
                    metric=metric.name,
                    previous=old,
                    current=metric.value,
                    change=round(change, 6),
                    tolerance=round(allowed, 6),
                    flagged=worse > allowed,
                )
            )
    ran = {s.name for s in run.suites}
    missing = sorted({s["name"] for s in previous.get("suites", [])} - ran)
    return Comparison(
        previous_started_at=str(previous.get("started_at", "")),
        previous_source=source,
        changes=changes,
        missing_suites=missing,
    )

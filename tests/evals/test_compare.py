"""Regressions against a previous run: flagged only beyond each metric's tolerance."""

from __future__ import annotations

from typing import Any

import pytest

from evals.harness.compare import compare, tolerance
from evals.harness.model import EvalRun, MachineInfo, Metric, SuiteResult


def _run(*metrics: Metric) -> EvalRun:
    return EvalRun(
        started_at="now",
        quick=True,
        llm="none",
        trials=1,
        machine=MachineInfo(cpus=2, load_start=(0.0, 0.0, 0.0)),
        suites=[SuiteResult.finished("s", "S", metrics=list(metrics))],
    )


def _previous(**values: float) -> dict[str, Any]:
    return {
        "format": "concierge-eval-run",
        "started_at": "before",
        "suites": [
            {"name": "s", "metrics": [{"name": k, "value": v} for k, v in values.items()]},
            {"name": "gone", "metrics": []},
        ],
    }


def test_a_drop_beyond_tolerance_is_flagged_and_noise_is_not() -> None:
    run = _run(
        Metric(name="rate", value=0.80),
        Metric(name="steady", value=0.899),
        Metric(name="better", value=0.95),
    )
    result = compare(run, _previous(rate=0.90, steady=0.90, better=0.90), source="prev.json")
    flagged = {c.metric for c in result.regressions}
    assert flagged == {"rate"}
    assert result.missing_suites == ["gone"]
    assert result.previous_source == "prev.json"


def test_must_be_zero_metrics_flag_any_increase() -> None:
    zero = Metric(name="violations", value=1.0, better="lower", threshold=0.0)
    assert tolerance(zero, 0.0) == 0.0
    result = compare(_run(zero), _previous(violations=0.0))
    assert [c.metric for c in result.regressions] == ["violations"]


def test_latency_tolerates_a_quarter_and_intervals_widen_tolerance() -> None:
    slow = Metric(name="p95", value=120.0, better="lower", kind="latency", unit="ms")
    assert tolerance(slow, 100.0) == 25.0
    assert not compare(_run(slow), _previous(p95=100.0)).regressions
    slower = slow.model_copy(update={"value": 130.0})
    assert compare(_run(slower), _previous(p95=100.0)).regressions
    noisy = Metric(name="margin", value=9.0, ci=(5.0, 13.0))
    assert tolerance(noisy, 10.0) == 4.0
    assert not compare(_run(noisy), _previous(margin=10.0)).regressions


def test_metrics_without_direction_or_value_are_not_compared() -> None:
    run = _run(Metric(name="info", value=3.0, better="none"), Metric(name="none", value=None))
    assert compare(run, _previous(info=1.0, none=1.0)).changes == []


def test_a_file_that_is_no_eval_run_is_refused() -> None:
    with pytest.raises(ValueError):
        compare(_run(), {"format": "something-else"})

"""Metric verdicts, suite status and the run's JSON."""

from __future__ import annotations

from evals.harness.model import EvalRun, MachineInfo, Metric, SuiteResult


def test_metric_verdict_follows_its_direction() -> None:
    assert Metric(name="m", value=0.9, threshold=0.8).passed is True
    assert Metric(name="m", value=0.7, threshold=0.8).passed is False
    assert Metric(name="m", value=0.0, better="lower", threshold=0.0).passed is True
    assert Metric(name="m", value=1.0, better="lower", threshold=0.0).passed is False
    assert Metric(name="m", value=None, threshold=0.0).passed is False
    assert Metric(name="m", value=5.0).passed is None


def test_suite_status_from_thresholds() -> None:
    good = SuiteResult.finished("s", "S", metrics=[Metric(name="a", value=1.0, threshold=1.0)])
    assert good.status == "passed" and good.reason == ""
    bad = SuiteResult.finished(
        "s", "S", metrics=[Metric(name="a", value=0.5, threshold=1.0), Metric(name="b", value=1)]
    )
    assert bad.status == "failed" and "a" in bad.reason
    assert bad.metric("b") is not None and bad.metric("c") is None


def test_run_json_carries_verdicts() -> None:
    run = EvalRun(
        started_at="2026-01-01T00:00:00+00:00",
        quick=True,
        llm="none",
        trials=1,
        machine=MachineInfo(cpus=2, load_start=(1.0, 1.0, 1.0)),
        suites=[
            SuiteResult.finished("s", "S", metrics=[Metric(name="a", value=0.5, threshold=1.0)])
        ],
    )
    data = run.as_json()
    assert data["passed"] is False
    assert data["suites"][0]["metrics"][0]["passed"] is False
    assert data["format"] == "concierge-eval-run"

"""The policy benchmark runs a mix of every action kind and reports percentiles."""

from __future__ import annotations

from policies.actions import ACTION_KINDS
from policies.bench import run, workload
from policies.loader import default_pack


def test_workload_is_seeded_and_mixed() -> None:
    first, second = workload(seed=3), workload(seed=3)
    assert [a.action_hash() for a, _ in first] == [a.action_hash() for a, _ in second]
    assert {a.kind for a, _ in first} == ACTION_KINDS


def test_run_reports_percentiles() -> None:
    result = run(default_pack(), iterations=200, warmup=10).as_dict()
    assert result["iterations"] == 200
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["cpu_p50_ms"] > 0
    assert sum(result["effects"].values()) == 200
    assert set(result["effects"]) >= {"approve", "modify", "deny"}
    assert result["budget_p99_ms"] == 0.5
    assert isinstance(result["within_budget"], bool)

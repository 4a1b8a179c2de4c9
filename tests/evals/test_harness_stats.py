"""The harness's statistics on values whose answers are worked out by hand."""

from __future__ import annotations

import math

import pytest

from evals.harness.stats import (
    latency_summary,
    ndcg_at_k,
    pass_hat_k,
    percentile,
    precision_at_k,
    ratio,
    rule_of_three,
    slot_scores,
    wilson,
)


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 50.0
    assert percentile(values, 25) == 20.0
    assert percentile([1.0, 2.0], 50) == 1.5
    with pytest.raises(ValueError):
        percentile([], 50)


def test_latency_summary() -> None:
    summary = latency_summary([1.0, 2.0, 3.0, 4.0])
    assert summary["p50"] == 2.5 and summary["max"] == 4.0 and summary["mean"] == 2.5
    assert summary["n"] == 4.0


def test_wilson_interval_known_values() -> None:
    low, high = wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-4) and high == pytest.approx(0.5962, abs=1e-4)
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_rule_of_three() -> None:
    assert rule_of_three(3_000) == pytest.approx(0.001)
    assert rule_of_three(0) == 1.0


def test_pass_hat_k_follows_tau_bench() -> None:
    # Case A passed 2 of 4 trials: pass^1 = 2/4, pass^2 = C(2,2)/C(4,2) = 1/6.
    # Case B passed 4 of 4: 1 for every k.
    cases = [(2, 4), (4, 4)]
    assert pass_hat_k(cases, 1) == pytest.approx((0.5 + 1) / 2)
    assert pass_hat_k(cases, 2) == pytest.approx((1 / 6 + 1) / 2)
    assert pass_hat_k(cases, 4) == pytest.approx((0 + 1) / 2)
    with pytest.raises(ValueError):
        pass_hat_k(cases, 5)
    with pytest.raises(ValueError):
        pass_hat_k([], 1)


def test_ndcg_binary_gain() -> None:
    assert ndcg_at_k(["a", "b"], {"a", "b"}, 10) == 1.0
    # Relevant item at rank 2 of 2 relevant-set size 1: (1/log2(3)) / 1.
    assert ndcg_at_k(["x", "a"], {"a"}, 10) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k(["x", "y"], {"a"}, 10) == 0.0
    # Only the top k count.
    assert ndcg_at_k(["x", "a"], {"a"}, 1) == 0.0
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], set(), 10)


def test_precision_slot_scores_and_ratio() -> None:
    assert precision_at_k(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx(0.2)
    assert precision_at_k([], {"a"}, 10) == 0.0
    assert slot_scores({("c", "x"), ("b", "1")}, {("c", "x"), ("a", "2")}) == (1, 2, 2)
    assert ratio(1, 4) == 0.25 and ratio(1, 0) is None

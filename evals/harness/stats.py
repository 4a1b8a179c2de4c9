"""Small statistics the suites share: percentiles, intervals, pass^k, ranking and slot scores."""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Sequence

Z95 = 1.959963984540054


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99, mean and max, rounded to microseconds (values in ms)."""
    return {
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "p99": round(percentile(values, 99), 3),
        "mean": round(sum(values) / len(values), 3),
        "max": round(max(values), 3),
        "n": float(len(values)),
    }


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The Wilson score 95% interval of a proportion."""
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    denominator = 1 + Z95**2 / trials
    centre = (p + Z95**2 / (2 * trials)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / trials + Z95**2 / (4 * trials**2)) / denominator
    return (round(max(0.0, centre - half), 6), round(min(1.0, centre + half), 6))


def rule_of_three(trials: int) -> float:
    """Upper 95% bound on a rate when none of `trials` attempts failed (3 / n)."""
    return 1.0 if trials <= 0 else min(1.0, 3 / trials)


def pass_hat_k(passes: Sequence[tuple[int, int]], k: int) -> float:
    """pass^k (tau-bench): the chance that k trials of a case all pass, averaged over cases.

    `passes` holds (passed trials c, trials n) per case; each case contributes C(c, k) / C(n, k).
    """
    if not passes:
        raise ValueError("no cases")
    total = 0.0
    for c, n in passes:
        if not 0 <= c <= n or k > n:
            raise ValueError(f"need 0 <= passes <= trials and k <= trials, got {c}, {n}, {k}")
        total += math.comb(c, k) / math.comb(n, k)
    return total / len(passes)


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Binary-gain NDCG@k: the ideal ranks min(k, |relevant|) relevant items first."""
    if not relevant:
        raise ValueError("no relevant items")
    gains = [1.0 if item in relevant else 0.0 for item in ranked[:k]]
    ideal = dcg([1.0] * min(k, len(relevant)))
    return dcg(gains) / ideal


def precision_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Share of the top k that is relevant (an empty ranking scores 0)."""
    top = ranked[:k]
    return sum(1 for item in top if item in relevant) / k if top else 0.0


def slot_scores(
    expected: Collection[Hashable], extracted: Collection[Hashable]
) -> tuple[int, int, int]:
    """(true positives, extracted, expected) of one case, for micro-averaged precision/recall."""
    found = set(extracted)
    wanted = set(expected)
    return len(found & wanted), len(found), len(wanted)


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return None if denominator == 0 else numerator / denominator

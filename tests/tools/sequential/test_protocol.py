"""The leave-one-out split, history exclusion, tie-breaking and metric values by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tools.sequential.data import sequence_data
from tools.sequential.protocol import (
    Stage,
    leave_one_out,
    metrics_of,
    metrics_of_lists,
    rank_stage,
    target_ranks,
    top_k_rows,
)


def _split(rows: list[list[str]], max_len: int = 3) -> tuple[object, Stage, Stage]:
    data = sequence_data([(f"u{i}", r) for i, r in enumerate(rows)])
    split = leave_one_out(data, max_len=max_len)
    return split.train, split.valid, split.test


def test_last_item_is_test_second_last_is_validation_the_rest_training() -> None:
    train, valid, test = _split([["1", "2", "3", "4", "5"], ["6", "7", "8"]])
    assert [t.tolist() for t in train] == [[1, 2, 3], [6]]  # type: ignore[attr-defined]
    assert valid.targets.tolist() == [4, 7] and test.targets.tolist() == [5, 8]
    assert valid.inputs.tolist() == [[1, 2, 3], [0, 0, 6]]
    assert test.inputs.tolist() == [[2, 3, 4], [0, 6, 7]]  # the last max_len items only
    assert test.history_of(0).tolist() == [1, 2, 3, 4]  # but all of the history is excluded
    assert valid.history_of(1).tolist() == [6]


def test_the_target_is_never_excluded_even_when_bought_before() -> None:
    _, valid, test = _split([["1", "2", "1", "3", "1"]])
    assert test.targets.tolist() == [1] and test.history_of(0).tolist() == [2, 3]
    assert valid.targets.tolist() == [3] and valid.history_of(0).tolist() == [1, 2]


def test_history_items_and_padding_cannot_outrank_the_target() -> None:
    _, _, test = _split([["1", "2", "3", "4"], ["5", "3", "2", "1"]])

    def history_first(stage: Stage, start: int, stop: int) -> np.ndarray:
        scores = np.zeros((stop - start, 6))
        scores[:, 4] = 1.0
        for row in range(start, stop):
            scores[row - start, stage.history_of(row)] = 10.0  # history scores highest
        scores[:, 0] = 99.0  # and so does padding
        return scores

    ranked = rank_stage(history_first, test, top=3, chunk=1)
    assert ranked.ranks.tolist() == [0, 1]
    assert ranked.top is not None
    assert ranked.top.tolist() == [[4, 5, -1], [4, 1, -1]]


def test_ties_go_to_the_lower_item_position() -> None:
    scores = np.array([[-np.inf, 1.0, 2.0, 2.0, 0.5], [-np.inf, 1.0, 2.0, 2.0, 0.5]])
    assert target_ranks(scores, np.array([3, 2])).tolist() == [1, 0]
    assert top_k_rows(scores, 3).tolist() == [[2, 3, 1], [2, 3, 1]]
    assert top_k_rows(np.array([[-np.inf, -np.inf, 1.0]]), 2).tolist() == [[2, -1]]


def test_metric_values_by_hand() -> None:
    found = metrics_of(np.array([0, 1, 4, 9, 25]))
    assert found["HR@5"] == pytest.approx(3 / 5)
    assert found["NDCG@5"] == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(6)) / 5)
    assert found["HR@10"] == pytest.approx(4 / 5)
    assert found["NDCG@10"] == pytest.approx(found["NDCG@5"] + 1 / math.log2(11) / 5)
    assert found["HR@20"] == found["HR@10"] and found["NDCG@20"] == found["NDCG@10"]


def test_metrics_from_ranked_lists_agree_with_ranks() -> None:
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, size=(40, 30)).astype(np.float64)  # many ties
    scores[:, 0] = -np.inf
    targets = rng.integers(1, 30, size=40)
    ranks = target_ranks(scores, targets)
    lists = [[str(i) for i in row] for row in top_k_rows(scores, 20)]
    assert metrics_of_lists(lists, [str(t) for t in targets]) == pytest.approx(metrics_of(ranks))

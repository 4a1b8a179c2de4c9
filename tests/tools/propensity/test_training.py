"""Seeded stratified splits and the F1-maximising threshold."""

from __future__ import annotations

import numpy as np
import pytest

from tools.exceptions import InputError
from tools.propensity.training import best_f1_threshold, f1_at, stratified_split


def test_stratified_split_keeps_class_shares_and_is_seeded() -> None:
    y = np.array([1] * 20 + [0] * 80, dtype=np.int64)
    kept, held = stratified_split(y=y, fraction=0.25, seed=3)
    assert held.size == 25 and int(y[held].sum()) == 5
    assert np.intersect1d(kept, held).size == 0 and kept.size + held.size == 100
    again_kept, again_held = stratified_split(y=y, fraction=0.25, seed=3)
    np.testing.assert_array_equal(held, again_held)
    np.testing.assert_array_equal(kept, again_kept)
    with pytest.raises(InputError):
        stratified_split(y=y, fraction=1.0, seed=3)


def test_best_threshold_maximises_f1_without_splitting_ties() -> None:
    scores = np.array([0.9, 0.8, 0.8, 0.4, 0.3, 0.1])
    labels = np.array([1, 1, 0, 1, 0, 0], dtype=np.int64)
    threshold, f1 = best_f1_threshold(scores=scores, labels=labels)
    # Cuts: >=0.9 -> 0.5, >=0.8 -> 0.667, >=0.4 -> 0.857, >=0.3 -> 0.75, >=0.1 -> 0.667.
    assert threshold == 0.4
    assert f1 == pytest.approx(6 / 7)
    assert f1_at(scores=scores, labels=labels, threshold=threshold) == pytest.approx(f1)

"""Train the propensity model: seeded stratified splits, boosted trees, a threshold for F1."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from tools.exceptions import InputError
from tools.propensity.features import FEATURE_NAMES
from tools.propensity.model import PropensityModel, predict_matrix

Array = NDArray[np.float64]
Labels = NDArray[np.int64]


def stratified_split(
    *, y: Labels, fraction: float, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row indices (kept, held out): `fraction` of each class held out, chosen by `seed`."""
    if not 0 < fraction < 1:
        raise InputError(f"must lie in (0, 1), got {fraction}", field="fraction")
    rng = np.random.default_rng(seed)
    held: list[NDArray[np.int64]] = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        held.append(rows[rng.permutation(rows.size)[: round(fraction * rows.size)]])
    out = np.zeros(y.shape[0], dtype=bool)
    out[np.concatenate(held)] = True
    return np.flatnonzero(~out), np.flatnonzero(out)


def best_f1_threshold(*, scores: Array, labels: Labels) -> tuple[float, float]:
    """The score threshold (predict positive at or above it) that maximises F1, and that F1."""
    positives = int(labels.sum())
    if positives == 0:
        raise InputError("no positive labels to choose a threshold on", field="labels")
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_labels = scores[order], labels[order]
    true_pos = np.cumsum(sorted_labels)
    predicted = np.arange(1, scores.size + 1)
    f1 = 2 * true_pos / (predicted + positives)
    # Only cut where the score changes: tied scores are all in or all out.
    last_of_tie = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    best = int(np.flatnonzero(last_of_tie)[np.argmax(f1[last_of_tie])])
    return float(sorted_scores[best]), float(f1[best])


def f1_at(*, scores: Array, labels: Labels, threshold: float) -> float:
    """F1 of predicting a purchase where the score is at or above `threshold`."""
    predicted = scores >= threshold
    true_pos = int((predicted & (labels == 1)).sum())
    denominator = int(predicted.sum()) + int(labels.sum())
    return 0.0 if denominator == 0 else 2 * true_pos / denominator


def export_booster(*, booster: Any, fill_values: Array, threshold: float) -> PropensityModel:
    """A fitted scikit-learn `GradientBoostingClassifier` as flat node arrays (global indices)."""
    prior = float(booster.init_.class_prior_[1])
    roots: list[int] = []
    left: list[int] = []
    right: list[int] = []
    feature: list[int] = []
    split: list[float] = []
    value: list[float] = []
    for estimator in booster.estimators_[:, 0]:
        tree = estimator.tree_
        offset = len(left)
        roots.append(offset)
        is_leaf = tree.children_left < 0
        left.extend(np.where(is_leaf, -1, tree.children_left + offset).tolist())
        right.extend(np.where(is_leaf, -1, tree.children_right + offset).tolist())
        feature.extend(np.where(is_leaf, -1, tree.feature).tolist())
        split.extend(np.where(is_leaf, 0.0, tree.threshold).tolist())
        value.extend(tree.value[:, 0, 0].tolist())
    return PropensityModel(
        feature_names=FEATURE_NAMES,
        fill_values=tuple(float(v) for v in fill_values),
        init_score=float(np.log(prior / (1 - prior))),
        learning_rate=float(booster.learning_rate),
        roots=tuple(roots),
        left=tuple(left),
        right=tuple(right),
        feature=tuple(feature),
        split=tuple(split),
        value=tuple(value),
        max_depth=max(int(e.tree_.max_depth) for e in booster.estimators_[:, 0]),
        threshold=threshold,
    )


def fill_unknown(*, x: Array, fill: Array) -> Array:
    """`x` with NaN replaced by the per-column fill values."""
    out: Array = np.where(np.isnan(x), fill, x)
    return out


def fit_propensity(
    *,
    x: Array,
    y: Labels,
    seed: int = 0,
    validation_fraction: float = 0.2,
    n_estimators: int = 150,
    learning_rate: float = 0.1,
    max_depth: int = 3,
) -> PropensityModel:
    """Fit boosted trees on part of (x, y); choose the F1 threshold on the rest (validation)."""
    from sklearn.ensemble import GradientBoostingClassifier

    if x.shape != (y.shape[0], len(FEATURE_NAMES)):
        raise InputError(f"expected a (sessions, {len(FEATURE_NAMES)}) matrix", field="x")
    fit_rows, val_rows = stratified_split(y=y, fraction=validation_fraction, seed=seed)
    fill = np.nanmedian(x[fit_rows], axis=0)
    fill = np.where(np.isnan(fill), 0.0, fill)
    booster = GradientBoostingClassifier(
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        max_depth=max_depth,
        random_state=seed,
    ).fit(fill_unknown(x=x[fit_rows], fill=fill), y[fit_rows])
    model = export_booster(booster=booster, fill_values=fill, threshold=0.5)
    scores = predict_matrix(model=model, x=x[val_rows])
    threshold, _ = best_f1_threshold(scores=scores, labels=y[val_rows])
    return model.model_copy(update={"threshold": threshold})

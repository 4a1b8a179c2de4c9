"""Purchase-propensity eval: boosted trees against logistic regression on a stratified hold-out.

Both models are fitted on the same training rows and pick their F1 threshold on the same
validation rows (carved from training); the test rows are used only for the reported figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from tools.propensity import FEATURE_NAMES, PropensityModel, load_sessions, predict_matrix
from tools.propensity.training import (
    best_f1_threshold,
    f1_at,
    fill_unknown,
    fit_propensity,
    stratified_split,
)

Progress = Callable[[str], None]
Array = NDArray[np.float64]
Labels = NDArray[np.int64]

_LOG_SCALED = ("pages", "duration", "page_value")


class ClassifierReport(BaseModel):
    """A classifier's figures on the test rows."""

    name: str
    roc_auc: float
    f1: float
    precision: float
    recall: float
    threshold: float = Field(description="Chosen on validation rows to maximise F1")


class PropensityEvalResult(BaseModel):
    """The propensity model beside a logistic-regression baseline."""

    file: str
    n_sessions: int
    n_purchases: int
    seed: int
    test_fraction: float
    validation_fraction: float
    train_sessions: int
    test_sessions: int
    features: list[str]
    model: ClassifierReport
    baseline: ClassifierReport
    auc_at_least_baseline: bool


def _baseline_design(x: Array, fill: Array) -> Array:
    """Logistic-regression inputs: filled, log1p of counts/durations/values, one-hot month."""
    x = fill_unknown(x=x, fill=fill)
    columns: list[Array] = []
    for j, name in enumerate(FEATURE_NAMES):
        if name == "month":
            months = np.clip(x[:, j].astype(np.int64), 1, 12)
            columns.append(np.eye(12)[months - 1])
        elif name.endswith(_LOG_SCALED):
            columns.append(np.log1p(x[:, j : j + 1]))
        else:
            columns.append(x[:, j : j + 1])
    return np.hstack(columns)


def _baseline_scores(
    x_train: Array, y_train: Labels, x_test: Array, *, validation_fraction: float, seed: int
) -> tuple[Array, float]:
    """Test scores of a standardised logistic regression and its validation-chosen threshold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    fit_rows, val_rows = stratified_split(y=y_train, fraction=validation_fraction, seed=seed)
    fill = np.nanmedian(x_train[fit_rows], axis=0)
    fill = np.where(np.isnan(fill), 0.0, fill)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    pipeline.fit(_baseline_design(x_train[fit_rows], fill), y_train[fit_rows])
    val_scores = pipeline.predict_proba(_baseline_design(x_train[val_rows], fill))[:, 1]
    threshold, _ = best_f1_threshold(scores=val_scores, labels=y_train[val_rows])
    test_scores: Array = pipeline.predict_proba(_baseline_design(x_test, fill))[:, 1]
    return test_scores, threshold


def _report(name: str, scores: Array, labels: Labels, threshold: float) -> ClassifierReport:
    from sklearn.metrics import roc_auc_score

    predicted = scores >= threshold
    true_pos = int((predicted & (labels == 1)).sum())
    return ClassifierReport(
        name=name,
        roc_auc=float(roc_auc_score(labels, scores)),
        f1=f1_at(scores=scores, labels=labels, threshold=threshold),
        precision=true_pos / int(predicted.sum()) if predicted.any() else 0.0,
        recall=true_pos / int(labels.sum()),
        threshold=threshold,
    )


def run_propensity_eval(
    *,
    path: Path,
    seed: int = 0,
    test_fraction: float = 0.2,
    validation_fraction: float = 0.2,
    progress: Progress | None = None,
) -> tuple[PropensityEvalResult, PropensityModel]:
    """Hold out a stratified test set, fit both models on the rest, report test figures."""
    say = progress or (lambda _: None)
    say("reading sessions")
    table = load_sessions(path=path)
    train, test = stratified_split(y=table.y, fraction=test_fraction, seed=seed)
    x_train, y_train, x_test, y_test = table.x[train], table.y[train], table.x[test], table.y[test]
    say("fitting gradient-boosted trees")
    model = fit_propensity(x=x_train, y=y_train, seed=seed, validation_fraction=validation_fraction)
    say("fitting the logistic-regression baseline")
    base_scores, base_threshold = _baseline_scores(
        x_train, y_train, x_test, validation_fraction=validation_fraction, seed=seed
    )
    model_report = _report(
        "gradient-boosted trees", predict_matrix(model=model, x=x_test), y_test, model.threshold
    )
    baseline = _report("logistic regression", base_scores, y_test, base_threshold)
    result = PropensityEvalResult(
        file=str(path),
        n_sessions=int(table.y.size),
        n_purchases=int(table.y.sum()),
        seed=seed,
        test_fraction=test_fraction,
        validation_fraction=validation_fraction,
        train_sessions=int(train.size),
        test_sessions=int(test.size),
        features=list(FEATURE_NAMES),
        model=model_report,
        baseline=baseline,
        auc_at_least_baseline=model_report.roc_auc >= baseline.roc_auc,
    )
    return result, model

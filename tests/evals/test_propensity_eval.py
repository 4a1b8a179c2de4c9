"""The propensity eval on the real sessions: boosted trees against logistic regression."""

from __future__ import annotations

from pathlib import Path

from evals.propensity import run_propensity_eval
from tools.propensity import load_sessions, predict_matrix


def test_model_at_least_matches_the_logistic_baseline(shared_data: Path) -> None:
    path = shared_data / "sessions" / "online_shoppers_intention.csv"
    result, model = run_propensity_eval(path=path)
    assert (result.n_sessions, result.n_purchases) == (12330, 1908)
    assert result.test_sessions == 2466
    assert result.auc_at_least_baseline
    assert result.model.roc_auc >= result.baseline.roc_auc
    assert result.model.roc_auc > 0.88 and result.baseline.roc_auc > 0.85
    assert result.model.f1 > 0.55 and result.baseline.f1 > 0.5
    table = load_sessions(path=path)
    assert predict_matrix(model=model, x=table.x[:5]).shape == (5,)

"""The exported tree model scores exactly as scikit-learn does, saves as JSON, loads back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tools.exceptions import InputError
from tools.propensity import (
    FEATURE_NAMES,
    SessionFeatures,
    load_model,
    predict_matrix,
    predict_proba,
    save_model,
)
from tools.propensity.training import export_booster, fill_unknown, fit_propensity


def synthetic(n: int = 600, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Sessions whose purchase odds grow with page value and product pages."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, len(FEATURE_NAMES)))
    col = {name: j for j, name in enumerate(FEATURE_NAMES)}
    x[:, col["product_pages"]] = rng.poisson(20, n)
    x[:, col["product_duration"]] = x[:, col["product_pages"]] * rng.uniform(10, 60, n)
    x[:, col["bounce_rate"]] = rng.uniform(0, 0.2, n)
    x[:, col["exit_rate"]] = rng.uniform(0, 0.2, n)
    x[:, col["page_value"]] = rng.exponential(5, n) * (rng.random(n) < 0.3)
    x[:, col["month"]] = rng.integers(1, 13, n)
    x[:, col["returning_visitor"]] = rng.random(n) < 0.8
    x[:, col["weekend"]] = rng.random(n) < 0.3
    logit = -2.5 + 0.4 * x[:, col["page_value"]] - 8 * x[:, col["exit_rate"]]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    x[rng.random(n) < 0.05, col["bounce_rate"]] = np.nan
    return x, y


def test_exported_trees_score_exactly_like_scikit_learn() -> None:
    from sklearn.ensemble import GradientBoostingClassifier

    x, y = synthetic()
    fill = np.nanmedian(x, axis=0)
    filled = fill_unknown(x=x, fill=fill)
    booster = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0)
    booster.fit(filled, y)
    model = export_booster(booster=booster, fill_values=fill, threshold=0.5)
    np.testing.assert_allclose(
        predict_matrix(model=model, x=x), booster.predict_proba(filled)[:, 1], rtol=0, atol=1e-12
    )


def test_fit_is_deterministic_and_learns_the_signal() -> None:
    x, y = synthetic()
    first = fit_propensity(x=x, y=y, seed=1, n_estimators=40)
    second = fit_propensity(x=x, y=y, seed=1, n_estimators=40)
    assert first.model_dump_json() == second.model_dump_json()
    scores = predict_matrix(model=first, x=x)
    assert scores[y == 1].mean() > scores[y == 0].mean() + 0.2
    assert 0 < first.threshold < 1


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    x, y = synthetic()
    model = fit_propensity(x=x, y=y, n_estimators=20)
    path = tmp_path / "models" / "propensity.json"
    save_model(model=model, path=path)
    loaded = load_model(path=path)
    assert loaded == model
    np.testing.assert_array_equal(
        predict_matrix(model=loaded, x=x), predict_matrix(model=model, x=x)
    )
    session = SessionFeatures(
        administrative_pages=1,
        administrative_duration=20.0,
        informational_pages=0,
        informational_duration=0.0,
        product_pages=12,
        product_duration=400.0,
        page_value=None,
        month=11,
        returning_visitor=True,
        weekend=False,
    )
    [p] = predict_proba(model=loaded, sessions=[session])
    assert 0 < p < 1


def test_load_refuses_bad_files(tmp_path: Path) -> None:
    x, y = synthetic()
    model = fit_propensity(x=x, y=y, n_estimators=5)
    data = json.loads(model.model_dump_json())
    data["left"] = data["left"][:-1]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(InputError, match="differ in length"):
        load_model(path=bad)
    with pytest.raises(InputError, match="file not found"):
        load_model(path=tmp_path / "absent.json")
    bad.write_text("{not json")
    with pytest.raises(InputError) as caught:
        load_model(path=bad)
    assert caught.value.file == str(bad)

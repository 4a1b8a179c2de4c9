"""The choice eval on the real scanner panels: the logit beats market shares held out."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.choice import run_choice_eval


@pytest.mark.parametrize("name", ["Yogurt.csv", "Cracker.csv"])
def test_logit_beats_market_share_on_held_out_households(shared_data: Path, name: str) -> None:
    result = run_choice_eval(path=shared_data / "choice" / name)
    assert result.logit_beats_baseline
    plain, loyal = result.models
    assert plain.held_out.log_likelihood > result.baseline.log_likelihood
    assert loyal.held_out.log_likelihood > plain.held_out.log_likelihood
    assert loyal.held_out.hit_rate > result.baseline.hit_rate
    for model in result.models:
        assert model.converged
        coefs = {c.name: c for c in model.coefficients}
        assert coefs["price"].estimate < 0 and coefs["price"].z < -5
        assert coefs["feat"].estimate > 0
        assert all(c.std_error > 0 for c in model.coefficients)
        for j in result.alternatives:
            assert model.elasticities[j][j] < 0
    assert 0 < result.test_households < result.n_households


def test_choice_eval_is_deterministic(shared_data: Path) -> None:
    path = shared_data / "choice" / "Yogurt.csv"
    first = run_choice_eval(path=path, seed=3)
    assert first.model_dump_json() == run_choice_eval(path=path, seed=3).model_dump_json()
    assert first.model_dump_json() != run_choice_eval(path=path, seed=4).model_dump_json()


def test_whole_yogurt_panel_gives_the_textbook_logit(shared_data: Path) -> None:
    from tools.choice import fit_mnl, load_choice_data

    data = load_choice_data(path=shared_data / "choice" / "Yogurt.csv")
    model = fit_mnl(data=data, reference="dannon")
    expected = {
        "asc.yoplait": 0.7345,
        "asc.hiland": -3.7155,
        "asc.weight": -0.6411,
        "price": -0.3666,
        "feat": 0.4914,
    }
    for name, value in expected.items():
        assert model.coefficients[name] == pytest.approx(value, abs=2e-4), name
    assert model.log_likelihood == pytest.approx(-2656.888, abs=1e-3)

"""Maximum-likelihood logit: known coefficients recovered, deterministic, well-posed."""

from __future__ import annotations

import numpy as np
import pytest

from tests.tools.choice.simulate import TRUE, simulate
from tools.choice import ChoiceModel, fit_mnl, fit_mnl_loyalty, occasion_probabilities
from tools.exceptions import InputError


def test_recovers_simulated_coefficients_within_their_standard_errors() -> None:
    model = fit_mnl(data=simulate(), reference="alpha")
    assert model.converged
    for name, true in TRUE.items():
        estimate, error = model.coefficients[name], model.std_errors[name]
        assert 0 < error < 0.2
        assert abs(estimate - true) < 3.5 * error, (name, estimate, true, error)


def test_standard_errors_shrink_with_more_data() -> None:
    small = fit_mnl(data=simulate(n_households=50), reference="alpha")
    large = fit_mnl(data=simulate(n_households=400), reference="alpha")
    assert large.std_errors["price"] < small.std_errors["price"] / 2


def test_fit_is_deterministic_and_round_trips_as_json() -> None:
    first = fit_mnl(data=simulate(), reference="alpha")
    second = fit_mnl(data=simulate(), reference="alpha")
    assert first.model_dump_json() == second.model_dump_json()
    assert ChoiceModel.model_validate_json(first.model_dump_json()) == first


def test_default_reference_is_the_first_alternative_alphabetically() -> None:
    model = fit_mnl(data=simulate())
    assert model.reference == "alpha"
    assert "asc.alpha" not in model.coefficients


def test_probabilities_sum_to_one_and_track_choices() -> None:
    data = simulate()
    model = fit_mnl(data=data)
    p = occasion_probabilities(model=model, data=data)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p.mean(axis=0), np.bincount(data.choice) / data.n, atol=1e-6)


def test_loyalty_adds_a_coefficient_and_does_not_hurt_the_fit() -> None:
    data = simulate(n_households=60)
    plain = fit_mnl(data=data)
    loyal = fit_mnl_loyalty(data=data, alphas=(0.5, 0.8))
    assert loyal.loyalty_alpha in (0.5, 0.8)
    assert "loyalty" in loyal.coefficients
    assert loyal.log_likelihood >= plain.log_likelihood - 1e-9


def test_never_chosen_alternative_is_refused() -> None:
    data = simulate(n_households=10)
    never = data.subset(data.choice != 2)
    with pytest.raises(InputError, match="never chosen"):
        fit_mnl(data=never)


def test_attribute_without_variation_is_refused() -> None:
    data = simulate(n_households=10)
    data.x[:, 1, :] = 1.0
    with pytest.raises(InputError) as caught:
        fit_mnl(data=data)
    assert caught.value.field == "feat"

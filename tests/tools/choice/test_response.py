"""Price response: probabilities at given prices, elasticities, loyalty from history only."""

from __future__ import annotations

import numpy as np
import pytest

from tests.tools.choice.simulate import simulate
from tools.choice import (
    brand_loyalty,
    choice_probabilities,
    fit_mnl,
    fit_mnl_loyalty,
    history_loyalty,
    price_elasticities,
)
from tools.exceptions import InputError

PRICES = {"alpha": 2.0, "beta": 2.2, "gamma": 1.8}


def test_probabilities_fall_with_own_price_and_rise_with_a_feature_ad() -> None:
    model = fit_mnl(data=simulate())
    base = choice_probabilities(model=model, prices=PRICES)
    assert sum(base.values()) == pytest.approx(1.0)
    dearer = choice_probabilities(model=model, prices={**PRICES, "beta": 2.6})
    assert dearer["beta"] < base["beta"] and dearer["alpha"] > base["alpha"]
    featured = choice_probabilities(model=model, prices=PRICES, promotions={"feat": {"gamma": 1}})
    assert featured["gamma"] > base["gamma"]


def test_elasticities_match_a_numerical_derivative() -> None:
    model = fit_mnl(data=simulate())
    elasticity = price_elasticities(model=model, prices=PRICES)
    step = 1e-6
    for k in PRICES:
        up = choice_probabilities(model=model, prices={**PRICES, k: PRICES[k] * (1 + step)})
        down = choice_probabilities(model=model, prices={**PRICES, k: PRICES[k] * (1 - step)})
        base = choice_probabilities(model=model, prices=PRICES)
        for j in PRICES:
            numeric = (np.log(up[j]) - np.log(down[j])) / (2 * step)
            assert elasticity[j][k] == pytest.approx(numeric, rel=1e-4), (j, k)
            assert (elasticity[j][k] < 0) == (j == k)
        assert base  # computed at the same point


def test_missing_price_and_unknown_promotion_are_refused() -> None:
    model = fit_mnl(data=simulate(n_households=20))
    with pytest.raises(InputError, match="no price"):
        choice_probabilities(model=model, prices={"alpha": 1.0})
    with pytest.raises(InputError, match="unknown promotion"):
        choice_probabilities(model=model, prices=PRICES, promotions={"disp": {"alpha": 1}})


def test_loyalty_uses_only_earlier_purchases() -> None:
    households = np.array(["a", "a", "a", "b", "a"], dtype=np.str_)
    choice = np.array([0, 1, 1, 2, 0], dtype=np.int64)
    loyalty = brand_loyalty(households=households, choice=choice, n_alternatives=3, alpha=0.5)
    np.testing.assert_allclose(loyalty[0], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(loyalty[1], [2 / 3, 1 / 6, 1 / 6])
    np.testing.assert_allclose(loyalty[3], [1 / 3, 1 / 3, 1 / 3])
    changed = choice.copy()
    changed[2] = 2  # a different purchase at occasion 2 changes nothing at or before it
    again = brand_loyalty(households=households, choice=changed, n_alternatives=3, alpha=0.5)
    np.testing.assert_array_equal(again[:3], loyalty[:3])
    assert not np.allclose(again[4], loyalty[4])


def test_a_loyal_household_is_more_likely_to_buy_its_brand() -> None:
    model = fit_mnl_loyalty(data=simulate(n_households=40), alphas=(0.7,))
    loyal = history_loyalty(alternatives=model.alternatives, history=["gamma"] * 5, alpha=0.7)
    assert loyal["gamma"] > 0.8
    newcomer = choice_probabilities(model=model, prices=PRICES)
    regular = choice_probabilities(model=model, prices=PRICES, loyalty=loyal)
    assert sum(regular.values()) == pytest.approx(1.0)
    assert (regular["gamma"] > newcomer["gamma"]) == (model.coefficients["loyalty"] > 0)

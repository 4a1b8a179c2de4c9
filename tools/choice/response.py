"""Price response of a fitted choice model: choice probabilities and price elasticities."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from tools.choice.data import PRICE, ChoiceData
from tools.choice.loyalty import brand_loyalty
from tools.choice.mnl import design, probabilities
from tools.choice.model import ChoiceModel
from tools.exceptions import InputError

Array = NDArray[np.float64]


def _theta(model: ChoiceModel) -> Array:
    return np.array([model.coefficients[n] for n in model.parameter_names], dtype=np.float64)


def occasion_probabilities(*, model: ChoiceModel, data: ChoiceData) -> Array:
    """Probabilities per occasion; loyalty, if modelled, from each household's earlier rows."""
    if data.alternatives != model.alternatives or data.attributes != model.attributes:
        raise InputError(
            "the data's alternatives or attributes differ from the model's", field="alternatives"
        )
    loyalty = None
    if model.loyalty_alpha is not None:
        loyalty = brand_loyalty(
            households=data.households,
            choice=data.choice,
            n_alternatives=len(data.alternatives),
            alpha=model.loyalty_alpha,
        )
    z = design(
        x=data.x, alternatives=model.alternatives, reference=model.reference, loyalty=loyalty
    )
    return probabilities(z, _theta(model))


def _row(
    model: ChoiceModel,
    prices: Mapping[str, float],
    promotions: Mapping[str, Mapping[str, float]] | None,
    loyalty: Mapping[str, float] | None,
) -> tuple[Array, Array | None]:
    """One occasion's attributes (1, attributes, alternatives) and loyalty (1, alternatives)."""
    missing = [a for a in model.alternatives if a not in prices]
    if missing:
        raise InputError(f"no price for {missing[0]!r}", field="prices")
    promotions = promotions or {}
    unknown = [a for a in promotions if a not in model.attributes or a == PRICE]
    if unknown:
        raise InputError(
            f"unknown promotion attribute {unknown[0]!r}; known: "
            f"{', '.join(model.attributes[1:]) or 'none'}",
            field="promotions",
        )
    x = np.zeros((1, len(model.attributes), len(model.alternatives)))
    for j, alt in enumerate(model.alternatives):
        x[0, 0, j] = float(prices[alt])
        for a, attribute in enumerate(model.attributes[1:], start=1):
            x[0, a, j] = float(promotions.get(attribute, {}).get(alt, 0.0))
    if model.loyalty_alpha is None:
        return x, None
    n_alt = len(model.alternatives)
    given = loyalty or {}
    row = np.array([[given.get(a, 1.0 / n_alt if not given else 0.0) for a in model.alternatives]])
    return x, row


def choice_probabilities(
    *,
    model: ChoiceModel,
    prices: Mapping[str, float],
    promotions: Mapping[str, Mapping[str, float]] | None = None,
    loyalty: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """P(choose each alternative) at these prices and promotions (e.g. {"feat": {"dannon": 1}}).

    Loyalty (for a model with a loyalty term) is the household's loyalty from its past purchases
    (`history_loyalty`); without one, a household with no history is assumed (uniform).
    """
    x, loyal = _row(model, prices, promotions, loyalty)
    z = design(x=x, alternatives=model.alternatives, reference=model.reference, loyalty=loyal)
    p = probabilities(z, _theta(model))[0]
    return {alt: float(p[j]) for j, alt in enumerate(model.alternatives)}


def price_elasticities(
    *,
    model: ChoiceModel,
    prices: Mapping[str, float],
    promotions: Mapping[str, Mapping[str, float]] | None = None,
    loyalty: Mapping[str, float] | None = None,
) -> dict[str, dict[str, float]]:
    """elasticity[j][k]: % change in P(j) per 1% change in the price of k (own on the diagonal)."""
    p = choice_probabilities(model=model, prices=prices, promotions=promotions, loyalty=loyalty)
    beta = model.price_coefficient
    return {
        j: {k: beta * prices[k] * ((1.0 if j == k else 0.0) - p[k]) for k in model.alternatives}
        for j in model.alternatives
    }

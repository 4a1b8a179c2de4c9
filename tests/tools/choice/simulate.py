"""A simulated brand-choice panel from known logit coefficients."""

from __future__ import annotations

import numpy as np

from tools.choice import ChoiceData

ALTERNATIVES = ("alpha", "beta", "gamma")
TRUE = {"asc.beta": 0.5, "asc.gamma": -0.3, "price": -1.2, "feat": 0.8}


def simulate(*, n_households: int = 200, per_household: int = 20, seed: int = 11) -> ChoiceData:
    """Occasions with random prices and feature ads; choices drawn from the true logit."""
    rng = np.random.default_rng(seed)
    n = n_households * per_household
    price = rng.uniform(1.0, 3.0, size=(n, 3))
    feat = (rng.random((n, 3)) < 0.2).astype(np.float64)
    utility = TRUE["price"] * price + TRUE["feat"] * feat
    utility[:, 1] += TRUE["asc.beta"]
    utility[:, 2] += TRUE["asc.gamma"]
    gumbel = -np.log(-np.log(rng.random((n, 3))))
    choice = np.argmax(utility + gumbel, axis=1).astype(np.int64)
    households = np.repeat(np.array([f"h{i}" for i in range(n_households)]), per_household)
    return ChoiceData(
        alternatives=ALTERNATIVES,
        attributes=("price", "feat"),
        households=households.astype(np.str_),
        x=np.stack([price, feat], axis=1),
        choice=choice,
    )

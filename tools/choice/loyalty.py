"""Brand loyalty from a household's past purchases only (Guadagni & Little, 1983).

Before a household's first purchase its loyalty is uniform over the alternatives; after each
purchase it moves toward the brand bought: L[t+1] = alpha * L[t] + (1 - alpha) * 1[bought]. The
loyalty at an occasion never uses that occasion's choice or any later one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tools.exceptions import InputError


def brand_loyalty(
    *,
    households: NDArray[np.str_],
    choice: NDArray[np.int64],
    n_alternatives: int,
    alpha: float,
) -> NDArray[np.float64]:
    """Per occasion (rows in time order within a household), the loyalty to each alternative."""
    if not 0 <= alpha < 1:
        raise InputError(f"must lie in [0, 1), got {alpha}", field="loyalty_alpha")
    uniform = np.full(n_alternatives, 1.0 / n_alternatives)
    current: dict[str, NDArray[np.float64]] = {}
    out = np.empty((choice.shape[0], n_alternatives), dtype=np.float64)
    for t, (household, chosen) in enumerate(zip(households.tolist(), choice.tolist(), strict=True)):
        state = current.get(household, uniform)
        out[t] = state
        updated = alpha * state
        updated[chosen] += 1.0 - alpha
        current[household] = updated
    return out


def history_loyalty(
    *, alternatives: tuple[str, ...], history: list[str], alpha: float
) -> dict[str, float]:
    """Loyalty of one household after the purchases in `history` (oldest first)."""
    index = {name: j for j, name in enumerate(alternatives)}
    unknown = [h for h in history if h not in index]
    if unknown:
        raise InputError(f"unknown alternative {unknown[0]!r}", field="history")
    loyalty = brand_loyalty(
        households=np.array(["h"] * (len(history) + 1), dtype=np.str_),
        choice=np.array([index[h] for h in history] + [0], dtype=np.int64),
        n_alternatives=len(alternatives),
        alpha=alpha,
    )[-1]
    return {name: float(loyalty[j]) for j, name in enumerate(alternatives)}

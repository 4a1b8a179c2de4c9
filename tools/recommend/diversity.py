"""Diversity: maximal marginal relevance over brand and category, one item per variant group.

Each step takes the item with the best score less `penalty` times its likeness to the items
already taken (0.5 for the same brand plus 0.5 for the same category), skipping products
already shown `max_per_product` times (as variants) and brands already shown `max_per_brand`
times (the brand cap is relaxed only when nothing else is left).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tools.recommend.catalog import FloatArray, IntArray


@dataclass(frozen=True)
class Looks:
    """What makes two items alike: brand, category and variant group codes, per candidate."""

    brand: IntArray
    category: IntArray
    group: IntArray


def diversify(
    scores: FloatArray,
    looks: Looks,
    *,
    k: int,
    penalty: float,
    max_per_brand: int,
    max_per_product: int = 1,
    taken: Sequence[int] = (),
) -> list[int]:
    """Indices of up to k candidates in display order, after the already `taken` ones."""
    state = _State(
        likeness=np.zeros(scores.size),
        closed=np.zeros(scores.size, dtype=bool),
        capped=np.zeros(scores.size, dtype=bool),
    )
    chosen = list(taken)
    for index in chosen:
        state.take(index, looks, max_per_brand=max_per_brand, max_per_product=max_per_product)
    while len(chosen) < k:
        adjusted = scores - penalty * state.likeness
        pick = _best(adjusted, ~state.closed & ~state.capped)
        if pick is None:
            pick = _best(adjusted, ~state.closed)
        if pick is None:
            break
        chosen.append(pick)
        state.take(pick, looks, max_per_brand=max_per_brand, max_per_product=max_per_product)
    return chosen[len(taken) :]


def _best(values: FloatArray, allowed: np.ndarray) -> int | None:
    if not allowed.any():
        return None
    return int(np.argmax(np.where(allowed, values, -np.inf)))


@dataclass
class _State:
    """What is taken so far: likeness to it, and which candidates are closed or capped."""

    likeness: FloatArray
    closed: np.ndarray
    capped: np.ndarray
    brands: Counter[int] = field(default_factory=Counter)
    products: Counter[int] = field(default_factory=Counter)

    def take(self, index: int, looks: Looks, *, max_per_brand: int, max_per_product: int) -> None:
        """Take the candidate at `index`."""
        brand, group = int(looks.brand[index]), int(looks.group[index])
        same_brand = looks.brand == brand
        same = 0.5 * same_brand + 0.5 * (looks.category == looks.category[index])
        self.likeness = np.maximum(self.likeness, same)
        self.closed[index] = True
        self.brands[brand] += 1
        self.products[group] += 1
        if self.products[group] >= max_per_product:
            self.closed |= looks.group == group
        if self.brands[brand] >= max_per_brand:
            self.capped |= same_brand

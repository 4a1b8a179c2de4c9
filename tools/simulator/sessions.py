"""Simulated sessions: who shops, what they look at, and the draws that decide their answers.

Shoppers are drawn in proportion to their activity. Each session has its own random stream
derived from (seed, shopper, the shopper's session number), so a session is the same whatever
else is simulated, and every policy meets the same shopper in the same mood: all the
uniform draws that decide responses are made up front (common random numbers).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
from numpy.typing import NDArray

from tools.demo_store.attributes import matches
from tools.demo_store.rng import derive_rng
from tools.demo_store.tastes import Taste
from tools.demo_store.taxonomy import AttrValue, CategorySpec, Scalar, Taxonomy
from tools.simulator.catalog import SimCatalog, SimItem
from tools.simulator.response import Stage, base_buy, observed_propensity, stage_of

CART_SHARE = 0.4
COMPANION_SHARE = 0.6
PICKUP_SHARE = 0.2
SIGNAL_NOISE = 0.6


@dataclass(frozen=True)
class Draws:
    """Uniform draws fixed per session, so responses to different offers stay comparable."""

    buy: float
    take: float
    topup: float
    topup_size: float
    open: float


@dataclass(frozen=True)
class SimSession:
    """One simulated session: the shopper, the item, the cart, and hidden state."""

    key: str
    shopper_id: str
    item: SimItem
    cart: tuple[SimItem, ...]
    companion: SimItem | None
    fulfilment: Literal["ship", "pickup"]
    stage: Stage
    base_buy: float
    signal: float
    draws: Draws


class _CategoryItems:
    """A category's items with what taste weights need, as arrays."""

    def __init__(self, items: Sequence[SimItem], spec: CategorySpec) -> None:
        self.items = items
        self.brands = [item.view.brand for item in items]
        self.attributes = [cast(dict[str, AttrValue], item.view.attributes) for item in items]
        self.keys = frozenset(key for attributes in self.attributes for key in attributes)
        self.none = np.zeros(len(items), dtype=np.bool_)
        ratios = [item.view.price_cents / spec.reference_price(item.view.leaf) for item in items]
        self.log_ratio = np.log(np.array(ratios, dtype=np.float64))
        self._masks: dict[tuple[str, Scalar], NDArray[np.bool_]] = {}

    def mask(self, key: str, value: Scalar) -> NDArray[np.bool_]:
        """Which items carry the attribute value (as `tastes` matches them)."""
        if key not in self.keys:
            return self.none
        found = self._masks.get((key, value))
        if found is None:
            found = np.array([matches(a, key, value) for a in self.attributes], dtype=np.bool_)
            self._masks[(key, value)] = found
        return found

    def weights(self, taste: Taste) -> NDArray[np.float64]:
        """`tastes.item_weight` of every item for this shopper."""
        w = np.array([taste.brands.get(b, 1.0) for b in self.brands], dtype=np.float64)
        for pref in taste.likes:
            if pref.key in self.keys:
                w = np.where(self.mask(pref.key, pref.value), w * (1.0 + pref.weight), w)
        for pref in taste.dislikes:
            if pref.key in self.keys:
                w = np.where(self.mask(pref.key, pref.value), w * pref.weight, w)
        out: NDArray[np.float64] = w * np.exp(
            (0.5 - 2.0 * taste.price_sensitivity) * self.log_ratio
        )
        return out


class Weights:
    """Each shopper's taste weights over each category's items, computed once."""

    def __init__(self, catalog: SimCatalog, taxonomy: Taxonomy) -> None:
        self._catalog = catalog
        self._taxonomy = taxonomy
        self._categories: dict[str, _CategoryItems] = {}
        self._cache: dict[tuple[str, str], NDArray[np.float64]] = {}

    def cumulative(self, taste: Taste, category: str) -> NDArray[np.float64]:
        """Running sums of the shopper's weights over the category's items."""
        key = (taste.shopper_id, category)
        found = self._cache.get(key)
        if found is None:
            items = self._categories.get(category)
            if items is None:
                spec = self._taxonomy.spec(category)
                items = _CategoryItems(self._catalog.of(category), spec)
                self._categories[category] = items
            found = np.cumsum(items.weights(taste))
            self._cache[key] = found
        return found

    def pick(self, rng: random.Random, taste: Taste, category: str) -> SimItem | None:
        """An item of the category drawn by the shopper's taste (None if it has no items)."""
        items = self._catalog.of(category)
        if not items:
            return None
        cumulative = self.cumulative(taste, category)
        total = float(cumulative[-1])
        if total <= 0:
            return items[rng.randrange(len(items))]
        index = int(np.searchsorted(cumulative, rng.random() * total, side="right"))
        return items[min(index, len(items) - 1)]


def _category(rng: random.Random, taste: Taste, categories: Sequence[str]) -> str:
    favourites = [c for c in taste.categories if c in categories]
    if not favourites or rng.random() < taste.exploration:
        return rng.choice(list(categories))
    return rng.choices(favourites, weights=[taste.categories[c] for c in favourites])[0]


def _others(
    rng: random.Random, taste: Taste, weights: Weights, categories: Sequence[str], *, not_sku: str
) -> list[SimItem]:
    found = []
    for _ in range(rng.randint(1, 2)):
        item = weights.pick(rng, taste, _category(rng, taste, categories))
        if item is not None and item.sku != not_sku:
            found.append(item)
    return found


def draw_session(
    *, seed: int, taste: Taste, number: int, weights: Weights, categories: Sequence[str]
) -> SimSession | None:
    """The shopper's `number`-th simulated session (None if their category has no items)."""
    rng = derive_rng(seed, "simulator", taste.shopper_id, number)
    item = weights.pick(rng, taste, _category(rng, taste, categories))
    if item is None:
        return None
    cart = (
        _others(rng, taste, weights, categories, not_sku=item.sku)
        if rng.random() < CART_SHARE
        else []
    )
    companion = None
    if rng.random() < COMPANION_SHARE:
        picked = _others(rng, taste, weights, categories, not_sku=item.sku)
        companion = next((c for c in picked if c.sku not in {x.sku for x in cart}), None)
    pickup = taste.home_location is not None and rng.random() < PICKUP_SHARE
    stage = stage_of(taste, rng.random())
    base = base_buy(taste, stage)
    signal = observed_propensity(base, rng.gauss(0.0, SIGNAL_NOISE))
    draws = Draws(*(rng.random() for _ in range(5)))
    return SimSession(
        key=f"{seed}:{taste.shopper_id}:{number}",
        shopper_id=taste.shopper_id,
        item=item,
        cart=tuple(cart),
        companion=companion,
        fulfilment="pickup" if pickup else "ship",
        stage=stage,
        base_buy=base,
        signal=round(signal, 6),
        draws=draws,
    )

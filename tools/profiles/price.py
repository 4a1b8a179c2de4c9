"""Price sensitivity: where a shopper's purchases sit against their categories' typical prices.

A category's typical price is its median list price; a price's position is its log distance
from the category's mean log price in standard deviations (at the deepest category level with
at least `MIN_ITEMS` products). Sensitivity is 0.5 - K * mean position, shrunk toward the
average shopper (0.5) by n / (n + N0) for n priced purchases, so one standard deviation below
typical reads as 0.4 more sensitive. Views count only while there are fewer than
`MIN_PURCHASES` purchases. A stated budget (value / mid / premium) joins as `STATED_WEIGHT`
observations at 0.8 / 0.5 / 0.2.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tools.profiles.interest import Interest
from tools.profiles.items import ItemLookup
from tools.profiles.model import PriceSensitivity, Source
from tools.profiles.preferences import BUDGET_SENSITIVITY, StatedPreferences

K = 0.4
N0 = 5.0
MIN_ITEMS = 8
MIN_PURCHASES = 3
STATED_WEIGHT = 5.0


@dataclass(frozen=True)
class CategoryPrices:
    """Per category path (every level): mean and spread of log price, and the median price."""

    stats: Mapping[str, tuple[float, float, float]]

    def _stat(self, category: str) -> tuple[float, float, float] | None:
        parts = category.split("/")
        for depth in range(len(parts), 0, -1):
            found = self.stats.get("/".join(parts[:depth]))
            if found is not None:
                return found
        return None

    def position(self, *, category: str, price_cents: int) -> float | None:
        """Standard deviations above the category's mean log price; None if unmeasurable."""
        stat = self._stat(category)
        if stat is None or price_cents <= 0:
            return None
        return (math.log(price_cents) - stat[0]) / stat[1]

    def typical(self, category: str) -> float | None:
        """The category's median list price in cents."""
        stat = self._stat(category)
        return None if stat is None else stat[2]


def category_prices(rows: Iterable[tuple[str, int]]) -> CategoryPrices:
    """Price statistics from (category path, list price) rows, at every level of the path."""
    prices: dict[str, list[int]] = defaultdict(list)
    for category, price in rows:
        if price > 0:
            parts = category.split("/")
            for depth in range(1, len(parts) + 1):
                prices["/".join(parts[:depth])].append(price)
    stats: dict[str, tuple[float, float, float]] = {}
    for category in sorted(prices):
        values = prices[category]
        if len(values) < MIN_ITEMS:
            continue
        logs = [math.log(p) for p in values]
        mean = math.fsum(logs) / len(logs)
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in logs) / len(logs))
        if spread > 1e-9:
            stats[category] = (mean, spread, float(statistics.median(values)))
    return CategoryPrices(stats=stats)


def _observations(
    interests: Mapping[str, Interest], items: ItemLookup, prices: CategoryPrices, *, bought: bool
) -> list[tuple[float, float]]:
    """(position, price / typical) of the items bought (or only viewed)."""
    found: list[tuple[float, float]] = []
    for sku, interest in interests.items():
        item = items.item(sku)
        if item is None or (interest.purchases > 0) != bought:
            continue
        z = prices.position(category=item.category, price_cents=item.price_cents)
        typical = prices.typical(item.category)
        if z is not None and typical:
            found.extend([(z, item.price_cents / typical)] * max(1, interest.purchases))
    return found


def price_sensitivity(
    interests: Mapping[str, Interest],
    *,
    items: ItemLookup,
    prices: CategoryPrices,
    stated: StatedPreferences,
) -> PriceSensitivity:
    """The shopper's sensitivity from purchases (views while few), blended with a stated budget."""
    observed = _observations(interests, items, prices, bought=True)
    if len(observed) < MIN_PURCHASES:
        observed += _observations(interests, items, prices, bought=False)
    n = len(observed)
    mean = math.fsum(z for z, _ in observed) / n if n else 0.0
    estimate, weight = 0.5 - K * mean * n / (n + N0), float(n)
    source: Source = "history" if n else "default"
    if stated.budget is not None:
        target = BUDGET_SENSITIVITY[stated.budget]
        estimate = (estimate * weight + target * STATED_WEIGHT) / (weight + STATED_WEIGHT)
        source = "stated" if not n else source
    ratio = statistics.median(r for _, r in observed) if observed else None
    return PriceSensitivity(
        estimate=round(min(0.98, max(0.02, estimate)), 4),
        typical_price_ratio=None if ratio is None else round(ratio, 3),
        observations=n,
        source=source,
    )

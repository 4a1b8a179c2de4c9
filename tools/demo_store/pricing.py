"""Shelf prices, unit costs, minimum advertised prices and the recent price history of a sku."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tools.demo_store.taxonomy import Brand, CategorySpec, Leaf

HISTORY_DAYS = 60
MIN_PRICE_CENTS = 99


@dataclass(frozen=True)
class PricePoint:
    """A list price that held from `effective_at` until the next point."""

    effective_at: datetime
    price_cents: int
    reason: str


def price_point(cents: float) -> int:
    """Round to a believable shelf price: $x.49 or $x.99, and $x4.99 or $x9.99 above $100."""
    if cents < 1_000:
        return max(MIN_PRICE_CENTS, round(cents / 50) * 50 - 1)
    if cents < 10_000:
        return round(cents / 100) * 100 - 1
    return round(cents / 500) * 500 - 1


def draw_base_price(rng: random.Random, *, spec: CategorySpec, leaf: Leaf, brand: Brand) -> float:
    """A base price in cents: log-uniform in the category range, scaled by leaf and brand tier."""
    lo, hi = spec.price_range
    return math.exp(rng.uniform(math.log(lo), math.log(hi))) * leaf.price_factor * brand.factor


def draw_unit_cost(rng: random.Random, *, spec: CategorySpec, list_price: int) -> int:
    """A unit cost whose margin at list price lies inside the category's margin range."""
    lo, hi = spec.margin_range
    margin = rng.uniform(lo + 0.005, hi - 0.005)
    return max(1, min(list_price - 1, round(list_price * (1.0 - margin))))


def draw_map(rng: random.Random, *, brand: Brand, list_price: int, unit_cost: int) -> int | None:
    """The brand's minimum advertised price: at or below list price, above unit cost; or None."""
    if not brand.map_policy:
        return None
    return max(unit_cost, min(list_price, round(list_price * rng.uniform(0.80, 1.0))))


def price_floor(*, unit_cost: int, map_cents: int | None) -> int:
    """The lowest price the store would ever have shown: MAP, and a little above cost."""
    return max(map_cents or 0, math.ceil(unit_cost * 1.05))


def draw_price_history(
    rng: random.Random,
    *,
    list_price: int,
    floor: int,
    launched_at: datetime,
    as_of: datetime,
) -> list[PricePoint]:
    """A few price points over the last ~60 days that end at the current list price."""
    start = max(launched_at, as_of - timedelta(days=HISTORY_DAYS))
    minutes = int((as_of - start).total_seconds() // 60)
    if minutes < 3 * 24 * 60:
        return [PricePoint(start, list_price, "launch")]
    first, second = sorted((rng.randrange(60, minutes - 60), rng.randrange(60, minutes - 60)))
    second = max(second, first + 1)
    t1, t2 = start + timedelta(minutes=first), start + timedelta(minutes=second)
    pattern = rng.random()
    depth = rng.choice((0.10, 0.15, 0.20, 0.25, 0.30))
    if pattern < 0.40:
        sale = max(floor, price_point(list_price * (1 - depth)))
        if sale >= list_price:
            return [PricePoint(start, list_price, "regular")]
        return [
            PricePoint(start, list_price, "regular"),
            PricePoint(t1, sale, "sale"),
            PricePoint(t2, list_price, "sale ended"),
        ]
    if pattern < 0.65:
        regular = price_point(list_price / (1 - depth))
        return [PricePoint(start, regular, "regular"), PricePoint(t1, list_price, "markdown")]
    if pattern < 0.80:
        before = max(floor, price_point(list_price * (1 - depth / 2)))
        if before >= list_price:
            return [PricePoint(start, list_price, "regular")]
        return [PricePoint(start, before, "regular"), PricePoint(t1, list_price, "price increase")]
    return [PricePoint(start, list_price, "regular")]


def price_at(history: tuple[tuple[datetime, int], ...], when: datetime) -> int:
    """The price in effect at a time (the earliest price before the history starts)."""
    current = history[0][1]
    for effective_at, price in history:
        if effective_at > when:
            break
        current = price
    return current

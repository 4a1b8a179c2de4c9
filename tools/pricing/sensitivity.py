"""A shopper's price sensitivity, estimated from what they looked at and bought.

Price position: for each item a shopper viewed or bought, how far its price sat from the mean
log list price of its category, in standard deviations (the deepest level of the category
path with at least `MIN_PRODUCTS` products). Price-sensitive shoppers keep to the
cheaper end of every category. The estimate, on the same 0-1 scale as the pricing input,
is 0.5 - K * mean position, shrunk toward 0.5 (the average shopper) by n / (n + N0) for a
shopper with n priced events: one standard deviation below the mean reads as 0.4 more
sensitive than average. A shopper with no priced events has no estimate (None).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from tools.store import Event, Product
from tools.store.vocab import EventKind

K = 0.4
N0 = 5.0
MAX_EVENTS = 200
MIN_PRODUCTS = 8
_KINDS = (EventKind.VIEW.value, EventKind.PURCHASE.value)


@dataclass(frozen=True)
class CategoryPrices:
    """Mean and spread of log list price per category path and every prefix of it."""

    stats: dict[str, tuple[float, float]]

    def position(self, *, category: str, price_cents: int) -> float | None:
        """Standard deviations above the mean log price of the deepest category level with
        enough products; None if not measurable."""
        if price_cents <= 0:
            return None
        parts = category.split("/")
        for depth in range(len(parts), 0, -1):
            stat = self.stats.get("/".join(parts[:depth]))
            if stat is not None:
                mean, spread = stat
                return (math.log(price_cents) - mean) / spread
        return None


def category_prices(rows: Iterable[tuple[str, int]]) -> CategoryPrices:
    """Category price statistics from (category, list price) rows, at every path level."""
    logs: dict[str, list[float]] = defaultdict(list)
    for category, price in rows:
        if price <= 0:
            continue
        parts = category.split("/")
        for depth in range(1, len(parts) + 1):
            logs["/".join(parts[:depth])].append(math.log(price))
    stats: dict[str, tuple[float, float]] = {}
    for category, values in sorted(logs.items()):
        if len(values) < MIN_PRODUCTS:
            continue
        mean = sum(values) / len(values)
        spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        if spread > 1e-9:
            stats[category] = (mean, spread)
    return CategoryPrices(stats=stats)


def load_category_prices(session: Session) -> CategoryPrices:
    """Category price statistics of the store's catalog."""
    rows = session.exec(select(Product.category, Product.list_price_cents)).all()
    return category_prices((str(c), int(p)) for c, p in rows)


def estimate_sensitivity(positions: Sequence[float]) -> float | None:
    """The 0-1 sensitivity estimate from price positions (None without any)."""
    if not positions:
        return None
    n = len(positions)
    mean = sum(positions) / n
    value = 0.5 - K * mean * n / (n + N0)
    return round(min(0.98, max(0.02, value)), 4)


_RECENT_PRICED = (
    select(Product.category, Event.price_cents)
    .join(Product, col(Product.sku) == col(Event.sku))
    .where(
        col(Event.shopper_id) == bindparam("shopper_id"),
        col(Event.kind).in_(_KINDS),
        col(Event.price_cents).is_not(None),
    )
    .order_by(col(Event.occurred_at).desc(), col(Event.id).desc())
    .limit(MAX_EVENTS)
)
_ALL_PRICED = (
    select(Event.shopper_id, Product.category, Event.price_cents)
    .join(Product, col(Product.sku) == col(Event.sku))
    .where(col(Event.kind).in_(_KINDS), col(Event.price_cents).is_not(None))
    .order_by(col(Event.shopper_id), col(Event.occurred_at).desc(), col(Event.id).desc())
)


def shopper_sensitivity(
    session: Session, *, shopper_id: str, prices: CategoryPrices
) -> float | None:
    """One shopper's estimate from their most recent priced views and purchases."""
    rows = session.exec(_RECENT_PRICED, params={"shopper_id": shopper_id}).all()
    positions = [
        z
        for category, price in rows
        if price is not None
        and (z := prices.position(category=category, price_cents=price)) is not None
    ]
    return estimate_sensitivity(positions)


def all_sensitivities(session: Session, *, prices: CategoryPrices) -> dict[str, float]:
    """Every shopper's estimate (shoppers without priced events are left out)."""
    positions: dict[str, list[float]] = defaultdict(list)
    for shopper_id, category, price in session.exec(_ALL_PRICED).all():
        if shopper_id is None or price is None:
            continue
        z = prices.position(category=category, price_cents=price)
        if z is not None and len(positions[shopper_id]) < MAX_EVENTS:
            positions[shopper_id].append(z)
    out: dict[str, float] = {}
    for shopper_id, values in sorted(positions.items()):
        estimate = estimate_sensitivity(values)
        if estimate is not None:
            out[shopper_id] = estimate
    return out

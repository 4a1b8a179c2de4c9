"""Stock for ranking: a snapshot of every sku's stock level, and a live check of a short list.

The snapshot (units available over all locations, and the sales pace of the last 28 days,
classified by `tools.inventory.classify_stock`) ranks candidates; the few items about to be
shown are checked live, so an item that sold out since the snapshot is never recommended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlmodel import Session, col

from tools.inventory import StockLevel, StockThresholds, available_by_sku, classify_stock
from tools.inventory.clock import as_utc
from tools.inventory.signal import NOT_SOLD
from tools.store import Hold, InventoryLevel, Order, OrderLine

LEVELS = (StockLevel.NORMAL, StockLevel.OUT, StockLevel.LOW, StockLevel.OVERSTOCK)


@dataclass(frozen=True)
class StockLevels:
    """Stock level by sku at one moment; skus not listed count as `default`."""

    levels: Mapping[str, StockLevel] = field(default_factory=dict)
    available: Mapping[str, int] = field(default_factory=dict)
    default: StockLevel = StockLevel.NORMAL
    taken_at: datetime | None = None
    _codes: dict[int, tuple[Sequence[str], npt.NDArray[np.int8]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def level(self, sku: str) -> StockLevel:
        """The sku's stock level."""
        return self.levels.get(sku, self.default)

    def codes(self, skus: Sequence[str]) -> npt.NDArray[np.int8]:
        """Level codes (index in `LEVELS`) for these skus in order; computed once per list."""
        key = id(skus)
        found = self._codes.get(key)
        if found is None or found[0] is not skus:
            default = LEVELS.index(self.default)
            codes = np.full(len(skus), default, dtype=np.int8)
            where = {sku: i for i, sku in enumerate(skus)} if self.levels else {}
            for sku, level in self.levels.items():
                if (at := where.get(sku)) is not None:
                    codes[at] = LEVELS.index(level)
            found = (skus, codes)
            self._codes[key] = found
        return found[1]

    @cached_property
    def out(self) -> frozenset[str]:
        """The skus out of stock (when the default is not out)."""
        return frozenset(s for s, level in self.levels.items() if level is StockLevel.OUT)


def _available(session: Session, now: datetime) -> dict[str, int]:
    held = (
        select(col(Hold.sku), col(Hold.location_id), func.sum(col(Hold.quantity)).label("units"))
        .where(col(Hold.released).is_(False), col(Hold.expires_at) > now)
        .group_by(col(Hold.sku), col(Hold.location_id))
        .subquery()
    )
    free = col(InventoryLevel.on_hand) - col(InventoryLevel.reserved)
    query = select(col(InventoryLevel.sku), free - func.coalesce(held.c.units, 0)).outerjoin(
        held,
        (held.c.sku == col(InventoryLevel.sku))
        & (held.c.location_id == col(InventoryLevel.location_id)),
    )
    totals: dict[str, int] = {}
    for sku, units in session.connection().execute(query):
        totals[sku] = totals.get(sku, 0) + max(0, int(units))
    return totals


def _sold(session: Session, now: datetime, days: int) -> dict[str, int]:
    query = (
        select(col(OrderLine.sku), func.sum(col(OrderLine.quantity)))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.created_at) >= now - timedelta(days=days), col(Order.created_at) <= now)
        .where(col(Order.status).not_in(NOT_SOLD))
        .group_by(col(OrderLine.sku))
    )
    return {str(sku): int(units) for sku, units in session.connection().execute(query)}


def load_stock_levels(
    session: Session,
    *,
    skus: Iterable[str],
    now: datetime,
    thresholds: StockThresholds = StockThresholds(),
) -> StockLevels:
    """Every sku's stock level now (skus without inventory rows are out of stock)."""
    now = as_utc(now)
    available = _available(session, now)
    sold = _sold(session, now, thresholds.sales_window_days)
    levels: dict[str, StockLevel] = {}
    units: dict[str, int] = {}
    for sku in skus:
        free = available.get(sku, 0)
        pace = sold.get(sku, 0) / thresholds.sales_window_days
        level = classify_stock(available=free, daily_sales=pace, thresholds=thresholds)
        if level is not StockLevel.NORMAL:
            levels[sku] = level
            units[sku] = free
    return StockLevels(levels=levels, available=units, taken_at=now)


def in_stock_now(session: Session, *, skus: list[str], now: datetime) -> set[str]:
    """Which of the skus have at least one unit available right now."""
    found = available_by_sku(session, skus=skus, now=now)
    return {sku for sku, units in found.items() if units > 0}

"""A stock signal a ranker can use: out, low, normal or overstock, from units and sales pace.

Thresholds (StockThresholds defaults):
- out: no unit available anywhere;
- low: at most 5 units, or under 7 days of cover at the recent sales pace;
- overstock: over 120 days of cover, or 250+ units of an item that did not sell in the window;
- normal: anything else.
Days of cover = available units / average units sold per day over the last 28 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from tools.exceptions import InputError
from tools.inventory.availability import available_by_sku
from tools.inventory.clock import as_utc
from tools.inventory.exceptions import UnknownSkuError
from tools.store import Order, OrderLine, Product
from tools.store.vocab import OrderStatus

MAX_SKUS = 1000
NOT_SOLD = (OrderStatus.CANCELLED.value, OrderStatus.RETURNED.value)


class StockLevel(StrEnum):
    """How well stocked an item is."""

    OUT = "out"
    LOW = "low"
    NORMAL = "normal"
    OVERSTOCK = "overstock"


@dataclass(frozen=True)
class StockThresholds:
    """Where the stock levels begin; see the module docstring."""

    low_units: int = 5
    low_cover_days: float = 7.0
    overstock_cover_days: float = 120.0
    overstock_units_unsold: int = 250
    sales_window_days: int = 28


class StockSignal(BaseModel):
    """The stock level of one sku and the figures behind it."""

    sku: str
    level: StockLevel
    available: int = Field(description="Units available over all locations")
    daily_sales: float = Field(description="Average units sold per day in the sales window")
    days_of_cover: float | None = Field(description="available / daily_sales; None without sales")


def classify_stock(
    *, available: int, daily_sales: float, thresholds: StockThresholds = StockThresholds()
) -> StockLevel:
    """The stock level for a number of available units at a sales pace."""
    if available <= 0:
        return StockLevel.OUT
    cover = available / daily_sales if daily_sales > 0 else None
    if available <= thresholds.low_units or (
        cover is not None and cover < thresholds.low_cover_days
    ):
        return StockLevel.LOW
    if cover is not None and cover > thresholds.overstock_cover_days:
        return StockLevel.OVERSTOCK
    if cover is None and available >= thresholds.overstock_units_unsold:
        return StockLevel.OVERSTOCK
    return StockLevel.NORMAL


def daily_sales(
    session: Session, *, skus: list[str], now: datetime, window_days: int
) -> dict[str, float]:
    """Average units sold per day of each sku over the window ending at `now`."""
    since = as_utc(now) - timedelta(days=window_days)
    query = (
        select(OrderLine.sku, func.sum(OrderLine.quantity))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(OrderLine.sku).in_(skus))
        .where(col(Order.created_at) >= since, col(Order.created_at) <= as_utc(now))
        .where(col(Order.status).not_in(NOT_SOLD))
        .group_by(col(OrderLine.sku))
    )
    sold = {sku: int(units) for sku, units in session.exec(query)}
    return {sku: sold.get(sku, 0) / window_days for sku in skus}


def stock_signals(
    session: Session,
    *,
    skus: list[str],
    now: datetime,
    thresholds: StockThresholds = StockThresholds(),
) -> list[StockSignal]:
    """The stock signal of each sku, in the order given; unknown skus are refused."""
    if not 1 <= len(skus) <= MAX_SKUS:
        raise InputError(f"give between 1 and {MAX_SKUS} skus", field="skus")
    unique = list(dict.fromkeys(skus))
    known = set(session.exec(select(Product.sku).where(col(Product.sku).in_(unique))))
    for sku in unique:
        if sku not in known:
            raise UnknownSkuError(sku)
    available = available_by_sku(session, skus=unique, now=now)
    pace = daily_sales(session, skus=unique, now=now, window_days=thresholds.sales_window_days)
    return [_signal(sku, available[sku], pace[sku], thresholds) for sku in skus]


def _signal(sku: str, available: int, pace: float, thresholds: StockThresholds) -> StockSignal:
    return StockSignal(
        sku=sku,
        level=classify_stock(available=available, daily_sales=pace, thresholds=thresholds),
        available=available,
        daily_sales=round(pace, 4),
        days_of_cover=round(available / pace, 2) if pace > 0 else None,
    )

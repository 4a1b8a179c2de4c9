"""Measurements the rules compare against thresholds: floors, discount depths, local hours.

Kept in one place so that rule conditions and the modifications that repair an action agree.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from policies.context import ProductFacts
from policies.params import PricingParams, QuietHours


def price_floor_cents(product: ProductFacts, params: PricingParams) -> int | None:
    """max(unit cost * (1 + floor margin), MAP), from what is known; None if neither is."""
    parts: list[int] = []
    if product.unit_cost_cents is not None:
        parts.append(math.ceil(round(product.unit_cost_cents * (1 + params.floor_margin), 6)))
    if product.map_cents is not None:
        parts.append(product.map_cents)
    return max(parts) if parts else None


def max_discount_pct(category: str, params: PricingParams) -> float:
    """The deepest discount allowed in a category: its longest matching path prefix, else '*'."""
    best, best_len = params.max_discount_pct["*"], -1
    for prefix, pct in params.max_discount_pct.items():
        if prefix != "*" and _under(category, prefix) and len(prefix) > best_len:
            best, best_len = pct, len(prefix)
    return best


def _under(category: str, prefix: str) -> bool:
    return category == prefix or category.startswith(prefix + "/")


def discount_pct(list_cents: int, price_cents: int) -> float:
    """How far below the list price a price is, in percent (0 when at or above it)."""
    if list_cents <= 0 or price_cents >= list_cents:
        return 0.0
    return round((list_cents - price_cents) * 100 / list_cents, 6)


def min_price_for_depth(list_cents: int, max_pct: float) -> int:
    """The lowest price whose discount is not deeper than `max_pct`."""
    return math.ceil(round(list_cents * (100 - max_pct) / 100, 6))


def change_pct(old_cents: int, new_cents: int) -> float:
    """Relative change of a price in percent; from zero any change counts as 100%."""
    if old_cents == 0:
        return 0.0 if new_cents == 0 else 100.0
    return round((new_cents - old_cents) * 100 / old_cents, 6)


def local_hour(instant: datetime, timezone: str) -> float:
    """The wall-clock hour (with fraction) of an instant in a timezone."""
    local = instant.astimezone(ZoneInfo(timezone))
    return local.hour + local.minute / 60 + local.second / 3600


def next_window_start(instant: datetime, timezone: str, window: QuietHours) -> datetime:
    """The instant itself if inside the local send window, else the window's next opening."""
    zone = ZoneInfo(timezone)
    local = instant.astimezone(zone)
    hour = local.hour + local.minute / 60 + local.second / 3600
    if window.start_hour <= hour < window.end_hour:
        return instant
    day = local.date() if hour < window.start_hour else local.date() + timedelta(days=1)
    opening = datetime(day.year, day.month, day.day, window.start_hour, tzinfo=zone)
    return opening.astimezone(instant.tzinfo)

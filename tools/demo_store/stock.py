"""The demo store's locations and the stock of each sku at each of them.

Every sku has a row at the warehouse; each store carries a share of the catalog. A sku's
stock follows one of four states: out of stock everywhere, low (at most LOW_STOCK_MAX units
per location), overstocked (at least OVERSTOCK_MIN units at the warehouse), or normal.
"""

from __future__ import annotations

import random
from typing import Any

from tools.store.vocab import LocationKind

LOW_STOCK_MAX = 3
OVERSTOCK_MIN = 300
NORMAL_WAREHOUSE_MAX = 250
STORE_CARRY_SHARE = 0.6
STOCK_STATES: tuple[tuple[str, float], ...] = (
    ("out_of_stock", 0.07),
    ("low", 0.10),
    ("overstock", 0.06),
    ("normal", 0.77),
)

LOCATIONS: tuple[dict[str, Any], ...] = (
    {
        "id": "store-sf",
        "name": "Union Square Store",
        "kind": LocationKind.STORE.value,
        "same_day_pickup": True,
        "timezone": "America/Los_Angeles",
        "postal_code": "94108",
        "latitude": 37.78797,
        "longitude": -122.40744,
        "open_hour": 10,
        "close_hour": 21,
    },
    {
        "id": "store-den",
        "name": "Cherry Creek Store",
        "kind": LocationKind.STORE.value,
        "same_day_pickup": False,
        "timezone": "America/Denver",
        "postal_code": "80206",
        "latitude": 39.71697,
        "longitude": -104.95305,
        "open_hour": 10,
        "close_hour": 20,
    },
    {
        "id": "store-nyc",
        "name": "Flatiron Store",
        "kind": LocationKind.STORE.value,
        "same_day_pickup": True,
        "timezone": "America/New_York",
        "postal_code": "10010",
        "latitude": 40.74106,
        "longitude": -73.98966,
        "open_hour": 9,
        "close_hour": 22,
    },
    {
        "id": "wh-memphis",
        "name": "Memphis Distribution Center",
        "kind": LocationKind.WAREHOUSE.value,
        "same_day_pickup": False,
        "timezone": "America/Chicago",
        "postal_code": "38118",
        "latitude": 35.04562,
        "longitude": -89.97727,
        "open_hour": 0,
        "close_hour": 24,
    },
)
WAREHOUSE_ID = "wh-memphis"
STORES: tuple[dict[str, Any], ...] = tuple(
    loc for loc in LOCATIONS if loc["kind"] == LocationKind.STORE.value
)


def location_rows() -> list[dict[str, Any]]:
    """Rows for the locations table."""
    return [dict(loc) for loc in LOCATIONS]


def _draw_state(rng: random.Random) -> str:
    roll = rng.random()
    for state, share in STOCK_STATES:
        if roll < share:
            return state
        roll -= share
    return "normal"


def _units(rng: random.Random, state: str, *, warehouse: bool) -> int:
    if state == "out_of_stock":
        return 0
    if state == "low":
        return rng.randint(0, LOW_STOCK_MAX) if warehouse else rng.randint(0, 2)
    if state == "overstock":
        return rng.randint(OVERSTOCK_MIN, 1_500) if warehouse else rng.randint(40, 150)
    if warehouse:
        return rng.randint(12, NORMAL_WAREHOUSE_MAX)
    return 0 if rng.random() < 0.08 else rng.randint(2, 30)


def draw_stock(
    rng: random.Random, *, sku: str, is_new: bool, state: str | None = None
) -> list[dict[str, Any]]:
    """Inventory rows of one sku: the warehouse, and the stores that carry it.

    A given `state` is kept and every store carries the sku (showcase products).
    """
    carry = 0.9 if is_new else STORE_CARRY_SHARE
    if state is not None:
        carry = 1.0
    elif is_new and rng.random() < 0.7:
        state = "normal"
    else:
        state = _draw_state(rng)
    rows = [
        {
            "sku": sku,
            "location_id": WAREHOUSE_ID,
            "on_hand": _units(rng, state, warehouse=True),
            "reserved": 0,
        }
    ]
    for store in STORES:
        if rng.random() >= carry:
            continue
        on_hand = _units(rng, state, warehouse=False)
        reserved = 0
        if store["same_day_pickup"] and on_hand > 0 and rng.random() < 0.15:
            reserved = rng.randint(1, min(3, on_hand))
        rows.append(
            {"sku": sku, "location_id": store["id"], "on_hand": on_hand, "reserved": reserved}
        )
    return rows

"""Where each product can be had now: available stock per location, refreshed from the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from tools.exceptions import InputError
from tools.search.postings import Mask, Rows
from tools.store import InventoryLevel, Location


@dataclass(frozen=True)
class StockView:
    """Rows with available units (on hand minus reserved) at each location."""

    size: int
    by_location: dict[str, Rows]
    same_day_locations: frozenset[str]
    same_day: Mask

    def available_at(self, location_id: str) -> Mask:
        """A mask of the rows in stock at one location."""
        rows = self.by_location.get(location_id)
        if rows is None:
            raise InputError(f"unknown location {location_id!r}", field="in_stock_at")
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[rows] = True
        return mask

    def pickup_today(self, location_id: str | None) -> Mask:
        """Rows that can be picked up today: at `location_id`, or at any same-day location."""
        if location_id is None:
            return self.same_day
        if location_id not in self.same_day_locations:
            self.available_at(location_id)  # an unknown id is an input error, not "nothing"
            return np.zeros(self.size, dtype=np.bool_)
        return self.available_at(location_id)


def build_stock(
    *,
    row_of: Mapping[str, int],
    available: list[tuple[str, str]],
    locations: Mapping[str, bool],
) -> StockView:
    """A stock view from (sku, location id) pairs with stock and {location id: same-day pickup}."""
    size = len(row_of)
    grouped: dict[str, list[int]] = {location: [] for location in locations}
    for sku, location in available:
        row = row_of.get(sku)
        if row is not None and location in grouped:
            grouped[location].append(row)
    by_location = {
        location: np.unique(np.array(rows, dtype=np.int32)) for location, rows in grouped.items()
    }
    same_day_locations = frozenset(loc for loc, same_day in locations.items() if same_day)
    same_day = np.zeros(size, dtype=np.bool_)
    for location in same_day_locations:
        same_day[by_location[location]] = True
    return StockView(
        size=size,
        by_location=by_location,
        same_day_locations=same_day_locations,
        same_day=same_day,
    )


def read_stock(engine: Engine, *, row_of: Mapping[str, int]) -> StockView:
    """The current stock view of the store for the catalog rows in `row_of`."""
    inventory = SQLModel.metadata.tables[InventoryLevel.__tablename__]
    location = SQLModel.metadata.tables[Location.__tablename__]
    with engine.connect() as conn:
        locations = {
            str(loc_id): bool(same_day)
            for loc_id, same_day in conn.execute(select(location.c.id, location.c.same_day_pickup))
        }
        available = [
            (str(sku), str(loc_id))
            for sku, loc_id in conn.execute(
                select(inventory.c.sku, inventory.c.location_id).where(
                    inventory.c.on_hand > inventory.c.reserved
                )
            )
        ]
    return build_stock(row_of=row_of, available=available, locations=locations)

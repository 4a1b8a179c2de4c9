"""Fulfilment vocabulary: where the goods go, the rules that time them, and the options offered."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field


class FulfilmentKind(StrEnum):
    """How a shopper gets an item."""

    SHIP = "ship"
    PICKUP = "pickup"
    SAME_DAY_PICKUP = "same_day_pickup"


@dataclass(frozen=True)
class FulfilmentPolicy:
    """How shipping and pickup are timed. Hours are local to the location concerned."""

    warehouse_processing_days: int = 1
    store_processing_days: int = 2
    ship_cutoff_hour: int = 14
    ship_from_stores: bool = True
    km_per_transit_day: float = 800.0
    min_transit_days: int = 1
    unknown_distance_transit_days: int = 5
    delivery_by_hour: int = 20
    pickup_prep: timedelta = timedelta(hours=2)
    close_buffer: timedelta = timedelta(hours=1)
    same_day_cutoff_hour: int = 16
    pickup_days: int = 1
    max_pickup_km: float = 80.0
    max_pickup_options: int = 3

    def transit_days(self, distance_km: float | None) -> int:
        """Calendar days in transit for a distance (unknown distance: a conservative default)."""
        if distance_km is None:
            return self.unknown_distance_transit_days
        return max(self.min_transit_days, math.ceil(distance_km / self.km_per_transit_day))


class Destination(BaseModel):
    """Where the shopper is: coordinates if known, and their IANA timezone."""

    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    timezone: str = "UTC"

    @property
    def located(self) -> bool:
        """Whether the coordinates are known."""
        return self.latitude is not None and self.longitude is not None


class FulfilmentOption(BaseModel):
    """One way to get the item, with when it will be ready or delivered."""

    kind: FulfilmentKind
    location_id: str = Field(description="Store for pickup, shipping location for ship")
    location_name: str
    available: int = Field(description="Units available at that location")
    distance_km: float | None = Field(description="From the shopper; None if unknown")
    ready_at: datetime = Field(description="Ready for pickup / delivered by (UTC)")
    ready_at_local: datetime = Field(description="ready_at in the store's (pickup) or shopper's tz")
    ready_at_shopper: datetime = Field(description="ready_at in the shopper's timezone")
    days: int = Field(description="Calendar days from today in the shopper's timezone")
    detail: str


class FulfilmentPlan(BaseModel):
    """Every fulfilment option for a sku and shopper, soonest first."""

    sku: str
    quantity: int
    at: datetime
    options: list[FulfilmentOption]

"""Shipping: an ETA from the shipping location's cut-off and processing days plus distance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tools.inventory.clock import at_local, local_date, zone
from tools.inventory.geo import haversine_km
from tools.inventory.options import Destination, FulfilmentKind, FulfilmentOption, FulfilmentPolicy
from tools.store import Location
from tools.store.vocab import LocationKind


def next_business_day(day: date) -> date:
    """The next Monday to Friday after a day."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """A day moved forward by a number of business days."""
    for _ in range(count):
        day = next_business_day(day)
    return day


def distance_to(location: Location, destination: Destination) -> float | None:
    """Kilometres from a location to the shopper, or None when the shopper is not located."""
    if destination.latitude is None or destination.longitude is None:
        return None
    return haversine_km(
        location.latitude, location.longitude, destination.latitude, destination.longitude
    )


def ship_day(origin: Location, *, now: datetime, policy: FulfilmentPolicy) -> date:
    """The local date the parcel leaves the origin: processing starts today if before the
    cut-off on a business day, else the next business day."""
    local = now.astimezone(zone(origin.timezone, field=f"locations[{origin.id}].timezone"))
    start = local.date()
    if local.hour >= policy.ship_cutoff_hour or start.weekday() >= 5:
        start = next_business_day(start)
    processing = (
        policy.store_processing_days
        if origin.kind == LocationKind.STORE
        else policy.warehouse_processing_days
    )
    return add_business_days(start, processing)


def ship_option(
    origin: Location,
    *,
    available: int,
    destination: Destination,
    shopper_tz: ZoneInfo,
    now: datetime,
    policy: FulfilmentPolicy,
) -> FulfilmentOption:
    """Shipping from one location, delivered by `delivery_by_hour` in the shopper's timezone."""
    leaves = ship_day(origin, now=now, policy=policy)
    distance = distance_to(origin, destination)
    transit = policy.transit_days(distance)
    arrives = leaves + timedelta(days=transit)
    ready = at_local(arrives, policy.delivery_by_hour, shopper_tz)
    return FulfilmentOption(
        kind=FulfilmentKind.SHIP,
        location_id=origin.id,
        location_name=origin.name,
        available=available,
        distance_km=None if distance is None else round(distance, 1),
        ready_at=ready,
        ready_at_local=ready.astimezone(shopper_tz),
        ready_at_shopper=ready.astimezone(shopper_tz),
        days=(arrives - local_date(now, shopper_tz)).days,
        detail=f"leaves {origin.name} on {leaves.isoformat()}, {transit} day(s) in transit",
    )

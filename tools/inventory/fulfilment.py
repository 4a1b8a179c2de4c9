"""Fulfilment options for a sku and a shopper: shipping and store pickup, soonest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from tools.exceptions import InputError
from tools.inventory.availability import availability
from tools.inventory.clock import as_utc, zone
from tools.inventory.options import Destination, FulfilmentOption, FulfilmentPlan, FulfilmentPolicy
from tools.inventory.pickup import pickup_option
from tools.inventory.shipping import ship_option
from tools.store import Location, Shopper
from tools.store.vocab import LocationKind

KIND_ORDER = {"same_day_pickup": 0, "pickup": 1, "ship": 2}


def destination_of(shopper: Shopper) -> Destination:
    """Where a known shopper is, from their profile."""
    return Destination(
        latitude=shopper.latitude, longitude=shopper.longitude, timezone=shopper.timezone
    )


def destination_for(session: Session, shopper_id: str) -> Destination:
    """Where a known shopper is, by id."""
    shopper = session.get(Shopper, shopper_id)
    if shopper is None:
        raise InputError(f"unknown shopper {shopper_id!r}", field="shopper_id")
    return destination_of(shopper)


def fulfilment_options(
    session: Session,
    *,
    sku: str,
    destination: Destination,
    now: datetime,
    quantity: int = 1,
    policy: FulfilmentPolicy = FulfilmentPolicy(),
) -> FulfilmentPlan:
    """Ship (from the location that delivers soonest) and pickup options for `quantity` units."""
    if quantity < 1:
        raise InputError("must be at least 1", field="quantity")
    now = as_utc(now)
    shopper_tz = zone(destination.timezone)
    stock = availability(session, sku=sku, now=now)
    enough = {s.location_id: s.available for s in stock.locations if s.available >= quantity}
    locations = session.exec(select(Location).where(col(Location.id).in_(list(enough)))).all()
    options = _pickups(locations, enough, destination, shopper_tz, now, policy)
    ship = _best_ship(locations, enough, destination, shopper_tz, now, policy)
    if ship is not None:
        options.append(ship)
    options.sort(key=_order)
    return FulfilmentPlan(sku=sku, quantity=quantity, at=now, options=options)


def _order(option: FulfilmentOption) -> tuple[datetime, int, float, str]:
    distance = option.distance_km if option.distance_km is not None else float("inf")
    return option.ready_at, KIND_ORDER[option.kind.value], distance, option.location_id


def _pickups(
    locations: Sequence[Location],
    enough: dict[str, int],
    destination: Destination,
    shopper_tz: ZoneInfo,
    now: datetime,
    policy: FulfilmentPolicy,
) -> list[FulfilmentOption]:
    found = [
        pickup_option(
            store,
            available=enough[store.id],
            destination=destination,
            shopper_tz=shopper_tz,
            now=now,
            policy=policy,
        )
        for store in locations
        if store.kind == LocationKind.STORE
    ]
    options = sorted((o for o in found if o is not None), key=_order)
    return options[: policy.max_pickup_options]


def _best_ship(
    locations: Sequence[Location],
    enough: dict[str, int],
    destination: Destination,
    shopper_tz: ZoneInfo,
    now: datetime,
    policy: FulfilmentPolicy,
) -> FulfilmentOption | None:
    origins = [
        loc for loc in locations if loc.kind == LocationKind.WAREHOUSE or policy.ship_from_stores
    ]
    stores = {loc.id for loc in origins if loc.kind == LocationKind.STORE}
    options = [
        ship_option(
            origin,
            available=enough[origin.id],
            destination=destination,
            shopper_tz=shopper_tz,
            now=now,
            policy=policy,
        )
        for origin in origins
    ]
    # Same delivery time: a warehouse ships before a store, then the nearer one.
    options.sort(key=lambda o: (o.ready_at, o.location_id in stores, _order(o)))
    return options[0] if options else None

"""Available units per location: on hand, less reserved, less active (unexpired) holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ScalarSelect, bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from tools.inventory.clock import as_utc
from tools.inventory.exceptions import UnknownSkuError
from tools.store import Hold, InventoryLevel, Location, Product


class LocationStock(BaseModel):
    """Stock of one sku at one location."""

    location_id: str
    location_name: str
    kind: str = Field(description="store or warehouse")
    on_hand: int
    reserved: int
    held: int = Field(description="Units under active holds")
    available: int = Field(description="on_hand - reserved - held, never below zero")


class Availability(BaseModel):
    """Stock of one sku at every location that carries it."""

    sku: str
    at: datetime = Field(description="When it was computed (UTC)")
    total_available: int
    locations: list[LocationStock]


def active_holds(
    session: Session, *, skus: Iterable[str], now: datetime, location_id: str | None = None
) -> dict[tuple[str, str], int]:
    """Units under unreleased, unexpired holds by (sku, location_id)."""
    query = (
        select(Hold.sku, Hold.location_id, func.sum(Hold.quantity))
        .where(col(Hold.sku).in_(list(skus)))
        .where(col(Hold.released).is_(False))
        .where(col(Hold.expires_at) > as_utc(now))
        .group_by(col(Hold.sku), col(Hold.location_id))
    )
    if location_id is not None:
        query = query.where(Hold.location_id == location_id)
    return {(sku, loc): int(units) for sku, loc, units in session.exec(query)}


def _held_units() -> ScalarSelect[int]:
    """Units under active holds at `:now` for the inventory row of the enclosing query."""
    return (
        sa_select(func.coalesce(func.sum(col(Hold.quantity)), 0))
        .where(col(Hold.sku) == col(InventoryLevel.sku))
        .where(col(Hold.location_id) == col(InventoryLevel.location_id))
        .where(col(Hold.released).is_(False), col(Hold.expires_at) > bindparam("now"))
        .correlate(InventoryLevel)
        .scalar_subquery()
    )


# Built once: statement construction costs more than running these indexed lookups.
_BY_LOCATION = (
    sa_select(
        col(Location.id),
        col(Location.name),
        col(Location.kind),
        col(InventoryLevel.on_hand),
        col(InventoryLevel.reserved),
        _held_units(),
    )
    .join(Location, col(Location.id) == col(InventoryLevel.location_id))
    .where(col(InventoryLevel.sku) == bindparam("sku"))
)
_FREE = sa_select(
    col(InventoryLevel.sku),
    col(InventoryLevel.on_hand) - col(InventoryLevel.reserved) - _held_units(),
).where(col(InventoryLevel.sku).in_(bindparam("skus", expanding=True)))
_AT_LOCATION = col(InventoryLevel.location_id) == bindparam("location_id")
STATEMENTS = {
    ("by_location", False): _BY_LOCATION,
    ("by_location", True): _BY_LOCATION.where(_AT_LOCATION),
    ("free", False): _FREE,
    ("free", True): _FREE.where(_AT_LOCATION),
}


def availability(
    session: Session, *, sku: str, now: datetime, location_id: str | None = None
) -> Availability:
    """Units of a sku available at each location (or at one), best stocked first."""
    query = STATEMENTS["by_location", location_id is not None]
    params = {"sku": sku, "now": as_utc(now), "location_id": location_id}
    rows: list[Any] = list(session.connection().execute(query, params))
    if not rows and session.get(Product, sku) is None:
        raise UnknownSkuError(sku)
    stocks = [_stock(*row) for row in rows]
    stocks.sort(key=lambda s: (-s.available, s.location_id))
    total = sum(s.available for s in stocks)
    return Availability(sku=sku, at=as_utc(now), total_available=total, locations=stocks)


def available_by_sku(
    session: Session, *, skus: list[str], now: datetime, location_id: str | None = None
) -> dict[str, int]:
    """Total available units of each sku (at one location, or summed over all); unknown → 0."""
    if not skus:
        return {}
    query = STATEMENTS["free", location_id is not None]
    params = {"skus": skus, "now": as_utc(now), "location_id": location_id}
    totals = dict.fromkeys(skus, 0)
    for sku, free in session.connection().execute(query, params):
        totals[str(sku)] += max(0, int(free))
    return totals


def _stock(
    location_id: str, name: str, kind: str, on_hand: int, reserved: int, held: int
) -> LocationStock:
    return LocationStock(
        location_id=location_id,
        location_name=name,
        kind=kind,
        on_hand=on_hand,
        reserved=reserved,
        held=held,
        available=max(0, on_hand - reserved - held),
    )

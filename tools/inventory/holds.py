"""Short-lived holds (reserve for pickup): plan without writing, apply exactly once."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tools.exceptions import InputError
from tools.inventory.availability import active_holds
from tools.inventory.clock import as_utc
from tools.inventory.exceptions import InsufficientStockError, UnknownLocationError, UnknownSkuError
from tools.store import Hold, InventoryLevel, Location, Product, Shopper
from tools.store.vocab import LocationKind

DEFAULT_TTL = timedelta(hours=2)
MAX_TTL = timedelta(hours=72)


class HoldProposal(BaseModel):
    """A hold to place: what, where, for whom and for how long. Nothing is written yet."""

    idempotency_key: str = Field(min_length=1, max_length=200)
    sku: str
    location_id: str
    quantity: int = Field(gt=0)
    shopper_id: str | None = None
    ttl_seconds: int = Field(gt=0, le=int(MAX_TTL.total_seconds()))
    available: int = Field(description="Units available at the location when planned")
    planned_at: datetime


def hold_key(
    *, sku: str, location_id: str, quantity: int, shopper_id: str | None, now: datetime
) -> str:
    """A deterministic idempotency key for a hold planned at `now`."""
    raw = "|".join([sku, location_id, str(quantity), shopper_id or "", as_utc(now).isoformat()])
    return "hold:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def available_at(
    session: Session, *, sku: str, location_id: str, now: datetime, lock: bool = False
) -> int:
    """Units of a sku available at one location now; `lock` holds the stock row (PostgreSQL)
    until the transaction ends, so concurrent holds cannot both take the last units."""
    query = select(InventoryLevel).where(
        InventoryLevel.sku == sku, InventoryLevel.location_id == location_id
    )
    if lock:
        query = query.with_for_update()
    level = session.exec(query).first()
    if level is None:
        return 0
    held = active_holds(session, skus=[sku], now=now, location_id=location_id)
    return max(0, level.on_hand - level.reserved - held.get((sku, location_id), 0))


def plan_hold(
    session: Session,
    *,
    sku: str,
    location_id: str,
    quantity: int,
    now: datetime,
    shopper_id: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
    idempotency_key: str | None = None,
) -> HoldProposal:
    """Propose holding `quantity` units at a store for a while; refused if not enough are free."""
    _validate(session, sku=sku, location_id=location_id, quantity=quantity, shopper_id=shopper_id)
    if not timedelta(0) < ttl <= MAX_TTL:
        raise InputError(f"must be more than 0 and at most {MAX_TTL}", field="ttl")
    now = as_utc(now)
    available = available_at(session, sku=sku, location_id=location_id, now=now)
    if available < quantity:
        raise InsufficientStockError(sku, location_id, requested=quantity, available=available)
    key = idempotency_key or hold_key(
        sku=sku, location_id=location_id, quantity=quantity, shopper_id=shopper_id, now=now
    )
    return HoldProposal(
        idempotency_key=key,
        sku=sku,
        location_id=location_id,
        quantity=quantity,
        shopper_id=shopper_id,
        ttl_seconds=int(ttl.total_seconds()),
        available=available,
        planned_at=now,
    )


def apply_hold(session: Session, proposal: HoldProposal, now: datetime) -> Hold:
    """Place the hold in the caller's transaction, once per key: a repeat returns the first hold.

    Expiry runs from `now`. Refused if fewer units are free than the proposal holds.
    """
    existing = find_hold(session, idempotency_key=proposal.idempotency_key)
    if existing is not None:
        return existing
    now = as_utc(now)
    free = available_at(
        session, sku=proposal.sku, location_id=proposal.location_id, now=now, lock=True
    )
    if free < proposal.quantity:
        raise InsufficientStockError(
            proposal.sku, proposal.location_id, requested=proposal.quantity, available=free
        )
    hold = Hold(
        id="H-" + hashlib.sha256(proposal.idempotency_key.encode()).hexdigest()[:24],
        idempotency_key=proposal.idempotency_key,
        sku=proposal.sku,
        location_id=proposal.location_id,
        quantity=proposal.quantity,
        shopper_id=proposal.shopper_id,
        created_at=now,
        expires_at=now + timedelta(seconds=proposal.ttl_seconds),
    )
    try:
        with session.begin_nested():
            session.add(hold)
    except IntegrityError:
        concurrent = find_hold(session, idempotency_key=proposal.idempotency_key)
        if concurrent is None:
            raise
        return concurrent
    return hold


def release_hold(session: Session, *, idempotency_key: str) -> Hold | None:
    """Release a hold early (in the caller's transaction); None if there is no such hold."""
    hold = find_hold(session, idempotency_key=idempotency_key)
    if hold is not None and not hold.released:
        hold.released = True
        session.add(hold)
        session.flush()
    return hold


def find_hold(session: Session, *, idempotency_key: str) -> Hold | None:
    """The hold placed under a key, if any."""
    return session.exec(select(Hold).where(Hold.idempotency_key == idempotency_key)).first()


def _validate(
    session: Session, *, sku: str, location_id: str, quantity: int, shopper_id: str | None
) -> None:
    if quantity < 1:
        raise InputError("must be at least 1", field="quantity")
    if session.get(Product, sku) is None:
        raise UnknownSkuError(sku)
    location = session.get(Location, location_id)
    if location is None:
        raise UnknownLocationError(location_id)
    if location.kind != LocationKind.STORE:
        raise InputError(
            f"{location_id!r} is not a store; holds are for pickup", field="location_id"
        )
    if shopper_id is not None and session.get(Shopper, shopper_id) is None:
        raise InputError(f"unknown shopper {shopper_id!r}", field="shopper_id")

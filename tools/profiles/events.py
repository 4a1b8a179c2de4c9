"""What a shopper did, as the profile and recommendation engines read it from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from tools.store import Event
from tools.store.vocab import EventKind


@dataclass(frozen=True, slots=True)
class ShopperEvent:
    """One interaction: who, in which session, what kind, on which sku, when and how."""

    shopper_id: str | None
    session_id: str
    kind: str
    sku: str | None
    occurred_at: datetime
    quantity: int = 1
    price_cents: int | None = None
    channel: str = "web"
    device: str = "unknown"
    query: str | None = None


@dataclass(frozen=True)
class EventWeights:
    """How much each kind of event says about interest (negative: less interest)."""

    view: float = 1.0
    cart_add: float = 3.0
    cart_remove: float = -1.0
    purchase: float = 5.0
    returned: float = -4.0
    _table: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = {
            EventKind.VIEW.value: self.view,
            EventKind.CART_ADD.value: self.cart_add,
            EventKind.CART_REMOVE.value: self.cart_remove,
            EventKind.PURCHASE.value: self.purchase,
            EventKind.RETURN.value: self.returned,
        }
        object.__setattr__(self, "_table", table)

    def of(self, kind: str) -> float:
        """The weight of an event kind; 0 for kinds without an item (search)."""
        return self._table.get(kind, 0.0)


_COLUMNS = (
    col(Event.shopper_id),
    col(Event.session_id),
    col(Event.kind),
    col(Event.sku),
    col(Event.occurred_at),
    col(Event.quantity),
    col(Event.price_cents),
    col(Event.channel),
    col(Event.device),
    col(Event.query),
)


def _event(row: Sequence[object]) -> ShopperEvent:
    return ShopperEvent(*row)  # type: ignore[arg-type]


_BY_SHOPPER = (
    select(*_COLUMNS)
    .where(col(Event.shopper_id) == bindparam("shopper_id"))
    .order_by(col(Event.occurred_at).desc(), col(Event.id).desc())
    .limit(bindparam("limit"))
)
_BY_SESSION = (
    select(*_COLUMNS)
    .where(col(Event.session_id) == bindparam("session_id"))
    .order_by(col(Event.occurred_at), col(Event.id))
    .limit(bindparam("limit"))
)


def shopper_events(
    session: Session, *, shopper_id: str, before: datetime | None = None, limit: int = 500
) -> list[ShopperEvent]:
    """A shopper's latest `limit` events (before a time, if given), oldest first."""
    query = _BY_SHOPPER
    if before is not None:
        query = query.where(col(Event.occurred_at) < before)
    params = {"shopper_id": shopper_id, "limit": limit}
    rows = list(session.connection().execute(query, params))
    return [_event(row) for row in reversed(rows)]


def session_events(session: Session, *, session_id: str, limit: int = 500) -> list[ShopperEvent]:
    """The events of one browsing session, oldest first."""
    params = {"session_id": session_id, "limit": limit}
    return [_event(row) for row in session.connection().execute(_BY_SESSION, params)]


def all_events(session: Session, *, before: datetime | None = None) -> list[ShopperEvent]:
    """Every event of the store (before a time, if given) in time order."""
    query = select(*_COLUMNS)
    if before is not None:
        query = query.where(col(Event.occurred_at) < before)
    query = query.order_by(col(Event.occurred_at), col(Event.id))
    return [_event(row) for row in session.connection().execute(query)]

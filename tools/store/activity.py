"""What shoppers did: events, and the orders they placed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime, one_of
from tools.store.vocab import Device, EventKind, OrderStatus, values


class Event(SQLModel, table=True):
    """One shopper interaction in a session."""

    __tablename__ = "events"
    __table_args__ = (
        one_of("kind", values(EventKind), name="ck_events_kind"),
        one_of("device", values(Device), name="ck_events_device"),
        CheckConstraint("quantity >= 0", name="ck_events_quantity"),
        Index("ix_events_shopper_time", "shopper_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    shopper_id: str | None = Field(default=None, foreign_key="shoppers.id", max_length=64)
    session_id: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)
    sku: str | None = Field(default=None, foreign_key="products.sku", index=True, max_length=64)
    query: str | None = Field(default=None, max_length=500)
    quantity: int = 1
    price_cents: int | None = None
    channel: str = Field(default="web", max_length=16)
    device: str = Field(default=Device.UNKNOWN.value, max_length=16)
    occurred_at: datetime = Field(sa_type=UTCDateTime)


class Order(SQLModel, table=True):
    """A placed order."""

    __tablename__ = "orders"
    __table_args__ = (one_of("status", values(OrderStatus), name="ck_orders_status"),)

    id: str = Field(primary_key=True, max_length=64)
    shopper_id: str = Field(foreign_key="shoppers.id", index=True, max_length=64)
    status: str = Field(max_length=16)
    created_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    total_cents: int = Field(default=0, ge=0)
    location_id: str | None = Field(default=None, foreign_key="locations.id", max_length=64)
    details: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="Address, fulfilments, payments"
    )


class OrderLine(SQLModel, table=True):
    """One item of an order."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_order_lines_quantity"),
        CheckConstraint("unit_price_cents >= 0", name="ck_order_lines_price"),
    )

    order_id: str = Field(foreign_key="orders.id", primary_key=True, max_length=64)
    line_no: int = Field(primary_key=True, ge=0)
    sku: str = Field(foreign_key="products.sku", index=True, max_length=64)
    quantity: int = 1
    unit_price_cents: int = 0

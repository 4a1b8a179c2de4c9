"""What the system did or may do: offers, outbox, merchandising rules, promotions, approvals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime, one_of
from tools.store.vocab import (
    ApprovalStatus,
    Channel,
    MerchRuleKind,
    OutboxStatus,
    values,
)


class Offer(SQLModel, table=True):
    """A price or incentive quoted to one shopper, honoured until it expires."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="ck_offers_price"),
        CheckConstraint("discount_pct >= 0 AND discount_pct <= 100", name="ck_offers_discount_pct"),
        Index("ix_offers_shopper_time", "shopper_id", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=64)
    shopper_id: str | None = Field(default=None, foreign_key="shoppers.id", max_length=64)
    sku: str | None = Field(default=None, foreign_key="products.sku", max_length=64)
    kind: str = Field(max_length=32, description="none, free_shipping, bundle, percent_off")
    discount_pct: float = 0.0
    price_cents: int | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    decision_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class OutboxMessage(SQLModel, table=True):
    """A message waiting to leave, or sent; the only way messages reach shoppers."""

    __tablename__ = "outbox"
    __table_args__ = (
        one_of("channel", values(Channel), name="ck_outbox_channel"),
        one_of("status", values(OutboxStatus), name="ck_outbox_status"),
        Index("ix_outbox_status_due", "status", "send_after"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=200)
    shopper_id: str = Field(foreign_key="shoppers.id", max_length=64)
    channel: str = Field(max_length=16)
    subject: str = Field(default="", max_length=300)
    body: str = Field(max_length=20_000)
    send_after: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)
    attempts: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_id: str | None = Field(default=None, max_length=64)


class MerchRule(SQLModel, table=True):
    """A merchandising rule that moves products in rankings while it is active."""

    __tablename__ = "merch_rules"
    __table_args__ = (one_of("kind", values(MerchRuleKind), name="ck_merch_rules_kind"),)

    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    scope: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="skus, category, attributes or query"
    )
    weight: float = 0.0
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str = Field(max_length=64)
    decision_id: str | None = Field(default=None, max_length=64)
    active: bool = True


class Promotion(SQLModel, table=True):
    """A store-wide or scoped promotion."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint("discount_pct > 0 AND discount_pct <= 100", name="ck_promotions_pct"),
    )

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    discount_pct: float
    scope: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    loyalty_tiers: list[str] = Field(default_factory=list, sa_type=JSON)
    stackable: bool = False
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=64)
    decision_id: str | None = Field(default=None, max_length=64)


class Approval(SQLModel, table=True):
    """An escalated action waiting for, or given, a human decision."""

    __tablename__ = "approvals"
    __table_args__ = (one_of("status", values(ApprovalStatus), name="ck_approvals_status"),)

    id: str = Field(primary_key=True, max_length=64)
    thread_id: str = Field(index=True, max_length=128)
    action: dict[str, Any] = Field(sa_type=JSON)
    action_hash: str = Field(max_length=64)
    decision_id: str = Field(max_length=64)
    status: str = Field(default=ApprovalStatus.PENDING.value, index=True, max_length=16)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(sa_type=UTCDateTime)
    resolved_by: str | None = Field(default=None, max_length=64)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str = Field(default="", max_length=2000)


class StoreMeta(SQLModel, table=True):
    """Key/value facts about the store itself (schema version, catalog version, seed)."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=2000)

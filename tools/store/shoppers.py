"""Shoppers and their per-channel consent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime, one_of
from tools.store.vocab import Channel, LoyaltyTier, values


class Shopper(SQLModel, table=True):
    """A known shopper: contact details, timezone, loyalty tier and zero-party preferences."""

    __tablename__ = "shoppers"
    __table_args__ = (one_of("loyalty_tier", values(LoyaltyTier), name="ck_shoppers_tier"),)

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=32)
    timezone: str = Field(default="UTC", max_length=64)
    postal_code: str = Field(default="", max_length=16)
    latitude: float | None = None
    longitude: float | None = None
    loyalty_tier: str = Field(default=LoyaltyTier.NONE.value, max_length=16)
    preferences: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="Zero-party preferences the shopper stated"
    )
    profile: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="Imported extras (addresses, payment refs)"
    )


class Consent(SQLModel, table=True):
    """Whether a shopper allows messages on one channel, and since when."""

    __tablename__ = "consents"
    __table_args__ = (one_of("channel", values(Channel), name="ck_consents_channel"),)

    shopper_id: str = Field(foreign_key="shoppers.id", primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=16)
    granted: bool
    updated_at: datetime = Field(sa_type=UTCDateTime)
    source: str = Field(default="", max_length=64, description="Where the consent was given")

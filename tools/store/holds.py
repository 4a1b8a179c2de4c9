"""Short-lived holds: units set aside at a location for one shopper until they expire."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime


class Hold(SQLModel, table=True):
    """Units of a sku reserved at a location; they stop counting once expired or released."""

    __tablename__ = "holds"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_holds_quantity"),
        CheckConstraint("expires_at > created_at", name="ck_holds_expiry"),
        Index("ix_holds_sku_location_expiry", "sku", "location_id", "expires_at"),
    )

    id: str = Field(primary_key=True, max_length=64)
    idempotency_key: str = Field(unique=True, max_length=200)
    sku: str = Field(foreign_key="products.sku", max_length=64)
    location_id: str = Field(foreign_key="locations.id", max_length=64)
    quantity: int = Field(gt=0)
    shopper_id: str | None = Field(default=None, foreign_key="shoppers.id", max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    released: bool = False

"""Where stock lives: stores and warehouses, and the stock of each sku at each."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from tools.store.types import one_of
from tools.store.vocab import LocationKind, values


class Location(SQLModel, table=True):
    """A store or warehouse with its hours in its own timezone."""

    __tablename__ = "locations"
    __table_args__ = (
        one_of("kind", values(LocationKind), name="ck_locations_kind"),
        CheckConstraint("open_hour >= 0 AND open_hour <= 24", name="ck_locations_open"),
        CheckConstraint("close_hour >= open_hour AND close_hour <= 24", name="ck_locations_close"),
    )

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    same_day_pickup: bool = False
    timezone: str = Field(max_length=64, description="IANA timezone name")
    postal_code: str = Field(default="", max_length=16)
    latitude: float = 0.0
    longitude: float = 0.0
    open_hour: int = 9
    close_hour: int = 21


class InventoryLevel(SQLModel, table=True):
    """Units of a sku at a location; `reserved` are held for pickups."""

    __tablename__ = "inventory"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="ck_inventory_on_hand"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="ck_inventory_reserved"),
    )

    sku: str = Field(foreign_key="products.sku", primary_key=True, max_length=64)
    location_id: str = Field(
        foreign_key="locations.id", primary_key=True, index=True, max_length=64
    )
    on_hand: int = 0
    reserved: int = 0

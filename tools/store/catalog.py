"""Catalog tables: products (one row per sellable variant) and their price history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime


class ProductBase(SQLModel):
    """What a product is, as shown and sold. Money is in integer cents."""

    sku: str = Field(primary_key=True, min_length=1, max_length=64)
    variant_group: str = Field(
        index=True, max_length=64, description="Product that groups variants"
    )
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    brand: str = Field(default="", index=True, max_length=120)
    category: str = Field(index=True, max_length=200, description="Category path, '/'-separated")
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    list_price_cents: int = Field(ge=0)
    unit_cost_cents: int | None = Field(
        default=None, ge=0, description="Unit cost; None if unknown"
    )
    map_cents: int | None = Field(default=None, ge=0, description="Minimum advertised price")
    age_restricted: bool = False
    regulated: bool = False
    launch_date: date | None = None


class Product(ProductBase, table=True):
    """A sellable variant in the catalog."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("list_price_cents >= 0", name="ck_products_price"),
        CheckConstraint("unit_cost_cents IS NULL OR unit_cost_cents >= 0", name="ck_products_cost"),
        CheckConstraint("map_cents IS NULL OR map_cents >= 0", name="ck_products_map"),
    )


class ProductPublic(SQLModel):
    """A product as external callers see it (no unit cost)."""

    sku: str
    variant_group: str
    title: str
    description: str
    brand: str
    category: str
    attributes: dict[str, Any]
    tags: list[str]
    list_price: float
    age_restricted: bool
    regulated: bool

    @classmethod
    def of(cls, product: Product) -> ProductPublic:
        """The public view of a product."""
        return cls(
            sku=product.sku,
            variant_group=product.variant_group,
            title=product.title,
            description=product.description,
            brand=product.brand,
            category=product.category,
            attributes=product.attributes,
            tags=product.tags,
            list_price=product.list_price_cents / 100,
            age_restricted=product.age_restricted,
            regulated=product.regulated,
        )


class PriceHistory(SQLModel, table=True):
    """A list price that held from `effective_at` until the next row for the same sku."""

    __tablename__ = "price_history"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="ck_price_history_price"),
        Index("ix_price_history_sku_time", "sku", "effective_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(foreign_key="products.sku", max_length=64)
    price_cents: int = Field(ge=0)
    effective_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default="", max_length=200)

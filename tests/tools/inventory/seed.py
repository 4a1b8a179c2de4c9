"""A small store with known answers for the inventory tests (and the MCP server tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from tools.store import (
    Hold,
    InventoryLevel,
    Location,
    Order,
    OrderLine,
    Product,
    Shopper,
    transaction,
)

MOISTURIZER = "beauty/skincare/moisturizer"
CLEANSER = "beauty/skincare/cleanser"

LOCATIONS: list[dict[str, Any]] = [
    dict(
        id="NYC",
        name="Manhattan",
        kind="store",
        same_day_pickup=True,
        timezone="America/New_York",
        latitude=40.7128,
        longitude=-74.0060,
        open_hour=9,
        close_hour=21,
    ),
    dict(
        id="BKN",
        name="Brooklyn",
        kind="store",
        same_day_pickup=False,
        timezone="America/New_York",
        latitude=40.6782,
        longitude=-73.9442,
        open_hour=10,
        close_hour=20,
    ),
    dict(
        id="LAX",
        name="Los Angeles",
        kind="store",
        same_day_pickup=True,
        timezone="America/Los_Angeles",
        latitude=34.0522,
        longitude=-118.2437,
    ),
    dict(
        id="WH",
        name="Chicago DC",
        kind="warehouse",
        timezone="America/Chicago",
        latitude=41.8781,
        longitude=-87.6298,
    ),
]

# sku: (category, price, attributes)
PRODUCTS: dict[str, tuple[str, int, dict[str, Any]]] = {
    "M1": (MOISTURIZER, 2500, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
    "M2": (MOISTURIZER, 2600, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
    "M3": (MOISTURIZER, 2500, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
    "M4": (MOISTURIZER, 2400, {"fragrance_free": False, "skin_type": "oily", "size_ml": 50}),
    "M5": (MOISTURIZER, 9900, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
    "M6": (MOISTURIZER, 2500, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 100}),
    "M7": (MOISTURIZER, 2500, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
    "C1": (CLEANSER, 2500, {"fragrance_free": True, "skin_type": "sensitive", "size_ml": 50}),
}

# (sku, location): on_hand, reserved
STOCK: dict[tuple[str, str], tuple[int, int]] = {
    ("M1", "NYC"): (0, 0),
    ("M1", "WH"): (0, 0),
    ("M2", "NYC"): (4, 1),
    ("M2", "BKN"): (2, 0),
    ("M2", "LAX"): (6, 0),
    ("M2", "WH"): (40, 0),
    ("M3", "NYC"): (0, 0),
    ("M4", "WH"): (8, 0),
    ("M5", "NYC"): (3, 0),
    ("M6", "BKN"): (5, 0),
    ("M7", "NYC"): (2, 2),
    ("C1", "NYC"): (9, 0),
}

SHOPPERS: list[dict[str, Any]] = [
    dict(
        id="ana",
        name="Ana Silva",
        timezone="America/New_York",
        latitude=40.73,
        longitude=-73.99,
        email="ana@example.com",
        phone="+15550001",
    ),
    dict(
        id="leo",
        name="Leo",
        timezone="America/Los_Angeles",
        latitude=34.05,
        longitude=-118.25,
        email="leo@example.com",
    ),
    dict(
        id="kai",
        name="Kai",
        timezone="Asia/Tokyo",
        latitude=40.75,
        longitude=-73.98,
        phone="+8190000",
    ),
]


def product(sku: str, category: str, price: int, attributes: dict[str, Any]) -> Product:
    """A product row for the fixtures."""
    return Product(
        sku=sku,
        variant_group=f"G-{sku}",
        title=f"Product {sku}",
        category=category,
        attributes=attributes,
        list_price_cents=price,
    )


def seed_inventory(engine: Engine) -> None:
    """Locations, products, stock and shoppers above."""
    with transaction(engine) as session:
        session.add_all([Location(**values) for values in LOCATIONS])
        session.add_all([Shopper(**values) for values in SHOPPERS])
        for sku, (category, price, attrs) in PRODUCTS.items():
            session.add(product(sku, category, price, attrs))
        session.flush()
        for (sku, loc), (on_hand, reserved) in STOCK.items():
            session.add(
                InventoryLevel(sku=sku, location_id=loc, on_hand=on_hand, reserved=reserved)
            )


def add_hold(
    engine: Engine,
    *,
    sku: str,
    location_id: str,
    quantity: int,
    created_at: datetime,
    expires_at: datetime,
    released: bool = False,
) -> None:
    """A hold written directly (as the executor would have)."""
    key = f"{sku}-{location_id}-{quantity}-{expires_at.isoformat()}"
    with transaction(engine) as session:
        session.add(
            Hold(
                id=key[:64],
                idempotency_key=key,
                sku=sku,
                location_id=location_id,
                quantity=quantity,
                created_at=created_at,
                expires_at=expires_at,
                released=released,
            )
        )


def add_sales(engine: Engine, *, sku: str, units: int, at: datetime, order_id: str) -> None:
    """One processed order of `units` of a sku at a time."""
    with transaction(engine) as session:
        session.add(Shopper(id=f"buyer-{order_id}", timezone="UTC"))
        session.flush()
        session.add(
            Order(id=order_id, shopper_id=f"buyer-{order_id}", status="processed", created_at=at)
        )
        session.flush()
        session.add(OrderLine(order_id=order_id, line_no=0, sku=sku, quantity=units))

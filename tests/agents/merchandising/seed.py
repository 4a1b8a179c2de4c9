"""A hand-made store whose stock levels, costs, sales and rules give known answers.

NOW is Wednesday 28 Oct 2026, 10:00 in Los Angeles (the store's timezone), four days before
the US clocks go back (Sunday 1 Nov 2026, 02:00 PDT -> 01:00 PST).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from tools.store import (
    InventoryLevel,
    Location,
    MerchRule,
    Order,
    OrderLine,
    Product,
    Promotion,
    Shopper,
    set_meta,
    transaction,
)

NOW = datetime(2026, 10, 28, 17, 0, tzinfo=UTC)
TZ = "America/Los_Angeles"
RAIN = "outdoor/clothing/rain-jacket"
LAMP = "outdoor/camping/headlamp"
CREAM = "beauty/skincare/moisturizer"
WINE = "grocery/wine/red-wine"

# sku: category, title, price, cost, map, attributes, units at the warehouse, units sold (28 days)
PRODUCTS: dict[str, tuple[str, str, int, int | None, int | None, dict[str, Any], int, int]] = {
    "RJ-1": (RAIN, "Summit Rain Jacket", 10000, 5000, None, {"waterproof": True}, 400, 0),
    "RJ-2": (RAIN, "Summit Thin Rain Jacket", 10000, 8000, None, {"waterproof": True}, 400, 0),
    "RJ-3": (RAIN, "Ridge Rain Jacket", 10000, None, None, {"waterproof": True}, 300, 0),
    "RJ-4": (RAIN, "Ridge Storm Rain Jacket", 10000, 4000, 9000, {"waterproof": True}, 300, 0),
    "RJ-5": (RAIN, "Summit Trail Rain Jacket", 12000, 6000, None, {"waterproof": True}, 20, 56),
    "HL-1": (LAMP, "Ridge Headlamp", 3000, 1200, None, {}, 2, 7),
    "HL-2": (LAMP, "Ridge Bright Headlamp", 3000, 1200, None, {}, 0, 3),
    "MO-1": (CREAM, "Dew Vegan Moisturizer", 2500, 1000, None, {"vegan": True}, 50, 28),
    "MO-2": (CREAM, "Dew Daily Moisturizer", 2500, 1000, None, {"vegan": False}, 4, 14),
    "MO-3": (CREAM, "Dew Vegan Night Moisturizer", 2500, 1000, None, {"vegan": True}, 100, 0),
    "MO-9": (CREAM, "Dew Travel Moisturizer", 2500, 1000, None, {"vegan": False}, 1, 0),
    "WN-1": (WINE, "Vale Red Wine", 2000, 1000, None, {}, 30, 2),
    **{
        f"MO-F{i}": (CREAM, f"Dew Basic Moisturizer {i}", 2500, 1000, None, {}, 100, 1)
        for i in range(10)
    },
}
AGE_RESTRICTED = {"WN-1"}
TIERS = {"s-none": "none", "s-silver": "silver", "s-gold": "gold", "s-platinum": "platinum"}


def _product(sku: str) -> Product:
    category, title, price, cost, map_cents, attributes, _, _ = PRODUCTS[sku]
    return Product(
        sku=sku,
        variant_group=f"G-{sku}",
        title=title,
        brand=title.split()[0],
        category=category,
        attributes=attributes,
        tags=["vegan"] if attributes.get("vegan") else [],
        list_price_cents=price,
        unit_cost_cents=cost,
        map_cents=map_cents,
        age_restricted=sku in AGE_RESTRICTED,
    )


def seed_store(engine: Engine) -> None:
    """Write the hand-made store (schema already created)."""
    with transaction(engine) as session:
        set_meta(session, "timezone", TZ)
        session.add(Location(id="WH", name="Warehouse", kind="warehouse", timezone=TZ))
        session.add_all(Shopper(id=i, loyalty_tier=t, timezone=TZ) for i, t in TIERS.items())
        session.add_all(_product(sku) for sku in sorted(PRODUCTS))
        session.flush()
        for sku, (*_, units, sold) in sorted(PRODUCTS.items()):
            session.add(InventoryLevel(sku=sku, location_id="WH", on_hand=units))
            if sold:
                order = f"O-{sku}"
                when = NOW - timedelta(days=3)
                session.add(
                    Order(id=order, shopper_id="s-none", status="processed", created_at=when)
                )
                session.flush()
                session.add(OrderLine(order_id=order, line_no=0, sku=sku, quantity=sold))
        session.add_all(_promotions())
        session.add_all(_rules())


def _promotions() -> list[Promotion]:
    day = timedelta(days=1)
    common: dict[str, Any] = {"created_by": "seed"}
    return [
        Promotion(
            id="P-ACTIVE",
            name="Skincare week",
            discount_pct=10,
            scope={"category": "beauty/skincare"},
            loyalty_tiers=["gold"],
            starts_at=NOW - day,
            ends_at=NOW + 2 * day,
            **common,
        ),
        Promotion(
            id="P-OLD",
            name="Summer",
            discount_pct=20,
            scope={"category": "outdoor"},
            starts_at=NOW - 30 * day,
            ends_at=NOW - day,
            **common,
        ),
        Promotion(
            id="P-LATER",
            name="Winter",
            discount_pct=15,
            scope={"skus": ["RJ-1"]},
            starts_at=NOW + day,
            ends_at=NOW + 5 * day,
            **common,
        ),
    ]


def _rules() -> list[MerchRule]:
    return [
        MerchRule(
            id="R-ACTIVE", kind="boost", scope={"skus": ["MO-3"]}, weight=0.4, created_by="seed"
        ),
        MerchRule(
            id="R-OFF",
            kind="pin",
            scope={"skus": ["MO-9"]},
            weight=1.0,
            created_by="seed",
            active=False,
        ),
        MerchRule(
            id="R-EXPIRED",
            kind="bury",
            scope={"category": "outdoor"},
            weight=0.2,
            ends_at=NOW - timedelta(hours=1),
            created_by="seed",
        ),
    ]

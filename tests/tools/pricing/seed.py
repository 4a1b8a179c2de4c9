"""A small store with known answers for the pricing tests (and the pricing MCP server tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from tools.store import Event, PriceHistory, Product, Shopper, transaction

SERUM = "beauty/skincare/serum"
T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
SERUM_PRICES = (1000, 1300, 1700, 2200, 2900, 3800, 4900, 6400, 8300, 10800)


def _product(sku: str, category: str, price: int, cost: int | None, brand: str = "") -> Product:
    return Product(
        sku=sku,
        variant_group=sku,
        title=f"{sku} {category.rsplit('/', 1)[-1]}",
        brand=brand,
        category=category,
        list_price_cents=price,
        unit_cost_cents=cost,
    )


def products() -> list[Product]:
    """Ten serums from $10 to $108 at 40% cost, a toner, a serum of unknown cost, crackers."""
    rows = [
        _product(f"SER-{i}", SERUM, price, round(price * 0.4))
        for i, price in enumerate(SERUM_PRICES)
    ]
    rows.append(_product("TONER", "beauty/skincare/toner", 1500, 600))
    rows.append(_product("MYSTERY", SERUM, 3000, None))
    rows.append(_product("CRK-1", "grocery/pantry/crackers", 399, 260, brand="Sunshine"))
    return rows


def _views(shopper_id: str, skus: list[str], prices: dict[str, int]) -> list[Event]:
    return [
        Event(
            shopper_id=shopper_id,
            session_id=f"{shopper_id}-s{i // 3}",
            kind="view",
            sku=sku,
            price_cents=prices[sku],
            occurred_at=T0 + timedelta(minutes=i),
        )
        for i, sku in enumerate(skus)
    ]


def seed_pricing(engine: Engine) -> None:
    """Products, price history, and shoppers who browse cheap, dear, or not at all."""
    rows = products()
    prices = {p.sku: p.list_price_cents for p in rows}
    cheap = [f"SER-{i}" for i in (0, 1, 0, 1, 2, 0, 1, 0)]
    dear = [f"SER-{i}" for i in (9, 8, 9, 8, 7, 9, 8, 9)]
    with transaction(engine) as session:
        session.add_all(rows)
        session.flush()
        session.add_all(
            PriceHistory(sku=p.sku, price_cents=p.list_price_cents, effective_at=T0) for p in rows
        )
        session.add(Shopper(id="thrifty", loyalty_tier="none"))
        session.add(Shopper(id="lavish", loyalty_tier="gold"))
        session.add(Shopper(id="newbie", loyalty_tier="platinum"))
        session.flush()
        session.add_all(_views("thrifty", cheap, prices))
        session.add_all(_views("lavish", dear, prices))

"""Reading the products a scope names, their stock levels and recent popularity (read-only)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from agents.merchandising.spec import ScopeSpec, StockFilter
from tools.inventory import StockLevel, StockSignal, stock_signals
from tools.inventory.clock import as_utc
from tools.store import Event, Order, OrderLine, Product, Shopper
from tools.store.vocab import EventKind, OrderStatus

POPULARITY_DAYS = 90
BATCH = 1000
_NOT_SOLD = (OrderStatus.CANCELLED.value, OrderStatus.RETURNED.value)
_STOCK_LEVELS: dict[StockFilter, frozenset[StockLevel]] = {
    "out": frozenset({StockLevel.OUT}),
    "low": frozenset({StockLevel.LOW}),
    "overstock": frozenset({StockLevel.OVERSTOCK}),
    "in_stock": frozenset({StockLevel.LOW, StockLevel.NORMAL, StockLevel.OVERSTOCK}),
}
_COLUMNS = (
    col(Product.sku),
    col(Product.title),
    col(Product.category),
    col(Product.brand),
    col(Product.list_price_cents),
    col(Product.unit_cost_cents),
    col(Product.map_cents),
    col(Product.attributes),
    col(Product.tags),
    col(Product.age_restricted),
    col(Product.regulated),
)


@dataclass(frozen=True)
class ProductRow:
    """The facts of one product the planner uses."""

    sku: str
    title: str
    category: str
    brand: str
    list_price_cents: int
    unit_cost_cents: int | None
    map_cents: int | None
    attributes: dict[str, Any]
    tags: tuple[str, ...]
    age_restricted: bool
    regulated: bool


def resolve_scope(session: Session, scope: ScopeSpec, *, now: datetime) -> list[ProductRow]:
    """The products a scope names, in sku order (nothing for an empty scope)."""
    if scope.is_empty():
        return []
    query = sa_select(*_COLUMNS).where(*_conditions(scope)).order_by(col(Product.sku))
    rows = [_row(r) for r in session.connection().execute(query)]
    rows = [r for r in rows if _matches(r, scope)]
    if scope.stock is not None and rows:
        levels = stock_levels(session, [r.sku for r in rows], now=now)
        rows = [r for r in rows if levels[r.sku].level in _STOCK_LEVELS[scope.stock]]
    return rows


def _conditions(scope: ScopeSpec) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.skus:
        conditions.append(col(Product.sku).in_(scope.skus))
    if scope.categories:
        conditions.append(or_(*(_under(path) for path in scope.categories)))
    if scope.brands:
        conditions.append(col(Product.brand).in_(scope.brands))
    if scope.excluded_brands:
        conditions.append(col(Product.brand).not_in(scope.excluded_brands))
    if "age_restricted" in scope.flags:
        conditions.append(col(Product.age_restricted).is_(True))
    if "regulated" in scope.flags:
        conditions.append(col(Product.regulated).is_(True))
    if scope.min_price_cents is not None:
        conditions.append(col(Product.list_price_cents) >= scope.min_price_cents)
    if scope.max_price_cents is not None:
        conditions.append(col(Product.list_price_cents) <= scope.max_price_cents)
    return conditions


def _under(path: str) -> ColumnElement[bool]:
    escaped = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    category = col(Product.category)
    return or_(category == path, category.like(escaped + "/%", escape="\\"))


def _row(r: Any) -> ProductRow:
    return ProductRow(
        sku=r[0],
        title=r[1],
        category=r[2],
        brand=r[3],
        list_price_cents=r[4],
        unit_cost_cents=r[5],
        map_cents=r[6],
        attributes=dict(r[7] or {}),
        tags=tuple(r[8] or ()),
        age_restricted=bool(r[9]),
        regulated=bool(r[10]),
    )


def _matches(row: ProductRow, scope: ScopeSpec) -> bool:
    tags = set(row.tags)
    if any(tag not in tags for tag in scope.tags) or tags & set(scope.excluded_tags):
        return False
    if not all(_has(row, key, values) for key, values in scope.attributes.items()):
        return False
    return not any(_has(row, key, values) for key, values in scope.excluded_attributes.items())


def _has(row: ProductRow, key: str, values: Sequence[Any]) -> bool:
    """Whether the product's attribute takes any of the values (lists: any item)."""
    held = row.attributes.get(key)
    items = held if isinstance(held, list) else [held]
    return any(
        item == value and isinstance(item, bool) == isinstance(value, bool)
        for item in items
        for value in values
    )


def stock_levels(session: Session, skus: Sequence[str], *, now: datetime) -> dict[str, StockSignal]:
    """The stock signal of each sku (in batches the inventory engine accepts)."""
    found: dict[str, StockSignal] = {}
    for batch in _batches(skus):
        for signal in stock_signals(session, skus=list(batch), now=now):
            found[signal.sku] = signal
    return found


def popularity(session: Session, *, now: datetime) -> dict[str, tuple[int, int]]:
    """(units ordered, views) per sku over the last `POPULARITY_DAYS` days."""
    until = as_utc(now)
    since = until - timedelta(days=POPULARITY_DAYS)
    units = (
        select(OrderLine.sku, func.sum(OrderLine.quantity))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.created_at) >= since, col(Order.created_at) <= until)
        .where(col(Order.status).not_in(_NOT_SOLD))
        .group_by(col(OrderLine.sku))
    )
    views = (
        select(Event.sku, func.count())
        .where(Event.kind == EventKind.VIEW.value, col(Event.sku).is_not(None))
        .where(col(Event.occurred_at) >= since, col(Event.occurred_at) <= until)
        .group_by(col(Event.sku))
    )
    sold = {sku: int(n) for sku, n in session.exec(units)}
    seen = {str(sku): int(n) for sku, n in session.exec(views)}
    return {sku: (sold.get(sku, 0), seen.get(sku, 0)) for sku in sorted(set(sold) | set(seen))}


def existing_skus(session: Session, candidates: Collection[str]) -> set[str]:
    """The candidates that are skus of the store."""
    found: set[str] = set()
    for batch in _batches(sorted(candidates)):
        found.update(session.exec(select(Product.sku).where(col(Product.sku).in_(batch))))
    return found


def tier_share(session: Session, tiers: Collection[str]) -> float:
    """Share of known shoppers in the loyalty tiers (1.0 when no tier limits the offer)."""
    if not tiers:
        return 1.0
    total = session.exec(select(func.count()).select_from(Shopper)).one()
    if not total:
        return 0.0
    members = session.exec(
        select(func.count()).select_from(Shopper).where(col(Shopper.loyalty_tier).in_(tiers))
    ).one()
    return round(members / total, 6)


def _batches(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]

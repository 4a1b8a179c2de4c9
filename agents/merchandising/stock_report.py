"""Stock questions: which products (or which recommended products) are low, out or overstocked.

Stock levels come from the inventory engine's stock signal (out: none available; low: at most
5 units or under 7 days of cover; overstock: over 120 days of cover, or 250+ unsold units).
A recommended product is one in the first `RECOMMENDED_TOP` of its category's ranking, the
ranking the preview uses: recent popularity with the merchandising rules in force applied as
the recommendation ranker applies them (boosts and pins lift, buries lower, excludes and
out-of-stock products are not shown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from agents.merchandising import ranking
from agents.merchandising.catalog import ProductRow, popularity, resolve_scope, stock_levels
from agents.merchandising.report_model import StockRow
from agents.merchandising.spec import ReportKind, ScopeSpec
from tools.inventory import StockLevel, StockSignal

RECOMMENDED_TOP = 10
_LEVEL: dict[str, StockLevel] = {
    "low_stock": StockLevel.LOW,
    "out_of_stock": StockLevel.OUT,
    "overstock": StockLevel.OVERSTOCK,
}
DEFINITIONS: dict[str, str] = {
    "low_stock": "low stock: at most 5 units available, or under 7 days of cover at the "
    "last 28 days' sales pace",
    "out_of_stock": "out of stock: no unit available at any location",
    "overstock": "overstocked: over 120 days of cover, or 250+ units without a sale in 28 days",
}
RECOMMENDED_DEFINITION = (
    f"; recommended: in the first {RECOMMENDED_TOP} of its category's ranking "
    "(recent popularity with the merchandising rules in force)"
)


def stock_rows(
    session: Session, kind: ReportKind, scope: ScopeSpec, *, recommended_only: bool, now: datetime
) -> list[StockRow]:
    """The products of the scope at the report's stock level, most urgent first."""
    products = resolve_scope(session, scope, now=now)
    ranks = recommended_ranks(session, products, now=now) if recommended_only else {}
    if recommended_only:
        products = [p for p in products if p.sku in ranks]
    if not products:
        return []
    signals = stock_levels(session, [p.sku for p in products], now=now)
    level = _LEVEL[kind]
    rows = [_row(p, signals[p.sku], ranks.get(p.sku)) for p in products]
    rows = [r for r in rows if r.level == level.value]
    return sorted(rows, key=_urgency if kind != "overstock" else _excess)


def _row(product: ProductRow, signal: StockSignal, rank: int | None) -> StockRow:
    return StockRow(
        sku=product.sku,
        title=product.title,
        category=product.category,
        brand=product.brand,
        level=signal.level.value,
        available=signal.available,
        daily_sales=signal.daily_sales,
        days_of_cover=signal.days_of_cover,
        category_rank=rank,
    )


def _urgency(row: StockRow) -> tuple[float, int, str]:
    cover = row.days_of_cover if row.days_of_cover is not None else float("inf")
    return cover, row.available, row.sku


def _excess(row: StockRow) -> tuple[float, int, str]:
    cover = row.days_of_cover if row.days_of_cover is not None else float("inf")
    return -cover, -row.available, row.sku


def recommended_ranks(
    session: Session, products: Sequence[ProductRow], *, now: datetime
) -> dict[str, int]:
    """Position in its category's ranking of each product shown in the first places."""
    categories = sorted({p.category for p in products if p.category})
    if not categories:
        return {}
    members = resolve_scope(session, ScopeSpec(categories=tuple(categories)), now=now)
    by_category: defaultdict[str, list[ProductRow]] = defaultdict(list)
    for member in members:
        by_category[member.category].append(member)
    rules = ranking.rules_in_force(session, now=now)
    liked = popularity(session, now=now)
    levels = stock_levels(session, [m.sku for m in members], now=now)
    out = {sku for sku, signal in levels.items() if signal.level is StockLevel.OUT}
    ranks: dict[str, int] = {}
    for category in categories:
        ordered = ranking.rank(
            by_category[category], rules=rules, popularity=liked, query=None, hidden=out
        )
        ranks.update({sku: i + 1 for i, sku in enumerate(ordered[:RECOMMENDED_TOP])})
    wanted = {p.sku for p in products}
    return {sku: rank for sku, rank in ranks.items() if sku in wanted}

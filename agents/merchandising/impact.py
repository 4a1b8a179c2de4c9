"""Expected margin impact of new prices over a window: units x price change, with elasticities.

For each product:
- baseline units = its average daily units sold over the last `PACE_DAYS` days x window days,
  never more than the units available now;
- only the `eligible_share` of demand sees the new price (a promotion for gold members reaches
  the share of shoppers in that tier); the rest keeps buying at list price;
- the eligible units change by the demand ratio at the new price, with the elasticity of the
  product's category and brand from the pricing engine's `DemandModel` (choice models, then
  fits on the store's events, then family defaults): for a price cut, the pricing engine's
  conversion curve at a session conversion of `BASE_CONVERSION`; for a rise, constant
  elasticity, (new / old) ** elasticity;
- units after are capped by the units available, the eligible ones giving way first;
- margin = units x (price - unit cost), the cost at the pricing engine's default margin where
  it is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from agents.merchandising.catalog import BATCH
from agents.merchandising.plan import ElasticityUsed, MarginImpact
from agents.merchandising.pricing import Priced
from tools.inventory import available_by_sku
from tools.inventory.signal import daily_sales
from tools.pricing import DemandModel, SkuFacts
from tools.pricing.demand import conversion
from tools.pricing.economics import unit_cost

PACE_DAYS = 90
BASE_CONVERSION = 0.03
METHOD = (
    f"units = daily units sold over the last {PACE_DAYS} days x window days (capped by stock); "
    "eligible units scaled by the demand ratio at the new price (category elasticity); "
    "margin = units x (price - unit cost)"
)


def demand_ratio(*, old_cents: int, new_cents: int, elasticity: float) -> float:
    """How many times the units a new price sells compared with the old one."""
    if old_cents <= 0 or new_cents == old_cents:
        return 1.0
    if new_cents < old_cents:
        saving = 1.0 - new_cents / old_cents
        return conversion(base=BASE_CONVERSION, elasticity=elasticity, saving=saving) / (
            BASE_CONVERSION
        )
    return float((new_cents / old_cents) ** elasticity)


@dataclass
class _Totals:
    units_before: float = 0.0
    units_after: float = 0.0
    revenue_before: float = 0.0
    revenue_after: float = 0.0
    margin_before: float = 0.0
    margin_after: float = 0.0
    elasticities: dict[str, ElasticityUsed] = field(default_factory=dict)


def margin_impact(
    session: Session,
    priced: Sequence[Priced],
    *,
    now: datetime,
    days: float,
    eligible_share: float,
    demand: DemandModel,
) -> MarginImpact:
    """Expected units, revenue and margin over `days`, at list prices and at the new prices."""
    skus = [p.product.sku for p in priced]
    pace: dict[str, float] = {}
    stock: dict[str, int] = {}
    for start in range(0, len(skus), BATCH):
        batch = skus[start : start + BATCH]
        pace.update(daily_sales(session, skus=batch, now=now, window_days=PACE_DAYS))
        stock.update(available_by_sku(session, skus=batch, now=now))
    totals = _Totals()
    for item in priced:
        _add(
            totals,
            item,
            pace[item.product.sku] * days,
            stock[item.product.sku],
            eligible_share,
            demand,
        )
    return MarginImpact(
        window_days=round(days, 4),
        eligible_share=round(eligible_share, 6),
        units_before=round(totals.units_before, 2),
        units_after=round(totals.units_after, 2),
        revenue_before_cents=round(totals.revenue_before),
        revenue_after_cents=round(totals.revenue_after),
        margin_before_cents=round(totals.margin_before),
        margin_after_cents=round(totals.margin_after),
        margin_change_cents=round(totals.margin_after) - round(totals.margin_before),
        elasticities=[totals.elasticities[k] for k in sorted(totals.elasticities)],
        method=METHOD,
    )


def _add(
    totals: _Totals,
    item: Priced,
    expected: float,
    available: int,
    share: float,
    demand: DemandModel,
) -> None:
    product = item.product
    price, new_price = product.list_price_cents, item.new_price_cents
    cost = unit_cost(
        SkuFacts(
            sku=product.sku,
            category=product.category or "uncategorised",
            brand=product.brand,
            list_price_cents=max(1, price),
            unit_cost_cents=product.unit_cost_cents,
        )
    )
    estimate = demand.elasticity(category=product.category, brand=product.brand)
    family = product.category.split("/", 1)[0]
    totals.elasticities.setdefault(
        family,
        ElasticityUsed(family=family, elasticity=estimate.value, source=estimate.source),
    )
    before = min(float(available), expected)
    other = before * (1.0 - share)
    ratio = demand_ratio(old_cents=price, new_cents=new_price, elasticity=estimate.value)
    eligible_after = min(before * share * ratio, max(0.0, available - other))
    totals.units_before += before
    totals.units_after += other + eligible_after
    totals.revenue_before += before * price
    totals.revenue_after += other * price + eligible_after * new_price
    totals.margin_before += before * (price - cost)
    totals.margin_after += other * (price - cost) + eligible_after * (new_price - cost)

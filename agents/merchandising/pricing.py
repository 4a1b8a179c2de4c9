"""New prices under a plan: which products a promotion or price change may cover, and why not.

Each product is screened, in this order, and left out (with the reason) at the first failure:
1. discount depth: a promotion deeper than a covered category allows (the policy pack's
   `max_discount_pct`) is refused whole, so products of such categories are left out;
2. price floor: max(unit cost x (1 + the pack's floor margin), MAP) — a promotion that takes any
   product below it is refused whole, a list price below it is refused;
3. the merchandiser's margin limit ("keep margin above 30%"): margin = (price - cost) / price
   must not fall below it; a product of unknown cost is left out, as its margin cannot be known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agents.merchandising.catalog import ProductRow
from agents.merchandising.plan import ExcludedSku, ExclusionReason
from policies.context import ProductFacts, PromotionImpact
from policies.derive import max_discount_pct, price_floor_cents
from policies.params import PricingParams


@dataclass(frozen=True)
class Priced:
    """A product and its price under the plan."""

    product: ProductRow
    new_price_cents: int

    @property
    def margin_after_pct(self) -> float | None:
        """Margin at the new price, in percent (None when the cost is unknown)."""
        return margin_pct(self.new_price_cents, self.product.unit_cost_cents)


def promotion_price(list_cents: int, pct: float) -> int:
    """A list price less a percentage, rounded half up to the cent."""
    basis_points = round(pct * 100)
    return (list_cents * (10_000 - basis_points) + 5_000) // 10_000


def margin_pct(price_cents: int, cost_cents: int | None) -> float | None:
    """(price - cost) / price in percent; None when the cost is unknown or the price is zero."""
    if cost_cents is None or price_cents <= 0:
        return None
    return round((price_cents - cost_cents) * 100 / price_cents, 4)


def floor_of(product: ProductRow, pricing: PricingParams) -> int | None:
    """The policy floor of a product, as the checker computes it."""
    return price_floor_cents(_facts(product), pricing)


def _facts(product: ProductRow) -> ProductFacts:
    return ProductFacts(
        sku=product.sku,
        category=product.category,
        brand=product.brand,
        list_price_cents=product.list_price_cents,
        unit_cost_cents=product.unit_cost_cents,
        map_cents=product.map_cents,
    )


def screen(
    products: Sequence[ProductRow],
    *,
    price: Callable[[ProductRow], int],
    pricing: PricingParams,
    min_margin_pct: float | None,
    discount_pct: float | None = None,
) -> tuple[list[Priced], list[ExcludedSku]]:
    """The products that may take their new price, and those left out with the reason."""
    kept: list[Priced] = []
    left: list[ExcludedSku] = []
    for product in products:
        new_price = price(product)
        reason = _reason(product, new_price, pricing, min_margin_pct, discount_pct)
        if reason is None:
            kept.append(Priced(product, new_price))
        else:
            left.append(
                ExcludedSku(
                    sku=product.sku, title=product.title, reason=reason[0], detail=reason[1]
                )
            )
    return kept, left


def _reason(
    product: ProductRow,
    new_price: int,
    pricing: PricingParams,
    min_margin: float | None,
    discount_pct: float | None,
) -> tuple[ExclusionReason, str] | None:
    if new_price == product.list_price_cents and discount_pct is None:
        return "no_change", "already at this price"
    if discount_pct is not None:
        deepest = max_discount_pct(product.category, pricing)
        if discount_pct > deepest:
            return "discount_too_deep", f"{product.category} allows at most {deepest:g}% off"
    floor = floor_of(product, pricing)
    if floor is not None and new_price < floor:
        return "below_price_floor", f"{_money(new_price)} is below the floor {_money(floor)}"
    if min_margin is None:
        return None
    margin = margin_pct(new_price, product.unit_cost_cents)
    if margin is None:
        return "cost_unknown", "unit cost unknown: the margin cannot be checked"
    if margin < min_margin:
        return "margin_below_target", f"margin would be {margin:.1f}% (< {min_margin:g}%)"
    return None


def promotion_impact(priced: Sequence[Priced], pricing: PricingParams) -> PromotionImpact:
    """The checker's facts: products, those below floor or of unknown cost, margin before and
    after (price-weighted over products of known cost)."""
    known = [p for p in priced if p.product.unit_cost_cents is not None]
    below = 0
    for item in priced:
        floor = floor_of(item.product, pricing)
        below += floor is not None and item.new_price_cents < floor
    before = _weighted_margin(
        [(p.product.list_price_cents, p.product.unit_cost_cents) for p in known]
    )
    after = _weighted_margin([(p.new_price_cents, p.product.unit_cost_cents) for p in known])
    return PromotionImpact(
        sku_count=len(priced),
        skus_below_floor=below,
        skus_cost_unknown=len(priced) - len(known),
        margin_before_pct=before,
        margin_after_pct=after,
    )


def _weighted_margin(pairs: Sequence[tuple[int, int | None]]) -> float:
    revenue = sum(price for price, _ in pairs)
    if revenue <= 0:
        return 0.0
    return round(sum(price - (cost or 0) for price, cost in pairs) * 100 / revenue, 4)


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"

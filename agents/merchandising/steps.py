"""The actions of a plan: merchandising rules, promotions and list-price changes, from a spec.

A scope that is exactly one category path stays a category (it covers products added later);
any other scope is the list of skus it matches now, in chunks of at most `MAX_SCOPE_SKUS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from agents.merchandising.catalog import ProductRow
from agents.merchandising.exceptions import InvalidTaskError
from agents.merchandising.plan import ExcludedSku, PlannedStep
from agents.merchandising.pricing import Priced, promotion_impact, promotion_price, screen
from agents.merchandising.scope_text import scope_label
from agents.merchandising.spec import MerchTaskSpec
from policies.actions import ChangeListPrice, CreatePromotion, MerchRuleChange, Scope
from policies.params import PricingParams

MAX_SCOPE_SKUS = 1000
MAX_PRICE_CHANGES = 100
DEFAULT_WEIGHT = 0.2
PIN_WEIGHT = 1.0


@dataclass(frozen=True)
class Window:
    """When the plan's changes apply (UTC)."""

    starts_at: datetime
    ends_at: datetime | None


@dataclass(frozen=True)
class Built:
    """The steps of a plan and the products behind them."""

    steps: list[PlannedStep]
    affected: list[ProductRow]
    priced: list[Priced] = field(default_factory=list)
    excluded: list[ExcludedSku] = field(default_factory=list)


def scopes_for(spec: MerchTaskSpec, skus: Sequence[str]) -> list[Scope]:
    """The action scopes covering the skus (a whole category when the task named only one)."""
    if spec.scope.is_plain_category() and spec.kind != "pin":
        return [Scope(category=spec.scope.categories[0])]
    category = spec.scope.categories[0] if spec.kind == "pin" and spec.scope.categories else None
    return [
        Scope(category=category, skus=tuple(skus[i : i + MAX_SCOPE_SKUS]))
        for i in range(0, len(skus), MAX_SCOPE_SKUS)
    ]


def rule_steps(spec: MerchTaskSpec, products: Sequence[ProductRow], window: Window) -> Built:
    """Boost, bury, pin or exclude rules over the products."""
    op = spec.kind
    if op not in ("boost", "bury", "pin", "exclude"):
        raise ValueError(f"not a merchandising rule: {op}")
    weight = {"pin": PIN_WEIGHT, "exclude": 0.0}.get(op, spec.weight or DEFAULT_WEIGHT)
    scopes = scopes_for(spec, [p.sku for p in products])
    steps = []
    for scope in scopes:
        action = MerchRuleChange(
            op=op,
            scope=scope,
            weight=weight,
            query=spec.query,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
        )
        covered = scope.skus or tuple(p.sku for p in products)
        steps.append(
            PlannedStep(
                action=action,
                summary=_rule_line(action, len(covered)),
                sku_count=len(covered),
                skus=covered,
            )
        )
    return Built(steps=steps, affected=list(products))


def _rule_line(action: MerchRuleChange, count: int) -> str:
    what = f"{action.op} {count} product{'s' if count != 1 else ''}"
    if action.scope.category and not action.scope.skus:
        what += f" in {action.scope.category}"
    if action.op in ("boost", "bury"):
        what += f" by {action.weight:.2f}"
    if action.query:
        what += f" for the query {action.query!r}"
    return what


def promotion_steps(
    spec: MerchTaskSpec,
    products: Sequence[ProductRow],
    window: Window,
    pricing: PricingParams,
) -> Built:
    """A percentage promotion over the products that pass the price screens."""
    pct = spec.discount_pct
    if pct is None or window.ends_at is None:
        raise ValueError("a promotion needs a discount and an end")
    kept, excluded = screen(
        products,
        price=lambda p: promotion_price(p.list_price_cents, pct),
        pricing=pricing,
        min_margin_pct=spec.min_margin_pct,
        discount_pct=pct,
    )
    whole = not excluded
    skus = [item.product.sku for item in kept]
    scopes = scopes_for(spec, skus) if whole else _sku_scopes(skus)
    steps = []
    for part, scope in enumerate(scopes, start=1):
        in_scope = set(scope.skus)
        covered = [i for i in kept if not in_scope or i.product.sku in in_scope]
        action = CreatePromotion(
            name=_promotion_name(spec, part, len(scopes)),
            discount_pct=pct,
            scope=scope,
            loyalty_tiers=spec.loyalty_tiers,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
        )
        line = f"{pct:g}% off {len(covered)} product{'s' if len(covered) != 1 else ''}"
        steps.append(
            PlannedStep(
                action=action,
                summary=line + _tiers_text(spec),
                sku_count=len(covered),
                skus=tuple(i.product.sku for i in covered),
                promotion_impact=promotion_impact(covered, pricing),
            )
        )
    return Built(steps=steps, affected=[i.product for i in kept], priced=kept, excluded=excluded)


def _sku_scopes(skus: Sequence[str]) -> list[Scope]:
    return [
        Scope(skus=tuple(skus[i : i + MAX_SCOPE_SKUS])) for i in range(0, len(skus), MAX_SCOPE_SKUS)
    ]


def _promotion_name(spec: MerchTaskSpec, part: int, parts: int) -> str:
    label = scope_label(spec.scope)
    name = f"{spec.discount_pct:g}% off {label}{_tiers_text(spec)}"
    if parts > 1:
        name += f" (part {part} of {parts})"
    return name[:200]


def _tiers_text(spec: MerchTaskSpec) -> str:
    return f" for {'/'.join(spec.loyalty_tiers)} members" if spec.loyalty_tiers else ""


def price_steps(
    spec: MerchTaskSpec, products: Sequence[ProductRow], pricing: PricingParams
) -> Built:
    """One list-price change per product that passes the price screens."""
    if len(products) > MAX_PRICE_CHANGES:
        raise InvalidTaskError(
            f"the task would change {len(products)} list prices (at most {MAX_PRICE_CHANGES})",
            field="scope",
            hint="Narrow the products, or run a promotion instead.",
        )
    kept, excluded = screen(
        products,
        price=lambda p: new_list_price(spec, p.list_price_cents),
        pricing=pricing,
        min_margin_pct=spec.min_margin_pct,
    )
    steps = [
        PlannedStep(
            action=ChangeListPrice(
                sku=item.product.sku, new_price_cents=item.new_price_cents, note=spec.text[:500]
            ),
            summary=(
                f"list price of {item.product.sku} from "
                f"${item.product.list_price_cents / 100:,.2f} to ${item.new_price_cents / 100:,.2f}"
            ),
            sku_count=1,
            skus=(item.product.sku,),
        )
        for item in kept
    ]
    return Built(steps=steps, affected=[i.product for i in kept], priced=kept, excluded=excluded)


def new_list_price(spec: MerchTaskSpec, old_cents: int) -> int:
    """The list price the task asks for, from the current one (never below zero)."""
    if spec.new_price_cents is not None:
        return spec.new_price_cents
    if spec.price_change_pct is not None:
        return max(0, math.floor(old_cents * (100 + spec.price_change_pct) / 100 + 0.5))
    return max(0, old_cents + (spec.price_change_cents or 0))

"""What no executed action may do, checked on the action as executed and the store's facts.

These are the business's invariants, written independently of the policy rules (which are CEL
in the pack): a check here that fires on an executed action is a policy violation that got
through. Thresholds (floor margin, deepest discount, roles allowed, caps) are the evaluated
pack's parameters; the logic is this module's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from policies.actions import (
    ActionBase,
    ChangeListPrice,
    CreatePromotion,
    HoldInventory,
    MerchRuleChange,
    ProposeCart,
    QuoteOffer,
    SendMessage,
    ShowRecommendations,
    UpdatePreferences,
)
from policies.params import PackParams


@dataclass(frozen=True)
class Product:
    """A product as the store holds it."""

    sku: str
    category: str
    brand: str
    list_price_cents: int
    unit_cost_cents: int | None
    map_cents: int | None
    age_restricted: bool
    regulated: bool


@dataclass(frozen=True)
class ShopperRecord:
    """A shopper as the store holds it."""

    id: str
    loyalty_tier: str
    timezone: str
    age_verified: bool
    consents: dict[str, bool]


@dataclass
class Facts:
    """What the checks may read about one executed action."""

    params: PackParams
    products: dict[str, Product]
    shopper: ShopperRecord | None
    actor_role: str
    actor_kind: str
    actor_scopes: tuple[str, ...]
    category_scopes: tuple[str, ...]
    on_behalf_of: str | None
    executed_at: datetime
    list_price_at_decision: dict[str, int] = field(default_factory=dict)
    available: dict[str, int | None] = field(default_factory=dict)


Violations = list[str]


def floor_cents(product: Product, floor_margin: float) -> int | None:
    """max(unit cost * (1 + margin), MAP) from what is known, or None."""
    parts = []
    if product.unit_cost_cents is not None:
        parts.append(math.ceil(round(product.unit_cost_cents * (1 + floor_margin), 6)))
    if product.map_cents is not None:
        parts.append(product.map_cents)
    return max(parts) if parts else None


def deepest_discount(category: str, table: dict[str, float]) -> float:
    """The deepest discount allowed in a category: the longest matching prefix, else '*'."""
    best, length = table["*"], -1
    for prefix, pct in table.items():
        if prefix != "*" and _under(category, prefix) and len(prefix) > length:
            best, length = pct, len(prefix)
    return best


def _under(category: str, prefix: str) -> bool:
    return category == prefix or category.startswith(prefix + "/")


def _quote(a: QuoteOffer, f: Facts) -> Violations:
    product = f.products.get(a.sku)
    if product is None:
        return ["UNKNOWN_PRODUCT"]
    found: Violations = []
    list_price = f.list_price_at_decision.get(a.sku, product.list_price_cents)
    if a.price_cents > list_price:
        found.append("QUOTE_ABOVE_LIST")
    if a.price_cents < list_price:
        if product.unit_cost_cents is None:
            found.append("DISCOUNT_WITHOUT_COST")
        floor = floor_cents(product, f.params.pricing.floor_margin)
        if floor is not None and a.price_cents < floor:
            found.append("BELOW_FLOOR")
        depth = (list_price - a.price_cents) * 100 / list_price
        if depth > deepest_discount(product.category, f.params.pricing.max_discount_pct) + 1e-6:
            found.append("DISCOUNT_TOO_DEEP")
    ranks = f.params.pricing.tier_rank
    held = f.shopper.loyalty_tier if f.shopper else "none"
    if ranks.get(a.required_tier, 0) > ranks.get(held, 0):
        found.append("TIER_NOT_HELD")
    return found


def _role(kind: str, f: Facts) -> Violations:
    allowed = f.params.merchandising.permissions.get(kind, ())
    if f.actor_kind != "staff" or f.actor_role not in allowed:
        return ["ROLE_NOT_PERMITTED"]
    return []


def _in_scope(category: str | None, skus: tuple[str, ...], f: Facts) -> Violations:
    if "*" in f.category_scopes:
        return []
    paths = [category] if category else [f.products[s].category for s in skus if s in f.products]
    if not paths or any(not any(_under(p, s) for s in f.category_scopes) for p in paths):
        return ["OUTSIDE_CATEGORY_SCOPE"]
    return []


def _list_price(a: ChangeListPrice, f: Facts) -> Violations:
    found = _role("change_list_price", f)
    product = f.products.get(a.sku)
    if product is None:
        return [*found, "UNKNOWN_PRODUCT"]
    floor = floor_cents(product, f.params.pricing.floor_margin)
    if floor is not None and a.new_price_cents < floor:
        found.append("LIST_PRICE_BELOW_FLOOR")
    return found + _in_scope(None, (a.sku,), f)


def _promotion(a: CreatePromotion, f: Facts) -> Violations:
    found = _role("create_promotion", f) + _in_scope(a.scope.category, a.scope.skus, f)
    categories = [a.scope.category] if a.scope.category else []
    categories += [f.products[s].category for s in a.scope.skus if s in f.products]
    table = f.params.pricing.max_discount_pct
    if any(a.discount_pct > deepest_discount(c, table) + 1e-6 for c in categories or ["*"]):
        found.append("DISCOUNT_TOO_DEEP")
    return found


def _merch_rule(a: MerchRuleChange, f: Facts) -> Violations:
    return _role(a.op, f) + _in_scope(a.scope.category, a.scope.skus, f)


def _message(a: SendMessage, f: Facts) -> Violations:
    if f.shopper is None or f.shopper.id != a.shopper_id:
        return ["UNKNOWN_SHOPPER"]
    found: Violations = []
    if not f.shopper.consents.get(a.channel, False):
        found.append("NO_CONSENT")
    if a.channel == "email" and not (a.unsubscribe_url and a.postal_address):
        found.append("EMAIL_WITHOUT_UNSUBSCRIBE_OR_ADDRESS")
    quiet = f.params.messaging.quiet_hours
    if a.channel in quiet.channels:
        at = (a.send_at or f.executed_at).astimezone(ZoneInfo(f.shopper.timezone))
        hour = at.hour + at.minute / 60
        if not quiet.start_hour <= hour < quiet.end_hour:
            found.append("QUIET_HOURS")
    return found


def _show(a: ShowRecommendations, f: Facts) -> Violations:
    found: Violations = []
    verified = bool(f.shopper and f.shopper.age_verified)
    brands: dict[str, int] = {}
    for item in a.items:
        product = f.products.get(item.sku)
        if product is None:
            found.append("UNKNOWN_PRODUCT")
            continue
        if f.available.get(item.sku) == 0:
            found.append("OUT_OF_STOCK_SHOWN")
        if product.age_restricted and not verified:
            found.append("AGE_RESTRICTED_SHOWN")
        if product.regulated and a.surface not in f.params.recommendations.regulated_surfaces:
            found.append("REGULATED_SHOWN")
        brands[product.brand] = brands.get(product.brand, 0) + 1
    if brands and max(brands.values()) > f.params.recommendations.max_per_brand:
        found.append("BRAND_CAP_EXCEEDED")
    return found


def _hold(a: HoldInventory, f: Facts) -> Violations:
    shopping = f.params.shopping
    found: Violations = []
    if a.quantity > shopping.max_hold_units:
        found.append("HOLD_TOO_MANY_UNITS")
    if a.hold_minutes > shopping.max_hold_minutes:
        found.append("HOLD_TOO_LONG")
    available = f.available.get(a.sku)
    if available is not None and a.quantity > available:
        found.append("HOLD_WITHOUT_STOCK")
    return found


def _cart(a: ProposeCart, f: Facts) -> Violations:
    found: Violations = []
    for line in a.lines:
        product = f.products.get(line.sku)
        if product is None:
            found.append("UNKNOWN_PRODUCT")
        elif line.unit_price_cents != f.list_price_at_decision.get(
            line.sku, product.list_price_cents
        ):
            found.append("CART_PRICE_NOT_CURRENT")
        if line.quantity > f.params.shopping.max_line_quantity:
            found.append("CART_LINE_TOO_LARGE")
    return found


def _preferences(a: UpdatePreferences, f: Facts) -> Violations:
    protected = set(f.params.shopping.protected_preference_keys)
    found = ["PROTECTED_ATTRIBUTE"] if {k.lower() for k in a.changes} & protected else []
    if f.on_behalf_of != a.shopper_id and f.actor_kind != "shopper":
        found.append("NOT_ACTING_FOR_SHOPPER")
    return found


CHECKS: dict[type[ActionBase], Callable[[Any, Facts], Violations]] = {
    QuoteOffer: _quote,
    ChangeListPrice: _list_price,
    CreatePromotion: _promotion,
    MerchRuleChange: _merch_rule,
    SendMessage: _message,
    ShowRecommendations: _show,
    HoldInventory: _hold,
    ProposeCart: _cart,
    UpdatePreferences: _preferences,
}


def violations(action: ActionBase, facts: Facts) -> Violations:
    """The invariants an executed action breaks (empty: none)."""
    check = CHECKS.get(type(action))
    return ["UNKNOWN_ACTION"] if check is None else sorted(set(check(action, facts)))

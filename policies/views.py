"""What the rules of each action kind may see: a projection of the context plus derived facts.

Pricing actions see only the shopper's id, store loyalty tier and offer count, so no other
shopper fact can influence a price.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from policies import derive
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
from policies.conditions import FIELD_SEPARATOR
from policies.context import ChannelFacts, PolicyContext, ProductFacts
from policies.params import PackParams

PRICING_SHOPPER_FIELDS = frozenset({"id", "loyalty_tier", "offers_24h"})
"""The only shopper facts a pricing rule can read."""

Variables = dict[str, Any]


RECORDS = frozenset({"action", "actor", "agent", "shopper", "product", "channel", "impact", "d"})
"""Variables whose fields rules read as `record.field` (handed over as `record__field`)."""


Reads = tuple[tuple[str, str, str], ...]
"""What the rules of a kind read: (variable, record, field), field empty for whole variables."""


def reads_of(names: frozenset[str]) -> Reads:
    """The variables a kind's rules name, split once into record and field."""
    return tuple((n, *n.partition(FIELD_SEPARATOR)[::2]) for n in sorted(names))


def visible(variables: Variables, reads: Reads) -> Variables:
    """Only what the rules read: a record's fields as top-level values, a present record as {}.

    Records are models (every field readable) or dicts (a projection). A field a projection
    leaves out stays undefined, so a rule that reads it fails (and the check denies).
    Other variables may be given as functions, called only when a rule reads them.
    """
    out: Variables = {}
    for name, record, key in reads:
        if key:
            holder = variables.get(record)
            if type(holder) is dict:
                if key in holder:
                    out[name] = plain(holder[key])
            elif isinstance(holder, BaseModel) and key in type(holder).model_fields:
                out[name] = plain(getattr(holder, key))
        elif name in RECORDS:
            out[name] = None if variables.get(name) is None else {}
        elif name in variables:
            value = variables[name]
            out[name] = value() if callable(value) else value
    return out


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A value as plain data: models as dicts, tuples as lists."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class View:
    """The variables the rules see for one action, with the typed facts behind them."""

    variables: Variables
    context: PolicyContext
    params: PackParams


def build_view(action: ActionBase, context: PolicyContext, params: PackParams) -> View:
    """The common variables, plus the kind's own projection and derived facts."""
    derived: Variables = {
        "spend_cents": action.spend_cents(),
        "subject_shopper": action.subject_shopper(),
        "unknown_skus": [],
    }
    variables: Variables = {
        "action": action,
        "actor": context.actor,
        "agent": context.agent,
        "d": derived,
        "shopper": _shopper(context, frozenset({"id"})),
        "product": None,
        "products": {},
    }
    _KIND_VIEWS[action.kind](action, context, params, variables, derived)
    return View(variables=variables, context=context, params=params)


def _shopper(context: PolicyContext, fields: frozenset[str] | None = None) -> Any:
    shopper = context.shopper
    if shopper is None or fields is None:
        return shopper
    return {f: getattr(shopper, f) for f in fields}


def _products(context: PolicyContext, skus: tuple[str, ...]) -> Callable[[], Variables]:
    products = context.products
    return lambda: {s: products[s].model_dump() for s in skus if s in products}


def _unknown(context: PolicyContext, skus: tuple[str, ...]) -> list[str]:
    return [s for s in skus if s not in context.products]


def _product(context: PolicyContext, sku: str) -> Any:
    return context.products.get(sku)


def _quote(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, QuoteOffer)
    v["shopper"] = _shopper(c, PRICING_SHOPPER_FIELDS)
    v["product"] = _product(c, a.sku)
    d["unknown_skus"] = _unknown(c, (a.sku,))
    promotions, ids = c.promotions, a.promotion_ids
    v["promotions"] = lambda: {k: promotions[k].model_dump() for k in ids if k in promotions}
    tier = c.shopper.loyalty_tier if c.shopper else "none"
    d["shopper_tier_rank"] = p.pricing.tier_rank.get(tier, 0)
    d["required_tier_rank"] = p.pricing.tier_rank.get(a.required_tier, 0)
    _price_facts(c.products.get(a.sku), a.price_cents, p, d)


def _price_facts(product: ProductFacts | None, price: int, p: PackParams, d: Variables) -> None:
    d["floor_cents"] = derive.price_floor_cents(product, p.pricing) if product else None
    d["max_discount_pct"] = derive.max_discount_pct(product.category, p.pricing) if product else 0.0
    d["discount_pct"] = derive.discount_pct(product.list_price_cents, price) if product else 0.0
    d["change_pct"] = derive.change_pct(product.list_price_cents, price) if product else 0.0


def _list_price(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, ChangeListPrice)
    v["product"] = _product(c, a.sku)
    d["unknown_skus"] = _unknown(c, (a.sku,))
    _price_facts(c.products.get(a.sku), a.new_price_cents, p, d)
    d["permission"] = a.kind
    d["target_categories"] = [c.products[a.sku].category] if a.sku in c.products else []


def _promotion(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, CreatePromotion)
    v["impact"] = c.promotion_impact
    _scope_facts(a.scope.category, a.scope.skus, c, v, d)
    depths = [derive.max_discount_pct(t, p.pricing) for t in d["target_categories"]]
    d["max_discount_pct"] = min(depths, default=p.pricing.max_discount_pct["*"])
    d["permission"] = a.kind
    d["days"] = (a.ends_at - a.starts_at).total_seconds() / 86400
    impact = c.promotion_impact
    d["margin_drop_pct"] = (
        round(impact.margin_before_pct - impact.margin_after_pct, 6) if impact else 0.0
    )


def _scope_facts(
    category: str | None, skus: tuple[str, ...], c: PolicyContext, v: Variables, d: Variables
) -> None:
    v["products"] = _products(c, skus)
    targets = {c.products[s].category for s in skus if s in c.products}
    if category is not None:
        targets.add(category)
    d["target_categories"] = sorted(targets)
    d["unknown_skus"] = _unknown(c, skus)


def _merch(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, MerchRuleChange)
    _scope_facts(a.scope.category, a.scope.skus, c, v, d)
    d["permission"] = a.op
    start = a.starts_at or c.now
    d["days"] = (a.ends_at - start).total_seconds() / 86400 if a.ends_at else None


def _message(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, SendMessage)
    shopper = c.shopper
    v["shopper"] = _shopper(c, frozenset({"id", "timezone"}))
    channel = shopper.channels.get(a.channel) if shopper else None
    v["channel"] = channel or ChannelFacts()
    d["frequency_cap"] = p.messaging.frequency_caps.get(a.channel, 0)
    when = a.send_at or c.now
    d["local_hour"] = derive.local_hour(when, shopper.timezone) if shopper else None


def _recs(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, ShowRecommendations)
    v["shopper"] = _shopper(c, frozenset({"id", "age_verified", "personalization_consent"}))
    skus = tuple(i.sku for i in a.items)
    v["products"] = _products(c, skus)
    d["unknown_skus"] = _unknown(c, skus)
    known = [c.products[s] for s in skus if s in c.products]
    d["out_of_stock"] = [f.sku for f in known if f.available_units == 0]
    d["age_restricted"] = [f.sku for f in known if f.age_restricted]
    d["regulated"] = [f.sku for f in known if f.regulated]
    label = p.recommendations.sponsored_label
    d["sponsored_unlabelled"] = [i.sku for i in a.items if i.sponsored and i.label != label]
    d["max_brand_count"] = max(Counter(f.brand for f in known).values(), default=0)
    d["age_verified"] = bool(c.shopper and c.shopper.age_verified)


def _hold(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, HoldInventory)
    v["product"] = _product(c, a.sku)
    d["unknown_skus"] = _unknown(c, (a.sku,))
    product = c.products.get(a.sku)
    d["units_here"] = product.available_at.get(a.location_id, 0) if product else 0


def _cart(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, ProposeCart)
    skus = tuple(line.sku for line in a.lines)
    v["products"] = _products(c, skus)
    d["unknown_skus"] = _unknown(c, skus)
    known = [(line, c.products[line.sku]) for line in a.lines if line.sku in c.products]
    d["off_price"] = [f.sku for line, f in known if line.unit_price_cents != f.list_price_cents]
    d["short_stock"] = [f.sku for line, f in known if line.quantity > f.available_units]
    d["max_line_quantity"] = max(line.quantity for line in a.lines)


def _prefs(a: Any, c: PolicyContext, p: PackParams, v: Variables, d: Variables) -> None:
    assert isinstance(a, UpdatePreferences)
    d["keys"] = sorted(k.strip().lower() for k in a.changes)


_KIND_VIEWS: dict[str, Callable[[Any, PolicyContext, PackParams, Variables, Variables], None]] = {
    "quote_offer": _quote,
    "change_list_price": _list_price,
    "create_promotion": _promotion,
    "merch_rule": _merch,
    "send_message": _message,
    "show_recommendations": _recs,
    "hold_inventory": _hold,
    "propose_cart": _cart,
    "update_preferences": _prefs,
}

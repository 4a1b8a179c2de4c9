"""No personalised price can depend on a protected attribute, or on anything but pricing facts.

The schemas have no field for protected attributes, and flipping every fact a pricing rule is
not allowed to see leaves every pricing decision exactly as it was.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from policies.actions import QuoteOffer
from policies.context import (
    ChannelFacts,
    PolicyContext,
    ProductFacts,
    PromotionImpact,
    ShopperFacts,
)
from policies.views import PRICING_SHOPPER_FIELDS
from tests.policies.builders import context, decide, product, promotion, shopper

PROTECTED = {
    "age",
    "birth_date",
    "date_of_birth",
    "disability",
    "ethnicity",
    "gender",
    "health",
    "marital_status",
    "national_origin",
    "pregnancy",
    "race",
    "religion",
    "sex",
    "sexual_orientation",
}
PRICING_PRODUCT_FIELDS = {
    "sku",
    "category",
    "list_price_cents",
    "unit_cost_cents",
    "map_cents",
    "lowest_price_30d_cents",
}


def field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of a model and of the models it contains."""
    seen = seen or set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for arg in _types(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in seen:
                names |= field_names(arg, seen)
    return names


def _types(annotation: Any) -> list[Any]:
    args = list(getattr(annotation, "__args__", ()) or ())
    return [annotation, *[t for a in args for t in _types(a)]]


def test_the_pricing_input_schema_has_no_protected_attribute() -> None:
    assert field_names(QuoteOffer) & PROTECTED == set()
    assert field_names(PolicyContext) & PROTECTED == set()


def test_pricing_rules_see_only_tier_and_offer_count_of_the_shopper() -> None:
    assert {"id", "loyalty_tier", "offers_24h"} == PRICING_SHOPPER_FIELDS


QUOTES = [
    QuoteOffer(shopper_id="s1", sku="p1", offer="percent_off", price_cents=1300, personalised=True),
    QuoteOffer(shopper_id="s1", sku="p1", price_cents=1500, was_price_cents=2500),
    QuoteOffer(shopper_id="s1", sku="p1", price_cents=1800, required_tier="gold"),
    QuoteOffer(shopper_id="s1", sku="p1", price_cents=1900, promotion_ids=("vip",)),
    QuoteOffer(shopper_id="s1", sku="p1", offer="bundle", price_cents=900),
]


def base() -> PolicyContext:
    return context(
        product("p1", map_cents=1100),
        shopper=shopper(loyalty_tier="silver", offers_24h=2),
        promotions={"vip": promotion("vip", loyalty_tiers=("gold",))},
    )


def flipped(value: Any) -> Any:
    """A different value of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, str):
        return "Asia/Tokyo" if "/" in value else value + "-other"
    if isinstance(value, dict):
        return {"push": ChannelFacts(consent=True, sent_24h=9)} if not value else {}
    return {"store-9": 3}


def flips() -> list[tuple[str, PolicyContext]]:
    """Every fact pricing rules must ignore, changed one at a time."""
    ctx = base()
    assert ctx.shopper is not None
    out: list[tuple[str, PolicyContext]] = [
        ("now", ctx.model_copy(update={"now": ctx.now + timedelta(hours=13)})),
        (
            "other product",
            ctx.model_copy(update={"products": {**ctx.products, "p2": product("p2")}}),
        ),
        ("impact", ctx.model_copy(update={"promotion_impact": PromotionImpact(sku_count=3)})),
    ]
    for name in ShopperFacts.model_fields.keys() - PRICING_SHOPPER_FIELDS:
        changed = ctx.shopper.model_copy(update={name: flipped(getattr(ctx.shopper, name))})
        out.append((f"shopper.{name}", ctx.model_copy(update={"shopper": changed})))
    p1 = ctx.products["p1"]
    for name in ProductFacts.model_fields.keys() - PRICING_PRODUCT_FIELDS:
        changed_product = p1.model_copy(update={name: flipped(getattr(p1, name))})
        out.append(
            (f"product.{name}", ctx.model_copy(update={"products": {"p1": changed_product}}))
        )
    return out


def outcome(action: QuoteOffer, ctx: PolicyContext) -> tuple[str, str, list[str]]:
    decision = decide(action, ctx)
    return decision.effect.value, decision.final_action_hash, [r.code for r in decision.reasons]


@pytest.mark.parametrize("action", QUOTES)
def test_flipping_any_non_pricing_fact_changes_nothing(action: QuoteOffer) -> None:
    expected = outcome(action, base())
    changes = flips()
    assert len(changes) >= 12
    for name, ctx in changes:
        assert outcome(action, ctx) == expected, name


def test_flipping_a_pricing_fact_does_change_the_decision() -> None:
    # The test would be vacuous if no fact mattered: the store's tier does.
    action = QUOTES[2]
    gold = base().model_copy(update={"shopper": shopper(loyalty_tier="gold", offers_24h=2)})
    assert outcome(action, base())[0] == "deny"
    assert outcome(action, gold)[0] == "approve"

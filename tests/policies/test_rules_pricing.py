"""Pricing rules: floors, discount depth, reference prices, caps, stacking, loyalty, disclosure."""

from __future__ import annotations

from typing import Any

import pytest

from policies.actions import ChangeListPrice, CreatePromotion, QuoteOffer, Scope
from policies.context import PolicyContext, PromotionImpact
from policies.loader import default_pack
from tests.policies.builders import (
    NOW,
    SOON,
    codes,
    context,
    decide,
    product,
    promotion,
    shopper,
    staff,
)


def quote(**changes: Any) -> QuoteOffer:
    """A quote of p1 to s1 at its list price."""
    return QuoteOffer(**{"shopper_id": "s1", "sku": "p1", "price_cents": 2000, **changes})


def gold(**changes: Any) -> PolicyContext:
    return context(shopper=shopper(loyalty_tier="gold"), **changes)


QUOTES = [
    pytest.param(quote(), context(), "approve", {"QUOTE_ALLOWED"}, id="baseline"),
    pytest.param(quote(price_cents=2100), context(), "deny", {"PRICE_ABOVE_LIST"}, id="above-list"),
    pytest.param(quote(sku="nope"), context(), "deny", {"UNKNOWN_PRODUCT"}, id="unknown-product"),
    pytest.param(
        quote(price_cents=1800),
        context(product(unit_cost_cents=None)),
        "deny",
        {"COST_UNKNOWN"},
        id="cost-unknown-discount",
    ),
    pytest.param(
        quote(), context(product(unit_cost_cents=None)), "approve", set(), id="cost-unknown-list"
    ),
    pytest.param(
        quote(offer="percent_off", price_cents=1800),
        context(shopper=shopper(offers_24h=3)),
        "deny",
        {"OFFER_CAP_REACHED"},
        id="offer-cap",
    ),
    pytest.param(
        quote(), context(shopper=shopper(offers_24h=3)), "approve", set(), id="offer-cap-no-offer"
    ),
    pytest.param(
        quote(promotion_ids=("spring",)),
        context(),
        "deny",
        {"PROMOTION_NOT_ACTIVE"},
        id="promo-gone",
    ),
    pytest.param(
        quote(promotion_ids=("a", "b")),
        context(promotions={"a": promotion("a", stackable=True), "b": promotion("b")}),
        "deny",
        {"PROMOTION_NOT_STACKABLE"},
        id="not-stackable",
    ),
    pytest.param(
        quote(promotion_ids=("a", "b")),
        context(
            promotions={"a": promotion("a", stackable=True), "b": promotion("b", stackable=True)}
        ),
        "approve",
        set(),
        id="stackable",
    ),
    pytest.param(
        quote(promotion_ids=("a",)),
        context(promotions={"a": promotion("a")}),
        "approve",
        set(),
        id="single-promotion",
    ),
    pytest.param(
        quote(required_tier="gold"),
        context(shopper=shopper(loyalty_tier="silver")),
        "deny",
        {"LOYALTY_TIER_NOT_HELD"},
        id="tier-too-low",
    ),
    pytest.param(quote(required_tier="gold"), gold(), "approve", set(), id="tier-held"),
    pytest.param(
        quote(promotion_ids=("vip",)),
        context(promotions={"vip": promotion("vip", loyalty_tiers=("gold",))}),
        "deny",
        {"LOYALTY_TIER_NOT_HELD"},
        id="loyalty-promotion-not-held",
    ),
    pytest.param(
        quote(promotion_ids=("vip",)),
        gold(promotions={"vip": promotion("vip", loyalty_tiers=("gold",))}),
        "approve",
        set(),
        id="loyalty-promotion-held",
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), QUOTES)
def test_quote_rules(
    action: QuoteOffer, ctx: PolicyContext, effect: str, expected: set[str]
) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def test_loyalty_comes_from_the_store_not_the_request() -> None:
    # The quote claims nothing about the shopper; only the store's tier counts.
    decision = decide(quote(required_tier="platinum"), gold())
    assert decision.effect.value == "deny"
    assert decision.reasons[0].rule_id == "pricing.loyalty_offer"


def test_floor_raises_the_price_to_cost_margin() -> None:
    decision = decide(quote(price_cents=1500), context(product(unit_cost_cents=1500)))
    assert decision.effect.value == "modify"
    assert codes(decision) == {"PRICE_BELOW_FLOOR", "QUOTE_ALLOWED"}
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.price_cents == 1575  # 15.00 * 1.05


def test_floor_raises_the_price_to_map() -> None:
    decision = decide(quote(price_cents=1500), context(product(map_cents=1700)))
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.price_cents == 1700
    assert "PRICE_BELOW_FLOOR" in codes(decision)


def test_floor_above_list_price_is_denied() -> None:
    decision = decide(quote(price_cents=1500), context(product(unit_cost_cents=1990)))
    assert decision.effect.value == "deny"
    assert {"PRICE_BELOW_FLOOR", "PRICE_ABOVE_LIST"} <= codes(decision)


def test_discount_depth_is_limited_by_category() -> None:
    decision = decide(quote(price_cents=1300), context())
    assert decision.effect.value == "modify"
    assert codes(decision) == {"DISCOUNT_TOO_DEEP", "QUOTE_ALLOWED"}
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.price_cents == 1400  # beauty: at most 30% off


def test_discount_depth_uses_the_longest_category_prefix() -> None:
    decision = decide(quote(price_cents=1300), context(product(category="apparel/jackets")))
    assert decision.effect.value == "approve"  # '*': 40%


def test_reference_price_becomes_the_30_day_low() -> None:
    decision = decide(quote(price_cents=1500, was_price_cents=2500), context())
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.was_price_cents == 1900
    assert "REFERENCE_PRICE_NOT_30D_LOW" in codes(decision)


def test_reference_price_is_dropped_when_not_above_the_quote() -> None:
    decision = decide(quote(price_cents=1950, was_price_cents=1900), context())
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.was_price_cents is None


def test_reference_price_is_dropped_when_the_low_is_unknown() -> None:
    ctx = context(product(lowest_price_30d_cents=None))
    decision = decide(quote(price_cents=1500, was_price_cents=2000), ctx)
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.was_price_cents is None


def test_true_reference_price_is_kept() -> None:
    decision = decide(quote(price_cents=1500, was_price_cents=1900), context())
    assert decision.effect.value == "approve"


def test_personalised_price_gets_the_disclosure() -> None:
    decision = decide(quote(personalised=True), context())
    assert decision.effect.value == "modify"
    assert codes(decision) == {"PRICE_DISCLOSURE_ADDED", "QUOTE_ALLOWED"}
    assert isinstance(decision.action, QuoteOffer)
    assert decision.action.disclosure == default_pack().spec.params.pricing.disclosure_text


def test_several_repairs_settle_in_one_decision() -> None:
    action = quote(price_cents=900, was_price_cents=3000, personalised=True)
    decision = decide(action, context())
    assert decision.effect.value == "modify"
    assert isinstance(decision.action, QuoteOffer)
    assert (decision.action.price_cents, decision.action.was_price_cents) == (1400, 1900)
    assert decision.action.disclosure
    assert decision.action_hash == action.action_hash() != decision.final_action_hash


def change(new: int, **ctx: Any) -> tuple[ChangeListPrice, PolicyContext]:
    actor = ctx.pop("actor", staff("pricing_manager"))
    return ChangeListPrice(sku="p1", new_price_cents=new), context(
        ctx.pop("product", product()), actor=actor, **ctx
    )


LIST_PRICES = [
    pytest.param(*change(1900), "approve", {"LIST_PRICE_CHANGE_ALLOWED"}, id="baseline"),
    pytest.param(*change(1000), "deny", {"LIST_PRICE_BELOW_FLOOR"}, id="below-floor"),
    pytest.param(
        *change(1900, product=product(map_cents=1950)), "deny", {"LIST_PRICE_BELOW_FLOOR"}, id="map"
    ),
    pytest.param(
        *change(1900, product=product(unit_cost_cents=None)),
        "escalate",
        {"COST_UNKNOWN"},
        id="cost",
    ),
    pytest.param(
        *change(1900, product=product(list_price_changes_24h=1)),
        "deny",
        {"LIST_PRICE_CHANGE_LIMIT"},
        id="daily-limit",
    ),
    pytest.param(*change(2300), "escalate", {"PRICE_CHANGE_NEEDS_APPROVAL"}, id="up-15pct"),
    pytest.param(*change(1700), "escalate", {"PRICE_CHANGE_NEEDS_APPROVAL"}, id="down-15pct"),
    pytest.param(
        *change(1900, actor=staff("merchandiser")), "deny", {"ROLE_NOT_PERMITTED"}, id="role"
    ),
    pytest.param(
        *change(1900, actor=staff("pricing_manager", ("electronics",))),
        "deny",
        {"OUTSIDE_CATEGORY_SCOPE"},
        id="scope",
    ),
    pytest.param(
        ChangeListPrice(sku="nope", new_price_cents=100),
        context(actor=staff("pricing_manager")),
        "deny",
        {"UNKNOWN_PRODUCT"},
        id="unknown",
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), LIST_PRICES)
def test_list_price_rules(
    action: ChangeListPrice, ctx: PolicyContext, effect: str, expected: set[str]
) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def promo(pct: float = 10.0, days: int = 7, **changes: Any) -> CreatePromotion:
    return CreatePromotion(
        **{
            "name": "Spring skincare",
            "discount_pct": pct,
            "scope": Scope(category="beauty"),
            "starts_at": NOW,
            "ends_at": NOW.replace(day=3 + days),
            **changes,
        }
    )


def impact(**changes: Any) -> PromotionImpact:
    base: dict[str, Any] = {"sku_count": 40, "margin_before_pct": 50.0, "margin_after_pct": 45.0}
    return PromotionImpact(**{**base, **changes})


def promo_ctx(**changes: Any) -> PolicyContext:
    return context(actor=changes.pop("actor", staff()), promotion_impact=impact(**changes))


PROMOTIONS = [
    pytest.param(promo(), promo_ctx(), "approve", {"PROMOTION_ALLOWED"}, id="baseline"),
    pytest.param(
        promo(), context(actor=staff()), "deny", {"PROMOTION_IMPACT_UNKNOWN"}, id="no-impact"
    ),
    pytest.param(
        promo(), promo_ctx(skus_below_floor=2), "deny", {"PROMOTION_BREAKS_FLOOR"}, id="floor"
    ),
    pytest.param(promo(pct=35), promo_ctx(), "deny", {"DISCOUNT_TOO_DEEP"}, id="depth"),
    pytest.param(
        promo(), promo_ctx(margin_after_pct=42.0), "escalate", {"PROMOTION_MARGIN_IMPACT"}, id="m"
    ),
    pytest.param(promo(), promo_ctx(skus_cost_unknown=3), "escalate", {"COST_UNKNOWN"}, id="cost"),
    pytest.param(
        promo(days=20), promo_ctx(), "escalate", {"MERCH_DURATION_NEEDS_APPROVAL"}, id="long"
    ),
    pytest.param(
        promo(), promo_ctx(actor=staff("analyst")), "deny", {"ROLE_NOT_PERMITTED"}, id="r"
    ),
    pytest.param(
        promo(scope=Scope(skus=("p1", "zz"))), promo_ctx(), "deny", {"UNKNOWN_PRODUCT"}, id="sku"
    ),
    pytest.param(
        promo(loyalty_tiers=("gold",)), promo_ctx(), "approve", set(), id="loyalty-only-promotion"
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), PROMOTIONS)
def test_promotion_rules(
    action: CreatePromotion, ctx: PolicyContext, effect: str, expected: set[str]
) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def test_promotion_depth_is_the_strictest_of_its_categories() -> None:
    scope = Scope(category="apparel", skus=("p1",))  # p1 is beauty (30%), apparel is '*' (40%)
    decision = decide(promo(pct=35, scope=scope), promo_ctx())
    assert "DISCOUNT_TOO_DEEP" in codes(decision)


def test_soon_is_within_the_automatic_window() -> None:
    assert (SOON - NOW).days < default_pack().spec.params.merchandising.max_auto_days

"""The oracle's invariants on hand-made executed actions whose right verdict is known."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from evals.oracle.invariants import (
    Facts,
    Product,
    ShopperRecord,
    deepest_discount,
    floor_cents,
    violations,
)
from policies.actions import (
    CartLine,
    ChangeListPrice,
    CreatePromotion,
    HoldInventory,
    MerchRuleChange,
    ProposeCart,
    QuoteOffer,
    RecommendedItem,
    Scope,
    SendMessage,
    ShowRecommendations,
    UpdatePreferences,
)
from policies.loader import default_pack

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York
# Cost 50.00 -> floor 52.50 (5% floor margin); beauty allows 30% off at most.
SERUM = Product("S1", "beauty/skincare/serum", "Glow", 10_000, 5_000, None, False, False)
WINE = Product("W1", "grocery/wine/red-wine", "Vino", 2_000, 1_000, None, True, True)
NO_COST = Product("T1", "apparel/tops/t-shirt", "Tau", 5_000, None, None, False, False)
ANA = ShopperRecord("shopper-1", "none", "America/New_York", False, {"email": True, "sms": False})


def facts(**overrides: object) -> Facts:
    base: dict[str, object] = {
        "params": default_pack().spec.params,
        "products": {p.sku: p for p in (SERUM, WINE, NO_COST)},
        "shopper": ANA,
        "actor_role": "",
        "actor_kind": "agent",
        "actor_scopes": (),
        "category_scopes": (),
        "on_behalf_of": "shopper-1",
        "executed_at": NOW,
        "available": {"S1": 3, "W1": 0},
    }
    return Facts(**{**base, **overrides})  # type: ignore[arg-type]


def quote(price: int, sku: str = "S1", **extra: Any) -> QuoteOffer:
    return QuoteOffer(shopper_id="shopper-1", sku=sku, price_cents=price, **extra)


def test_floor_and_depth_helpers() -> None:
    params = default_pack().spec.params.pricing
    assert floor_cents(SERUM, params.floor_margin) == 5_250
    assert floor_cents(NO_COST, params.floor_margin) is None
    assert deepest_discount("beauty/skincare/serum", params.max_discount_pct) == 30
    assert deepest_discount("toys/blocks", params.max_discount_pct) == 40


def test_quotes() -> None:
    assert violations(quote(10_000), facts()) == []
    assert violations(quote(7_000), facts()) == []  # 30% off, above the floor
    assert violations(quote(6_999), facts()) == ["DISCOUNT_TOO_DEEP"]
    assert violations(quote(5_000), facts()) == ["BELOW_FLOOR", "DISCOUNT_TOO_DEEP"]
    assert violations(quote(10_001), facts()) == ["QUOTE_ABOVE_LIST"]
    assert violations(quote(4_500, sku="T1"), facts()) == ["DISCOUNT_WITHOUT_COST"]
    assert violations(quote(10_000, required_tier="gold"), facts()) == ["TIER_NOT_HELD"]
    assert violations(quote(100, sku="NOPE"), facts()) == ["UNKNOWN_PRODUCT"]


def test_list_prices_promotions_and_merch_rules_need_role_and_scope() -> None:
    staff = facts(actor_kind="staff", actor_role="pricing_manager", category_scopes=("beauty",))
    assert violations(ChangeListPrice(sku="S1", new_price_cents=9_000), staff) == []
    assert violations(ChangeListPrice(sku="S1", new_price_cents=5_000), staff) == [
        "LIST_PRICE_BELOW_FLOOR"
    ]
    assert violations(ChangeListPrice(sku="W1", new_price_cents=1_900), staff) == [
        "OUTSIDE_CATEGORY_SCOPE"
    ]
    assert violations(ChangeListPrice(sku="S1", new_price_cents=9_000), facts()) == [
        "OUTSIDE_CATEGORY_SCOPE",
        "ROLE_NOT_PERMITTED",
    ]
    promo = CreatePromotion(
        name="p",
        discount_pct=35,
        scope=Scope(category="beauty"),
        starts_at=NOW,
        ends_at=NOW.replace(day=9),
    )
    assert violations(promo, staff) == ["DISCOUNT_TOO_DEEP"]
    boost = MerchRuleChange(op="boost", scope=Scope(category="beauty"), weight=0.2)
    merchandiser = facts(actor_kind="staff", actor_role="merchandiser", category_scopes=("*",))
    assert violations(boost, merchandiser) == []
    assert violations(boost, staff) == ["ROLE_NOT_PERMITTED"]


def test_messages_need_consent_unsubscribe_and_daytime() -> None:
    email = SendMessage(
        shopper_id="shopper-1", channel="email", body="hi", unsubscribe_url="u", postal_address="a"
    )
    assert violations(email, facts()) == []
    bare = SendMessage(shopper_id="shopper-1", channel="email", body="hi")
    assert violations(bare, facts()) == ["EMAIL_WITHOUT_UNSUBSCRIBE_OR_ADDRESS"]
    sms = SendMessage(shopper_id="shopper-1", channel="sms", body="hi")
    assert violations(sms, facts()) == ["NO_CONSENT"]
    texting = ShopperRecord("shopper-1", "none", "America/New_York", False, {"sms": True})
    night = SendMessage(
        shopper_id="shopper-1", channel="sms", body="hi", send_at=NOW.replace(hour=7)
    )
    assert violations(night, facts(shopper=texting)) == ["QUIET_HOURS"]  # 02:00 in New York
    assert violations(sms, facts(shopper=texting)) == []


def test_recommendations_holds_carts_and_preferences() -> None:
    show = ShowRecommendations(
        shopper_id="shopper-1", items=(RecommendedItem(sku="S1"), RecommendedItem(sku="W1"))
    )
    assert violations(show, facts()) == ["AGE_RESTRICTED_SHOWN", "OUT_OF_STOCK_SHOWN"]
    email_surface = show.model_copy(
        update={"surface": "email", "items": (RecommendedItem(sku="W1"),)}
    )
    verified = ShopperRecord("shopper-1", "none", "UTC", True, {})
    assert "REGULATED_SHOWN" in violations(email_surface, facts(shopper=verified, available={}))
    hold = HoldInventory(
        shopper_id="shopper-1", sku="S1", location_id="x", quantity=4, hold_minutes=300
    )
    assert violations(hold, facts()) == ["HOLD_TOO_LONG", "HOLD_WITHOUT_STOCK"]
    cart = ProposeCart(
        shopper_id="shopper-1", lines=(CartLine(sku="S1", quantity=11, unit_price_cents=1),)
    )
    assert violations(cart, facts()) == ["CART_LINE_TOO_LARGE", "CART_PRICE_NOT_CURRENT"]
    prefs = UpdatePreferences(shopper_id="shopper-1", changes={"Ethnicity": "x"})
    assert violations(prefs, facts()) == ["PROTECTED_ATTRIBUTE"]
    other = UpdatePreferences(shopper_id="shopper-2", changes={"vegan": True})
    assert violations(other, facts()) == ["NOT_ACTING_FOR_SHOPPER"]

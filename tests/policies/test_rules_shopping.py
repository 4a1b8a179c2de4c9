"""Holds, carts and preferences."""

from __future__ import annotations

from typing import Any

import pytest

from policies.actions import CartLine, HoldInventory, ProposeCart, UpdatePreferences
from policies.context import ActorFacts, PolicyContext
from tests.policies.builders import agent, codes, context, decide, product, shopper, staff


def hold(**changes: Any) -> HoldInventory:
    base: dict[str, Any] = {
        "shopper_id": "s1",
        "sku": "p1",
        "location_id": "store-1",
        "quantity": 1,
        "hold_minutes": 60,
    }
    return HoldInventory(**{**base, **changes})


def cart(*lines: tuple[str, int, int]) -> ProposeCart:
    return ProposeCart(
        shopper_id="s1",
        lines=tuple(CartLine(sku=s, quantity=q, unit_price_cents=p) for s, q, p in lines),
    )


def prefs(changes: dict[str, Any], actor: ActorFacts | None = None) -> tuple[Any, PolicyContext]:
    return UpdatePreferences(shopper_id="s1", changes=changes), context(actor=actor)


CASES = [
    pytest.param(hold(), context(), "approve", {"HOLD_ALLOWED"}, id="hold"),
    pytest.param(
        hold(quantity=3),
        context(product(available_at={"store-1": 2})),
        "deny",
        {"INSUFFICIENT_STOCK"},
        id="hold-short",
    ),
    pytest.param(
        hold(location_id="store-9"), context(), "deny", {"INSUFFICIENT_STOCK"}, id="hold-elsewhere"
    ),
    pytest.param(
        hold(quantity=6),
        context(product(available_at={"store-1": 10})),
        "deny",
        {"HOLD_QUANTITY_LIMIT"},
        id="hold-too-many",
    ),
    pytest.param(hold(sku="ghost"), context(), "deny", {"UNKNOWN_PRODUCT"}, id="hold-unknown"),
    pytest.param(cart(("p1", 1, 2000)), context(), "approve", {"CART_ALLOWED"}, id="cart"),
    pytest.param(
        cart(("p1", 1, 1500)), context(), "deny", {"CART_PRICE_NOT_CURRENT"}, id="cart-price"
    ),
    pytest.param(
        cart(("p1", 11, 2000)),
        context(product(available_units=50)),
        "deny",
        {"LINE_QUANTITY_LIMIT"},
        id="cart-quantity",
    ),
    pytest.param(
        cart(("p1", 3, 2000)),
        context(product(available_units=2)),
        "deny",
        {"INSUFFICIENT_STOCK"},
        id="cart-stock",
    ),
    pytest.param(
        cart(("p1", 1, 2000), ("ghost", 1, 100)), context(), "deny", {"UNKNOWN_PRODUCT"}, id="c-sku"
    ),
    pytest.param(
        *prefs({"fragrance_free": True}), "approve", {"PREFERENCES_ALLOWED"}, id="prefs-agent"
    ),
    pytest.param(
        *prefs({"skin_type": "dry"}, ActorFacts(id="s1", kind="shopper")),
        "approve",
        set(),
        id="prefs-self",
    ),
    pytest.param(*prefs({" Gender ": "f"}), "deny", {"PROTECTED_ATTRIBUTE"}, id="prefs-protected"),
    pytest.param(
        *prefs({"religion": "x", "size": "M"}), "deny", {"PROTECTED_ATTRIBUTE"}, id="prefs-mixed"
    ),
    pytest.param(
        *prefs({"size": "M"}, staff()), "deny", {"NOT_ACTING_FOR_SHOPPER"}, id="prefs-staff"
    ),
    pytest.param(
        *prefs({"size": "M"}, ActorFacts(id="s2", kind="shopper")),
        "deny",
        {"NOT_ACTING_FOR_SHOPPER"},
        id="prefs-other-shopper",
    ),
    pytest.param(
        UpdatePreferences(shopper_id="s1", changes={"size": "M"}),
        context(shopper=shopper(id="s9")),
        "deny",
        {"UNKNOWN_SHOPPER"},
        id="prefs-facts-of-another",
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), CASES)
def test_shopping_rules(action: Any, ctx: PolicyContext, effect: str, expected: set[str]) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def test_long_hold_is_shortened() -> None:
    decision = decide(hold(hold_minutes=600), context())
    assert decision.effect.value == "modify"
    assert codes(decision) == {"HOLD_DURATION_CLAMPED", "HOLD_ALLOWED"}
    assert isinstance(decision.action, HoldInventory)
    assert decision.action.hold_minutes == 240


def test_agent_for_another_shopper_cannot_hold() -> None:
    decision = decide(hold(), context(actor=agent(on_behalf_of="s2")))
    assert codes(decision) == {"ATTRIBUTION_MISMATCH"}

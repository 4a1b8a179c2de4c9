"""External agents: scopes, rate and spend limits, attribution, personalisation consent."""

from __future__ import annotations

from typing import Any

import pytest

from policies.actions import (
    CartLine,
    MerchRuleChange,
    ProposeCart,
    QuoteOffer,
    RecommendedItem,
    Scope,
    ShowRecommendations,
)
from policies.context import AgentUsage, PolicyContext
from tests.policies.builders import SOON, agent, codes, context, decide, external, shopper

CART = ProposeCart(shopper_id="s1", lines=(CartLine(sku="p1", quantity=1, unit_price_cents=2000),))
QUOTE = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)
PICKS = ShowRecommendations(
    shopper_id="s1", personalised=True, surface="agent", items=(RecommendedItem(sku="p1"),)
)


def ext(*scopes: str, **changes: Any) -> PolicyContext:
    return context(
        actor=external(*scopes, on_behalf_of=changes.pop("on_behalf_of", "s1")), **changes
    )


CASES = [
    pytest.param(CART, ext("cart:write"), "approve", {"CART_ALLOWED"}, id="scoped-cart"),
    pytest.param(CART, ext("catalog:read"), "deny", {"SCOPE_MISSING"}, id="missing-scope"),
    pytest.param(QUOTE, ext("price:quote"), "approve", set(), id="scoped-quote"),
    pytest.param(
        MerchRuleChange(op="boost", scope=Scope(category="beauty"), weight=0.1, ends_at=SOON),
        ext("cart:write", "catalog:read", "price:quote"),
        "deny",
        {"SCOPE_MISSING", "ROLE_NOT_PERMITTED"},
        id="kind-closed-to-agents",
    ),
    pytest.param(
        CART,
        ext("cart:write", agent=AgentUsage(actions_last_minute=60)),
        "deny",
        {"RATE_LIMITED"},
        id="rate",
    ),
    pytest.param(
        CART,
        ext("cart:write", agent=AgentUsage(spend_today_cents=99_000)),
        "deny",
        {"SPEND_LIMIT_EXCEEDED"},
        id="spend",
    ),
    pytest.param(
        CART,
        ext("cart:write", agent=AgentUsage(spend_today_cents=98_000)),
        "approve",
        set(),
        id="spend-exactly-at-limit",
    ),
    pytest.param(
        QUOTE,
        ext("price:quote", agent=AgentUsage(spend_today_cents=100_000)),
        "approve",
        set(),
        id="quote-spends-nothing",
    ),
    pytest.param(
        CART, ext("cart:write", on_behalf_of=None), "deny", {"ATTRIBUTION_MISMATCH"}, id="anon"
    ),
    pytest.param(
        CART, ext("cart:write", on_behalf_of="s2"), "deny", {"ATTRIBUTION_MISMATCH"}, id="other"
    ),
    pytest.param(
        CART, context(actor=agent(on_behalf_of="s2")), "deny", {"ATTRIBUTION_MISMATCH"}, id="own"
    ),
    pytest.param(
        PICKS, ext("catalog:read"), "deny", {"NO_PERSONALIZATION_CONSENT"}, id="no-consent"
    ),
    pytest.param(
        PICKS,
        ext("catalog:read", shopper=shopper(personalization_consent=True)),
        "approve",
        set(),
        id="consent",
    ),
    pytest.param(PICKS, context(), "approve", set(), id="own-agent-needs-no-extra-consent"),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), CASES)
def test_agent_rules(action: Any, ctx: PolicyContext, effect: str, expected: set[str]) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def test_decision_names_the_acting_agent() -> None:
    decision = decide(CART, ext("cart:write"))
    assert decision.actor == "ext-1"

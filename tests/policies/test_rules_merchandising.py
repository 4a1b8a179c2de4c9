"""Merchandising rules: roles, category scopes, and the changes that need a human."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from policies.actions import MerchRuleChange, Scope
from policies.context import PolicyContext
from tests.policies.builders import NOW, SOON, agent, codes, context, decide, product, staff


def rule(**changes: Any) -> MerchRuleChange:
    base: dict[str, Any] = {
        "op": "boost",
        "scope": Scope(category="beauty"),
        "weight": 0.2,
        "ends_at": SOON,
    }
    return MerchRuleChange(**{**base, **changes})


def by(actor: Any = None, *products: Any) -> PolicyContext:
    return context(*products, actor=actor or staff(scopes=("beauty",)))


MERCH = [
    pytest.param(rule(), by(), "approve", {"MERCH_RULE_ALLOWED"}, id="baseline"),
    pytest.param(rule(), by(agent()), "deny", {"ROLE_NOT_PERMITTED"}, id="agent-not-staff"),
    pytest.param(rule(), by(staff("analyst")), "deny", {"ROLE_NOT_PERMITTED"}, id="role"),
    pytest.param(
        rule(scope=Scope(category="electronics")),
        by(),
        "deny",
        {"OUTSIDE_CATEGORY_SCOPE"},
        id="other-category",
    ),
    pytest.param(
        rule(scope=Scope(category="beauty/skincare")), by(), "approve", set(), id="subcategory"
    ),
    pytest.param(
        rule(scope=Scope(category="beautyx")), by(), "deny", {"OUTSIDE_CATEGORY_SCOPE"}, id="prefix"
    ),
    pytest.param(
        rule(scope=Scope(skus=("p9",))),
        by(None, product("p9", category="electronics/audio")),
        "deny",
        {"OUTSIDE_CATEGORY_SCOPE"},
        id="sku-in-other-category",
    ),
    pytest.param(
        rule(scope=Scope(skus=("ghost",))), by(), "deny", {"UNKNOWN_PRODUCT"}, id="unknown-sku"
    ),
    pytest.param(
        rule(scope=Scope(category="electronics")),
        by(staff(scopes=("*",))),
        "approve",
        set(),
        id="all-categories",
    ),
    pytest.param(rule(weight=0.5), by(), "escalate", {"MERCH_CHANGE_NEEDS_APPROVAL"}, id="strong"),
    pytest.param(
        rule(op="bury", weight=-0.5), by(), "escalate", {"MERCH_CHANGE_NEEDS_APPROVAL"}, id="bury"
    ),
    pytest.param(rule(op="pin", weight=0.9), by(), "approve", set(), id="pin-ignores-weight"),
    pytest.param(
        rule(op="exclude"), by(), "escalate", {"MERCH_CHANGE_NEEDS_APPROVAL"}, id="exclude-category"
    ),
    pytest.param(
        rule(op="exclude", scope=Scope(skus=("p1",))), by(), "approve", set(), id="exclude-sku"
    ),
    pytest.param(
        rule(ends_at=None), by(), "escalate", {"MERCH_DURATION_NEEDS_APPROVAL"}, id="open-ended"
    ),
    pytest.param(
        rule(starts_at=NOW + timedelta(days=10), ends_at=NOW + timedelta(days=20)),
        by(),
        "approve",
        set(),
        id="future-window",
    ),
    pytest.param(
        rule(ends_at=NOW + timedelta(days=30)),
        by(),
        "escalate",
        {"MERCH_DURATION_NEEDS_APPROVAL"},
        id="long",
    ),
    pytest.param(
        rule(weight=0.9),
        by(staff("analyst")),
        "deny",
        {"ROLE_NOT_PERMITTED"},
        id="deny-beats-escalate",
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), MERCH)
def test_merch_rules(
    action: MerchRuleChange, ctx: PolicyContext, effect: str, expected: set[str]
) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


def test_escalation_reports_only_what_needs_a_human() -> None:
    decision = decide(rule(weight=0.5, ends_at=None), by())
    assert decision.effect.value == "escalate"
    assert codes(decision) == {"MERCH_CHANGE_NEEDS_APPROVAL", "MERCH_DURATION_NEEDS_APPROVAL"}

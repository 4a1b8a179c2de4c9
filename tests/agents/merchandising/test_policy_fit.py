"""The plans' actions carry what the policy checker needs, and get the decisions expected."""

from __future__ import annotations

from sqlmodel import Session

from agents.merchandising import MerchPlan, PlannedStep, plan_task
from agents.merchandising.catalog import ProductRow, resolve_scope
from agents.merchandising.spec import ScopeSpec
from policies.actions import ChangeListPrice
from policies.context import ActorFacts, PolicyContext, ProductFacts
from policies.engine import check
from policies.loader import default_pack
from tests.agents.merchandising.conftest import Store
from tests.agents.merchandising.seed import NOW

ACTOR = ActorFacts(id="mia", kind="staff", role="merchandiser", category_scopes=("*",))
PRICER = ActorFacts(id="pat", kind="staff", role="pricing_manager", category_scopes=("*",))


def _facts(row: ProductRow) -> ProductFacts:
    return ProductFacts(
        sku=row.sku,
        category=row.category,
        brand=row.brand,
        list_price_cents=row.list_price_cents,
        unit_cost_cents=row.unit_cost_cents,
        map_cents=row.map_cents,
    )


def _decide(shop: Store, plan: MerchPlan, step: PlannedStep, actor: ActorFacts) -> str:
    action = step.action
    skus = step.skus
    if isinstance(action, ChangeListPrice):
        assert skus == (action.sku,)
    elif action.scope.skus:
        assert skus == action.scope.skus
    with Session(shop.engine) as session:
        rows = resolve_scope(session, ScopeSpec(skus=skus), now=NOW) if skus else []
    context = PolicyContext(
        now=NOW,
        actor=actor,
        products={row.sku: _facts(row) for row in rows},
        promotion_impact=step.promotion_impact,
    )
    decision = check(action, context, default_pack())
    return f"{decision.effect.value}:{','.join(r.code for r in decision.reasons)}"


def _plan(shop: Store, text: str, actor: ActorFacts = ACTOR) -> MerchPlan:
    return plan_task(text, engine=shop.engine, vocabulary=shop.vocabulary, now=NOW, actor=actor)


def test_a_short_gentle_boost_is_approved(shop: Store) -> None:
    plan = _plan(shop, "boost vegan moisturizers 20% until Sunday")
    assert _decide(shop, plan, plan.steps[0], ACTOR) == "approve:MERCH_RULE_ALLOWED"


def test_a_strong_boost_and_an_open_ended_exclude_need_a_person(shop: Store) -> None:
    strong = _plan(shop, "boost vegan moisturizers 50% until Sunday")
    assert _decide(shop, strong, strong.steps[0], ACTOR).startswith("escalate:")
    exclude = _plan(shop, "exclude age-restricted items from recommendations")
    assert "MERCH_DURATION_NEEDS_APPROVAL" in _decide(shop, exclude, exclude.steps[0], ACTOR)


def test_the_promotion_carries_its_impact_and_escalates_on_margin(shop: Store) -> None:
    text = "15% off overstocked rain jackets for gold members, keep margin above 30%"
    plan = _plan(shop, text)
    decision = _decide(shop, plan, plan.steps[0], ACTOR)
    assert decision == "escalate:PROMOTION_MARGIN_IMPACT"  # 50% -> 41.2%: over 5 points


def test_a_small_promotion_is_approved(shop: Store) -> None:
    plan = _plan(shop, "5% off MO-1 until Sunday")
    assert _decide(shop, plan, plan.steps[0], ACTOR) == "approve:PROMOTION_ALLOWED"


def test_a_list_price_change_needs_the_pricing_role_and_escalates_when_large(
    shop: Store,
) -> None:
    small = _plan(shop, "raise the price of RJ-5 to $125", actor=PRICER)  # +4.2%
    assert _decide(shop, small, small.steps[0], PRICER) == "approve:LIST_PRICE_CHANGE_ALLOWED"
    assert _decide(shop, small, small.steps[0], ACTOR) == "deny:ROLE_NOT_PERMITTED"
    large = _plan(shop, "raise the price of RJ-5 to $140", actor=PRICER)  # +16.7%
    assert _decide(shop, large, large.steps[0], PRICER) == "escalate:PRICE_CHANGE_NEEDS_APPROVAL"

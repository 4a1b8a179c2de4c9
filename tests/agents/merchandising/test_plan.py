from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.merchandising import (
    EmptyScopeError,
    MerchPlan,
    TaskNotUnderstoodError,
    UnknownSkusError,
    compile_plan,
    plan_task,
    validated_spec,
)
from policies.actions import ChangeListPrice, CreatePromotion, MerchRuleChange
from policies.context import ActorFacts
from tests.agents.merchandising.conftest import Store
from tests.agents.merchandising.seed import CREAM, NOW, PRODUCTS

ACTOR = ActorFacts(id="mia", kind="staff", role="merchandiser", category_scopes=("*",))
END_OF_SUNDAY = datetime(2026, 11, 2, 8, tzinfo=UTC)


def _plan(shop: Store, text: str) -> MerchPlan:
    return plan_task(text, engine=shop.engine, vocabulary=shop.vocabulary, now=NOW, actor=ACTOR)


def test_boost_resolves_skus_and_ends_at_the_end_of_sunday(shop: Store) -> None:
    plan = _plan(shop, "boost vegan moisturizers 20% until Sunday")
    (action,) = plan.actions()
    assert isinstance(action, MerchRuleChange)
    assert (action.op, action.weight, action.scope.skus) == ("boost", 0.2, ("MO-1", "MO-3"))
    assert (action.starts_at, action.ends_at) == (NOW, END_OF_SUNDAY)
    assert plan.timezone == "America/Los_Angeles"
    assert plan.actor_id == "mia"
    assert "until the end of Sun 01 Nov 2026" in plan.summary


def test_boost_preview_shows_the_ranking_move(shop: Store) -> None:
    preview = _plan(shop, "boost MO-F9 20% until Sunday").preview
    (view,) = preview.rankings
    assert (view.kind, view.key, view.size) == ("category", CREAM, 14)
    # The active rule boosting MO-3 by 0.4 already lifts it to second place.
    assert view.top_before[:3] == view.top_after[:3] == ["MO-1", "MO-3", "MO-2"]
    moved = {m.sku: (m.before, m.after) for m in view.moves}
    assert moved["MO-F9"] == (13, 8)
    assert moved["MO-F4"] == (8, 9)
    assert preview.affected_count == 1 and preview.margin is None


def test_a_plain_category_stays_a_category(shop: Store) -> None:
    (step,) = _plan(shop, "boost moisturizers by 0.1 for a week").steps
    action = step.action
    assert isinstance(action, MerchRuleChange)
    assert (action.scope.category, action.scope.skus) == (CREAM, ())
    assert step.sku_count == len(step.skus) == 14  # what the category covers today


def test_bury_a_brand_in_a_category(shop: Store) -> None:
    plan = _plan(shop, "bury brand Ridge in outdoor")
    (action,) = plan.actions()
    assert isinstance(action, MerchRuleChange)
    assert action.op == "bury" and action.ends_at is None
    assert action.scope.skus == ("HL-1", "HL-2", "RJ-3", "RJ-4")
    (view,) = plan.preview.rankings
    assert view.key == "outdoor"
    assert all(m.after is not None and m.before is not None for m in view.moves)
    assert any("stays until it is removed" in w for w in plan.warnings)
    assert any("weight of 0.20" in w for w in plan.warnings)


def test_pin_for_a_query_puts_the_product_first(shop: Store) -> None:
    plan = _plan(shop, "pin MO-9 for 'moisturizer'")
    (action,) = plan.actions()
    assert isinstance(action, MerchRuleChange)
    assert (action.op, action.query, action.scope.skus) == ("pin", "moisturizer", ("MO-9",))
    (view,) = plan.preview.rankings
    assert (view.kind, view.top_after[0]) == ("query", "MO-9")
    assert next(m for m in view.moves if m.sku == "MO-9").after == 1


def test_pin_of_a_product_outside_the_query_enters_the_ranking(shop: Store) -> None:
    (view,) = _plan(shop, "pin RJ-5 for 'moisturizer'").preview.rankings
    move = next(m for m in view.moves if m.sku == "RJ-5")
    assert (move.before, move.after) == (None, 1)


def test_exclude_by_flag(shop: Store) -> None:
    plan = _plan(shop, "exclude age-restricted items from recommendations")
    (action,) = plan.actions()
    assert isinstance(action, MerchRuleChange)
    assert (action.op, action.scope.skus) == ("exclude", ("WN-1",))
    (view,) = plan.preview.rankings
    assert view.moves[0].after is None and view.top_after == []


def test_promotion_honours_the_margin_limit_and_lists_what_it_left_out(shop: Store) -> None:
    text = "15% off overstocked rain jackets for gold members, keep margin above 30%"
    plan = _plan(shop, text)
    (step,) = plan.steps
    action = step.action
    assert isinstance(action, CreatePromotion)
    assert (action.discount_pct, action.loyalty_tiers) == (15, ("gold",))
    assert action.scope.skus == ("RJ-1",)
    assert action.ends_at == datetime(2026, 11, 4, 18, tzinfo=UTC)  # a week, wall clock
    reasons = {e.sku: e.reason for e in plan.preview.excluded}
    assert reasons == {
        "RJ-2": "margin_below_target",
        "RJ-3": "cost_unknown",
        "RJ-4": "below_price_floor",
    }
    assert "RJ-5" not in reasons  # not overstocked
    impact = step.promotion_impact
    assert impact is not None
    assert (impact.sku_count, impact.skus_below_floor, impact.skus_cost_unknown) == (1, 0, 0)
    assert impact.margin_before_pct == 50.0
    assert impact.margin_after_pct == pytest.approx(41.1765, abs=1e-4)
    assert plan.preview.margin is not None and plan.preview.margin.eligible_share == 0.25
    assert any("runs 7 days" in w for w in plan.warnings)


@pytest.mark.parametrize("limit", [10, 30, 45, 55])
def test_no_planned_price_falls_below_the_stated_margin(shop: Store, limit: int) -> None:
    plan = _plan(shop, f"20% off outdoor, keep margin above {limit}%")
    promotions = [a for a in plan.actions() if isinstance(a, CreatePromotion)]
    assert len(promotions) == len(plan.steps) <= 1
    covered = {sku for action in promotions for sku in action.scope.skus}
    for sku in covered:
        _, _, price, cost, *_ = PRODUCTS[sku]
        assert cost is not None
        discounted = round(price * 0.8)
        assert (discounted - cost) / discounted * 100 >= limit
    in_scope = {s for s, p in PRODUCTS.items() if p[0].startswith("outdoor/")}
    left = {e.sku for e in plan.preview.excluded}
    assert covered | left == in_scope and not covered & left


def test_too_deep_a_discount_leaves_everything_out(shop: Store) -> None:
    plan = _plan(shop, "35% off moisturizers")
    assert plan.steps == []
    assert plan.preview.excluded_by_reason == {"discount_too_deep": 14}
    assert any("nothing to apply" in w for w in plan.warnings)


def test_list_price_change(shop: Store) -> None:
    plan = _plan(shop, "raise the price of RJ-5 to $130")
    (action,) = plan.actions()
    assert isinstance(action, ChangeListPrice)
    assert (action.sku, action.new_price_cents) == ("RJ-5", 13000)
    assert plan.ends_at is None
    margin = plan.preview.margin
    assert margin is not None and margin.window_days == 28
    assert margin.units_after < margin.units_before  # dearer sells fewer


def test_list_price_below_the_floor_is_left_out(shop: Store) -> None:
    plan = _plan(shop, "lower the price of RJ-4 by 20%")
    assert plan.steps == []
    assert plan.preview.excluded[0].reason == "below_price_floor"


def test_unknown_skus_empty_scopes_and_questions_are_refused(shop: Store) -> None:
    with pytest.raises(UnknownSkusError) as caught:
        compile_plan(
            validated_spec({"kind": "pin", "scope": {"skus": ["NOPE-1"]}, "query": "x"}),
            engine=shop.engine,
            vocabulary=shop.vocabulary,
            now=NOW,
            actor=ACTOR,
        )
    assert caught.value.skus == ("NOPE-1",)
    with pytest.raises(EmptyScopeError, match="cozy"):
        _plan(shop, "boost cozy stuff")
    with pytest.raises(EmptyScopeError, match="no product matches"):
        _plan(shop, "bury brand Dew in outdoor")
    with pytest.raises(TaskNotUnderstoodError, match="question"):
        _plan(shop, "which promotions are active?")


def test_a_spec_from_elsewhere_compiles_like_a_parsed_one(shop: Store) -> None:
    text = "boost vegan moisturizers 20% until Sunday"
    parsed = _plan(shop, text)
    spec = validated_spec(parsed.task.model_dump())
    compiled = compile_plan(
        spec, engine=shop.engine, vocabulary=shop.vocabulary, now=NOW, actor=ACTOR
    )
    assert compiled == parsed


def test_the_timezone_can_be_given(shop: Store) -> None:
    plan = plan_task(
        "boost moisturizers until Sunday",
        engine=shop.engine,
        vocabulary=shop.vocabulary,
        now=NOW,
        actor="mia",
        timezone="Asia/Tokyo",
    )
    assert plan.ends_at == datetime(2026, 11, 1, 15, tzinfo=UTC)  # Monday 00:00 JST


def test_pin_to_the_top_of_a_category(shop: Store) -> None:
    plan = _plan(shop, "pin MO-9 to the top of moisturizers until Sunday")
    (action,) = plan.actions()
    assert isinstance(action, MerchRuleChange)
    assert (action.scope.category, action.scope.skus, action.query) == (CREAM, ("MO-9",), None)
    (view,) = plan.preview.rankings
    assert view.top_after[0] == "MO-9"
    with pytest.raises(EmptyScopeError, match="RJ-5"):
        _plan(shop, "pin RJ-5 to the top of moisturizers")


def test_a_sku_written_as_such_must_exist(shop: Store) -> None:
    with pytest.raises(UnknownSkusError, match="SKU-404"):
        _plan(shop, "pin SKU-404 for 'lamps'")

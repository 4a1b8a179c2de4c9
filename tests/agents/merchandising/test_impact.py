from __future__ import annotations

from datetime import timedelta

import pytest

from agents.merchandising import MarginImpact, plan_task
from agents.merchandising.impact import PACE_DAYS, demand_ratio
from agents.merchandising.pricing import margin_pct, promotion_price
from tests.agents.merchandising.conftest import Store
from tests.agents.merchandising.seed import NOW

WEEK_DAYS = (timedelta(days=7, hours=1)).total_seconds() / 86_400  # a wall-clock week over DST


def _margin(shop: Store, text: str) -> MarginImpact:
    plan = plan_task(text, engine=shop.engine, vocabulary=shop.vocabulary, now=NOW, actor="m")
    assert plan.preview.margin is not None
    return plan.preview.margin


def test_demand_ratio_follows_the_elasticity() -> None:
    assert demand_ratio(old_cents=1000, new_cents=1000, elasticity=-2.0) == 1.0
    cut = demand_ratio(old_cents=1000, new_cents=900, elasticity=-2.0)
    steeper = demand_ratio(old_cents=1000, new_cents=900, elasticity=-3.0)
    assert 1.0 < cut < steeper
    assert demand_ratio(old_cents=1000, new_cents=1100, elasticity=-2.0) == pytest.approx(1.1**-2.0)


def test_promotion_margin_impact_is_units_times_price_change(shop: Store) -> None:
    margin = _margin(shop, "10% off MO-1 for a week")
    before = 28 / PACE_DAYS * WEEK_DAYS
    after = before * demand_ratio(old_cents=2500, new_cents=2250, elasticity=-1.6)
    assert margin.window_days == pytest.approx(WEEK_DAYS, abs=1e-4)
    assert margin.units_before == pytest.approx(before, abs=0.01)
    assert margin.units_after == pytest.approx(after, abs=0.01)
    assert margin.margin_before_cents == round(before * 1500)
    assert margin.margin_after_cents == round(after * 1250)
    assert margin.margin_change_cents == margin.margin_after_cents - margin.margin_before_cents
    assert margin.elasticities[0].family == "beauty"
    assert margin.elasticities[0].source == "family_default"


def test_only_the_eligible_tier_sees_the_price(shop: Store) -> None:
    margin = _margin(shop, "10% off MO-1 for gold members for a week")
    before = 28 / PACE_DAYS * WEEK_DAYS
    ratio = demand_ratio(old_cents=2500, new_cents=2250, elasticity=-1.6)
    assert margin.eligible_share == 0.25
    assert margin.units_after == pytest.approx(before * (0.75 + 0.25 * ratio), abs=0.01)


def test_units_never_exceed_the_stock(shop: Store) -> None:
    margin = _margin(shop, "10% off HL-1 until the end of next month")
    assert margin.units_before == 2 and margin.units_after == 2


def test_price_helpers() -> None:
    assert promotion_price(10000, 15) == 8500
    assert promotion_price(999, 12.5) == 874  # 874.125 rounds half up to the cent
    assert promotion_price(1, 50) == 1
    assert margin_pct(8500, 5000) == pytest.approx(41.1765, abs=1e-4)
    assert margin_pct(8500, None) is None

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.tools.propensity.test_model import synthetic
from tools.pricing import PricingInput, SkuFacts, decide_offer, intent_stage, session_propensity
from tools.pricing.intent import STAGE_CONVERSION, TIER_CONVERSION, base_conversion
from tools.propensity.training import fit_propensity
from tools.store import Event

ITEM = SkuFacts(sku="S", category="apparel/tops/tee", list_price_cents=2000, unit_cost_cents=800)


def test_stages_cut_the_propensity() -> None:
    assert intent_stage(0.9) == "about_to_buy"
    assert intent_stage(0.6) == "about_to_buy"
    assert intent_stage(0.3) == "hesitating"
    assert intent_stage(0.05) == "browsing"


def test_base_conversion_from_propensity_stage_or_tier() -> None:
    scored = PricingInput(item=ITEM, purchase_propensity=0.42, intent="browsing")
    assert base_conversion(scored) == (0.42, "browsing")
    staged = PricingInput(item=ITEM, intent="hesitating")
    assert base_conversion(staged) == (STAGE_CONVERSION["hesitating"], "hesitating")
    member = PricingInput(item=ITEM, loyalty_tier="gold")
    assert base_conversion(member) == (TIER_CONVERSION["gold"], None)
    assert decide_offer(pricing_input=member).intent is None


def test_session_propensity_scores_the_session_events() -> None:
    x, y = synthetic()
    model = fit_propensity(x=x, y=y, n_estimators=20)
    start = datetime(2026, 5, 2, 12, tzinfo=UTC)
    events = [
        Event(session_id="s", kind="view", sku=f"P{i}", occurred_at=start + timedelta(minutes=i))
        for i in range(6)
    ]
    score = session_propensity(model=model, events=events, returning_visitor=True)
    assert 0.0 < score < 1.0
    assert score == session_propensity(model=model, events=events, returning_visitor=True)

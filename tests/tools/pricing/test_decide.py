from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.exceptions import InputError
from tools.pricing import (
    BasketLine,
    DemandModel,
    PricingInput,
    ShippingTerms,
    SkuFacts,
    best_option,
    decide_offer,
)

SERUM = SkuFacts(
    sku="S1", category="beauty/skincare/serum", list_price_cents=3000, unit_cost_cents=1000
)
TONER = SkuFacts(
    sku="T1", category="beauty/skincare/toner", list_price_cents=1500, unit_cost_cents=600
)


def _input(**fields: object) -> PricingInput:
    base: dict[str, object] = {"item": SERUM, "companion": TONER}
    return PricingInput.model_validate({**base, **fields})


@st.composite
def pricing_inputs(draw: st.DrawFn) -> PricingInput:
    price = draw(st.integers(50, 50_000))
    cost = draw(st.one_of(st.none(), st.integers(0, price * 2)))
    item = SkuFacts(
        sku="I",
        category=draw(st.sampled_from(["beauty/skincare/serum", "grocery/pantry/x", "misc"])),
        list_price_cents=price,
        unit_cost_cents=cost,
    )
    companion_price = draw(st.integers(50, 20_000))
    companion = draw(
        st.one_of(
            st.none(),
            st.builds(
                SkuFacts,
                sku=st.just("C"),
                category=st.just("home/decor/vase"),
                list_price_cents=st.just(companion_price),
                unit_cost_cents=st.one_of(st.none(), st.integers(0, companion_price * 2)),
            ),
        )
    )
    lines = st.builds(
        BasketLine,
        sku=st.just("B"),
        unit_price_cents=st.integers(0, 10_000),
        unit_cost_cents=st.one_of(st.none(), st.integers(0, 10_000)),
    )
    return PricingInput(
        item=item,
        quantity=draw(st.integers(1, 3)),
        basket=tuple(draw(st.lists(lines, max_size=3))),
        companion=companion,
        price_sensitivity=draw(st.one_of(st.none(), st.floats(0, 1))),
        purchase_propensity=draw(st.one_of(st.none(), st.floats(0, 1))),
        loyalty_tier=draw(st.sampled_from(["none", "silver", "gold", "platinum"])),
        fulfilment=draw(st.sampled_from(["ship", "pickup"])),
    )


@settings(max_examples=200, deadline=None)
@given(pricing_inputs())
def test_chosen_option_has_the_highest_expected_margin(pricing_input: PricingInput) -> None:
    decision = decide_offer(pricing_input=pricing_input)
    top = max(o.expected_margin_cents for o in decision.options)
    assert decision.chosen in decision.options
    assert decision.chosen.expected_margin_cents >= top - 1e-6
    cheaper_ties = [
        o
        for o in decision.options
        if o.expected_margin_cents >= top - 1e-6 and o.cost_rank < decision.chosen.cost_rank
    ]
    assert not cheaper_ties
    assert decision.options[0].key == "none"
    for option in decision.options:
        assert 0.0 <= option.expected_conversion <= 1.0


@settings(max_examples=200, deadline=None)
@given(pricing_inputs())
def test_never_below_unit_cost_and_no_cut_when_cost_unknown(pricing_input: PricingInput) -> None:
    decision = decide_offer(pricing_input=pricing_input)
    item, companion = pricing_input.item, pricing_input.companion
    for option in decision.options:
        assert option.price_cents <= item.list_price_cents
        if item.unit_cost_cents is None:
            assert option.kind in ("none", "free_shipping")
        elif option.price_cents < item.list_price_cents:
            assert option.price_cents >= item.unit_cost_cents
        if option.companion_price_cents is not None:
            assert companion is not None and companion.unit_cost_cents is not None
            assert option.companion_price_cents >= companion.unit_cost_cents


def test_unknown_cost_offers_only_none_or_free_shipping() -> None:
    mystery = SERUM.model_copy(update={"unit_cost_cents": None})
    decision = decide_offer(pricing_input=_input(item=mystery, price_sensitivity=0.95))
    assert {o.kind for o in decision.options} <= {"none", "free_shipping"}
    assert not decision.cost_known
    skipped = {s.key for s in decision.skipped}
    assert {"percent_off_5", "percent_off_10", "percent_off_15", "percent_off_20"} <= skipped


def test_ladder_stops_at_unit_cost() -> None:
    thin = SERUM.model_copy(update={"unit_cost_cents": 2650})  # 12% below list
    decision = decide_offer(pricing_input=_input(item=thin))
    keys = {o.key for o in decision.options}
    assert {"percent_off_5", "percent_off_10"} <= keys
    assert not {"percent_off_15", "percent_off_20"} & keys
    assert {s.key: s.reason for s in decision.skipped}["percent_off_15"].endswith("unit cost")


def test_hesitating_price_sensitive_shopper_gets_an_offer_a_decided_one_does_not() -> None:
    keen = decide_offer(pricing_input=_input(price_sensitivity=0.9, purchase_propensity=0.3))
    assert keen.chosen.key != "none"
    assert keen.uplift_cents > 0
    steady = decide_offer(
        pricing_input=_input(
            price_sensitivity=0.05, purchase_propensity=0.95, fulfilment="pickup", companion=None
        )
    )
    assert steady.chosen.key == "none"
    assert steady.intent == "about_to_buy"


def test_a_discount_never_makes_the_order_pay_shipping() -> None:
    just_over = SERUM.model_copy(update={"list_price_cents": 5100, "unit_cost_cents": 1000})
    decision = decide_offer(pricing_input=_input(item=just_over, companion=None))
    none = decision.options[0]
    for option in decision.options:
        assert option.expected_conversion >= none.expected_conversion
        assert option.expected_discount_cents >= 0
    assert "free_shipping" in {s.key for s in decision.skipped}


def test_free_shipping_options_follow_the_threshold() -> None:
    near = decide_offer(
        pricing_input=_input(item=SERUM.model_copy(update={"list_price_cents": 4500}))
    )
    nudge = next(o for o in near.options if o.key == "free_shipping_nudge")
    assert nudge.nudge_gap_cents == 500
    assert any(o.key == "free_shipping" and o.free_shipping for o in near.options)
    far = decide_offer(pricing_input=_input(shipping=ShippingTerms(free_threshold_cents=50_000)))
    assert "free_shipping_nudge" in {s.key for s in far.skipped}
    pickup = decide_offer(pricing_input=_input(fulfilment="pickup"))
    assert not [o for o in pickup.options if o.kind == "free_shipping"]


def test_bundle_prices_the_companion() -> None:
    decision = decide_offer(pricing_input=_input())
    bundle = next(o for o in decision.options if o.kind == "bundle")
    assert bundle.companion_sku == "T1" and bundle.companion_price_cents == 1350
    alone = decide_offer(pricing_input=_input(companion=None))
    assert not [o for o in alone.options if o.kind == "bundle"]


def test_decision_is_deterministic() -> None:
    pricing_input = _input(price_sensitivity=0.6, purchase_propensity=0.4)
    first = decide_offer(pricing_input=pricing_input)
    again = decide_offer(
        pricing_input=PricingInput.model_validate_json(pricing_input.model_dump_json())
    )
    assert first.model_dump_json() == again.model_dump_json()
    other = decide_offer(pricing_input=_input(price_sensitivity=0.61, purchase_propensity=0.4))
    assert other.decision_id != first.decision_id
    steeper = DemandModel(family_defaults={"beauty": -3.0})
    assert (
        decide_offer(pricing_input=pricing_input, demand=steeper).decision_id != first.decision_id
    )
    shorter = decide_offer(pricing_input=pricing_input, ladder=(5, 10))
    assert shorter.decision_id != first.decision_id


def test_best_option_prefers_the_cheaper_of_equals() -> None:
    decision = decide_offer(pricing_input=_input())
    none = decision.options[0]
    tie = decision.options[-1].model_copy(
        update={"expected_margin_cents": none.expected_margin_cents}
    )
    assert best_option([tie, none]) == none


def test_ladder_must_be_percentages() -> None:
    with pytest.raises(InputError, match="between 1 and 99"):
        decide_offer(pricing_input=_input(), ladder=(5, 100))
    with pytest.raises(InputError):
        decide_offer(pricing_input=_input(), bundle_pct=0)

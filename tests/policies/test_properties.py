"""Invariants over many generated actions: whatever is proposed, nothing unsafe is approved.

Hypothesis draws the seeds; each example expands into a batch of cases biased towards the
boundaries (floors, caps, window edges). Four tests x 26 examples x 100 cases = 10,400 actions.
"""

from __future__ import annotations

import math
import random
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.actions import (
    CartLine,
    HoldInventory,
    ProposeCart,
    QuoteOffer,
    RecommendedItem,
    SendMessage,
    ShowRecommendations,
)
from policies.context import AgentUsage, ChannelFacts, PolicyContext, ProductFacts
from policies.decision import PolicyDecision
from policies.loader import default_pack
from tests.policies.builders import NOW, agent, context, decide, external, product, shopper

BATCH = 100
SEEDS = settings(max_examples=26, deadline=None)
PARAMS = default_pack().spec.params
TIERS = ["none", "silver", "gold", "platinum"]
OPT_OUT = re.compile(PARAMS.messaging.opt_out_pattern.removeprefix("(?i)"), re.IGNORECASE)


def approved(decision: PolicyDecision) -> bool:
    return decision.effect.value in ("approve", "modify")


def near(rnd: random.Random, *anchors: int | None) -> int:
    """A value at, just around, or far from one of the anchors."""
    anchor = rnd.choice([a for a in anchors if a is not None] or [0])
    return max(0, anchor + rnd.choice([-1, 0, 1, rnd.randint(-5000, 5000)]))


def gen_product(rnd: random.Random, sku: str = "p1") -> ProductFacts:
    list_price = rnd.choice([1, 99, 2000, rnd.randint(100, 50_000)])
    return product(
        sku,
        category=rnd.choice(["beauty/skincare", "electronics/audio", "apparel", "grocery"]),
        brand=rnd.choice("abc"),
        list_price_cents=list_price,
        unit_cost_cents=rnd.choice([None, near(rnd, list_price // 2, list_price)]),
        map_cents=rnd.choice([None, near(rnd, list_price * 8 // 10, list_price)]),
        lowest_price_30d_cents=rnd.choice([None, near(rnd, list_price)]),
        available_units=rnd.randint(0, 5),
        available_at={"store-1": rnd.randint(0, 5)},
        age_restricted=rnd.random() < 0.3,
        regulated=rnd.random() < 0.3,
    )


def gen_quote(rnd: random.Random) -> tuple[QuoteOffer, PolicyContext]:
    p = gen_product(rnd)
    tier, offers = rnd.choice(TIERS), rnd.randint(0, 5)
    ctx = context(p, shopper=shopper(loyalty_tier=tier, offers_24h=offers))
    floor = None if p.unit_cost_cents is None else math.ceil(p.unit_cost_cents * 1.05)
    action = QuoteOffer(
        shopper_id="s1",
        sku="p1",
        offer=rnd.choice(["none", "percent_off", "bundle", "free_shipping"]),
        price_cents=near(rnd, p.list_price_cents, floor, p.map_cents, p.list_price_cents * 7 // 10),
        was_price_cents=rnd.choice([None, near(rnd, p.lowest_price_30d_cents, p.list_price_cents)]),
        required_tier=rnd.choice(TIERS),
        personalised=rnd.random() < 0.5,
    )
    return action, ctx


def check_quote(action: QuoteOffer, ctx: PolicyContext) -> None:
    decision = decide(action, ctx)
    if not approved(decision):
        return
    final, p, s = decision.action, ctx.products["p1"], ctx.shopper
    assert isinstance(final, QuoteOffer) and s is not None
    price = final.price_cents
    assert price <= p.list_price_cents
    if p.unit_cost_cents is None:
        assert price == p.list_price_cents
    else:
        assert price >= math.ceil(p.unit_cost_cents * (1 + PARAMS.pricing.floor_margin) - 1e-9)
    assert p.map_cents is None or price >= p.map_cents
    depth = (p.list_price_cents - price) * 100 / p.list_price_cents
    assert depth <= max(PARAMS.pricing.max_discount_pct.values()) + 1e-9
    assert final.offer == "none" or s.offers_24h < PARAMS.pricing.max_offers_per_24h
    assert final.was_price_cents in (None, p.lowest_price_30d_cents)
    assert final.was_price_cents is None or final.was_price_cents > price
    assert PARAMS.pricing.tier_rank[final.required_tier] <= PARAMS.pricing.tier_rank[s.loyalty_tier]
    assert not final.personalised or final.disclosure == PARAMS.pricing.disclosure_text


@SEEDS
@given(st.randoms(use_true_random=True))
def test_no_approved_price_below_floor_or_map(rnd: random.Random) -> None:
    for _ in range(BATCH):
        check_quote(*gen_quote(rnd))


def gen_message(rnd: random.Random) -> tuple[SendMessage, PolicyContext]:
    channel = rnd.choice(["email", "sms", "push"])
    texts = ["hi", "STOP", "stopping by", "Unsubscribe", "cancel it", "cancellation"]
    facts = ChannelFacts(
        consent=rnd.random() < 0.7,
        inbound_since_consent=tuple(rnd.sample(texts, rnd.randint(0, 2))),
        sent_24h=rnd.randint(0, 3),
    )
    tz = rnd.choice(["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"])
    ctx = context(shopper=shopper(timezone=tz, channels={channel: facts}))
    minutes = rnd.choice([0, rnd.randint(0, 48 * 60), 6 * 60, 13 * 60 - 1, 13 * 60])
    action = SendMessage(
        shopper_id="s1",
        channel=channel,
        body="news",
        unsubscribe_url=rnd.choice([None, "", "https://u"]),
        postal_address=rnd.choice([None, "1 Main St"]),
        send_at=rnd.choice([None, NOW + timedelta(minutes=minutes)]),
    )
    return action, ctx


def check_message(action: SendMessage, ctx: PolicyContext) -> None:
    decision = decide(action, ctx)
    if not approved(decision):
        return
    final = decision.action
    assert isinstance(final, SendMessage) and ctx.shopper is not None
    facts = ctx.shopper.channels[action.channel]
    assert facts.consent
    assert not any(OPT_OUT.search(text) for text in facts.inbound_since_consent)
    assert facts.sent_24h < PARAMS.messaging.frequency_caps[action.channel]
    if final.channel == "email":
        assert final.unsubscribe_url and final.postal_address
    if final.channel == "sms":
        when = (final.send_at or ctx.now).astimezone(ZoneInfo(ctx.shopper.timezone))
        assert 8 <= when.hour < 21
        assert (final.send_at or ctx.now) >= (action.send_at or ctx.now)


@SEEDS
@given(st.randoms(use_true_random=True))
def test_no_approved_send_outside_consent_or_hours(rnd: random.Random) -> None:
    for _ in range(BATCH):
        check_message(*gen_message(rnd))


def gen_recommendations(rnd: random.Random) -> tuple[ShowRecommendations, PolicyContext]:
    items = [gen_product(rnd, f"p{i}") for i in range(rnd.randint(1, 8))]
    action = ShowRecommendations(
        shopper_id="s1",
        surface=rnd.choice(["chat", "search", "home", "email"]),
        items=tuple(RecommendedItem(sku=p.sku, sponsored=rnd.random() < 0.3) for p in items),
    )
    return action, context(*items, shopper=shopper(age_verified=rnd.random() < 0.5))


def check_recommendations(action: ShowRecommendations, ctx: PolicyContext) -> None:
    decision = decide(action, ctx)
    assert approved(decision)
    final = decision.action
    assert isinstance(final, ShowRecommendations) and ctx.shopper is not None
    skus = [i.sku for i in final.items]
    assert skus == [i.sku for i in action.items if i.sku in skus]
    brands: dict[str, int] = {}
    for item in final.items:
        facts = ctx.products[item.sku]
        assert facts.available_units > 0
        assert ctx.shopper.age_verified or not facts.age_restricted
        assert final.surface in PARAMS.recommendations.regulated_surfaces or not facts.regulated
        assert not item.sponsored or item.label == PARAMS.recommendations.sponsored_label
        brands[facts.brand] = brands.get(facts.brand, 0) + 1
    assert max(brands.values(), default=0) <= PARAMS.recommendations.max_per_brand


@SEEDS
@given(st.randoms(use_true_random=True))
def test_recommendations_show_only_what_may_be_shown(rnd: random.Random) -> None:
    for _ in range(BATCH):
        check_recommendations(*gen_recommendations(rnd))


def gen_agent_action(rnd: random.Random) -> tuple[Any, PolicyContext]:
    p = gen_product(rnd)
    scopes = rnd.sample(["cart:write", "inventory:hold", "catalog:read"], rnd.randint(0, 3))
    actor = rnd.choice([external(*scopes), external(*scopes, on_behalf_of="s2"), agent()])
    limit = PARAMS.agents.daily_spend_cents
    usage = AgentUsage(
        actions_last_minute=rnd.randint(55, 65),
        spend_today_cents=rnd.choice([0, limit - p.list_price_cents, limit]),
    )
    quantity = rnd.randint(1, 12)
    price = rnd.choice([p.list_price_cents, p.list_price_cents + 1])
    action: Any = rnd.choice(
        [
            ProposeCart(
                shopper_id="s1",
                lines=(CartLine(sku="p1", quantity=quantity, unit_price_cents=price),),
            ),
            HoldInventory(
                shopper_id="s1",
                sku="p1",
                location_id="store-1",
                quantity=quantity,
                hold_minutes=rnd.randint(1, 600),
            ),
        ]
    )
    return action, context(p, actor=actor, agent=usage)


def check_agent_action(action: Any, ctx: PolicyContext) -> None:
    decision = decide(action, ctx)
    if not approved(decision):
        return
    final, actor, p = decision.action, ctx.actor, ctx.products["p1"]
    assert actor.on_behalf_of == "s1"
    assert isinstance(final, ProposeCart | HoldInventory)
    if actor.kind == "external_agent":
        assert PARAMS.agents.required_scopes[final.kind] in actor.scopes
        assert ctx.agent.actions_last_minute < PARAMS.agents.rate_per_minute
        assert ctx.agent.spend_today_cents + final.spend_cents() <= PARAMS.agents.daily_spend_cents
    if isinstance(final, ProposeCart):
        line = final.lines[0]
        assert line.unit_price_cents == p.list_price_cents
        assert line.quantity <= min(p.available_units, PARAMS.shopping.max_line_quantity)
    else:
        assert final.quantity <= min(p.available_at["store-1"], PARAMS.shopping.max_hold_units)
        assert final.hold_minutes <= PARAMS.shopping.max_hold_minutes


@SEEDS
@given(st.randoms(use_true_random=True))
def test_agent_caps_scopes_and_stock_are_respected(rnd: random.Random) -> None:
    for _ in range(BATCH):
        check_agent_action(*gen_agent_action(rnd))

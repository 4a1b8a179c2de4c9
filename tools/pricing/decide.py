"""The offer decision: every intervention considered, its expected outcome, and the choice.

Interventions, cheapest first: none, a free-shipping threshold nudge ("add $x for free
shipping"), free shipping on this order, a bundle price on a companion item, and a discount
from a small ladder. The engine picks the option with the highest expected contribution
margin; between options within `TIE_CENTS` of each other, the cheaper one. It never proposes
a price below unit cost, and with the unit cost unknown it offers no price cut at all (only
none or free shipping). Whether an offer is allowed is the policy checker's call, not this one's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.exceptions import InputError
from tools.pricing.demand import DemandModel, ElasticityEstimate, sensitivity_factor
from tools.pricing.economics import Outcome, SessionEconomics, discounted, unit_cost
from tools.pricing.inputs import IntentStage, PricingInput
from tools.pricing.intent import base_conversion

MODEL_VERSION = "offers/1"
DISCOUNT_LADDER: tuple[int, ...] = (5, 10, 15, 20)
BUNDLE_PCT = 10
TIE_CENTS = 1e-6
DEFAULT_DEMAND = DemandModel()

OfferKind = Literal["none", "free_shipping", "bundle", "percent_off"]


class OfferOption(BaseModel):
    """One intervention and what it is expected to do for this session."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(
        description="none, free_shipping_nudge, free_shipping, bundle_10, percent_off_5…"
    )
    kind: OfferKind
    cost_rank: int = Field(description="Cheapest first; breaks ties between equal margins")
    discount_pct: int = Field(default=0, description="Off the item, or off the companion (bundle)")
    price_cents: int = Field(description="Unit price of the item under this option")
    companion_sku: str | None = None
    companion_price_cents: int | None = None
    free_shipping: bool = Field(default=False, description="This order ships free")
    nudge_gap_cents: int | None = Field(
        default=None, description="Spend this much more to ship free"
    )
    expected_conversion: float = Field(description="P(the order is bought)")
    expected_margin_cents: float = Field(description="Expected contribution margin of the session")
    expected_discount_cents: float = Field(description="Expected discount spend of the session")


class SkippedOption(BaseModel):
    """An intervention not considered, and why."""

    model_config = ConfigDict(frozen=True)

    key: str
    reason: str


class OfferDecision(BaseModel):
    """The chosen option, every option considered, and what the estimates rested on."""

    model_config = ConfigDict(frozen=True)

    decision_id: str = Field(description="Deterministic id of (inputs, demand, model version)")
    model_version: str = MODEL_VERSION
    sku: str
    chosen: OfferOption
    options: tuple[OfferOption, ...] = Field(description="Every option considered, cheapest first")
    skipped: tuple[SkippedOption, ...] = ()
    base_conversion: float = Field(description="P(buy) without an offer")
    intent: IntentStage | None
    elasticity: ElasticityEstimate = Field(description="Category elasticity used")
    shopper_elasticity: float = Field(description="After the shopper's price sensitivity")
    price_sensitivity: float | None
    cost_known: bool

    @property
    def uplift_cents(self) -> float:
        """Expected margin gained over making no offer."""
        return self.chosen.expected_margin_cents - self.options[0].expected_margin_cents


def decision_id(
    pricing_input: PricingInput,
    *,
    demand: DemandModel,
    ladder: Sequence[int] = DISCOUNT_LADDER,
    bundle_pct: int = BUNDLE_PCT,
) -> str:
    """An id that is the same for the same inputs, demand model, options and model version."""
    options = ",".join(str(pct) for pct in sorted(ladder))
    key = f"{MODEL_VERSION}|{demand.fingerprint}|{options}|{bundle_pct}|"
    digest = hashlib.sha256((key + pricing_input.model_dump_json()).encode()).hexdigest()
    return "od-" + digest[:24]


def _option(
    key: str, kind: OfferKind, rank: int, outcome: Outcome, **fields: object
) -> OfferOption:
    return OfferOption.model_validate(
        {
            "key": key,
            "kind": kind,
            "cost_rank": rank,
            "expected_conversion": outcome.conversion,
            "expected_margin_cents": outcome.margin_cents,
            "expected_discount_cents": outcome.discount_cents,
            **fields,
        }
    )


def _shipping_options(s: SessionEconomics) -> tuple[list[OfferOption], list[SkippedOption]]:
    p = s.pricing_input
    list_price = p.item.list_price_cents
    if p.fulfilment != "ship":
        reason = "the order is picked up, not shipped"
        return [], [SkippedOption(key="free_shipping", reason=reason)]
    if s.fee(s.order_at_list) == 0:
        reason = "the order already ships free"
        return [], [SkippedOption(key="free_shipping", reason=reason)]
    options: list[OfferOption] = []
    skipped: list[SkippedOption] = []
    gap = s.nudge_gap()
    if gap is None:
        skipped.append(
            SkippedOption(key="free_shipping_nudge", reason="too far from the threshold")
        )
    else:
        outcome, _ = s.nudged(gap=gap)
        options.append(
            _option(
                "free_shipping_nudge",
                "free_shipping",
                1,
                outcome,
                price_cents=list_price,
                nudge_gap_cents=gap,
            )
        )
    waived = s.priced(item_price=list_price, free_shipping=True, companion_price=None)
    options.append(
        _option(
            "free_shipping", "free_shipping", 2, waived, price_cents=list_price, free_shipping=True
        )
    )
    return options, skipped


def _bundle_options(s: SessionEconomics, pct: int) -> tuple[list[OfferOption], list[SkippedOption]]:
    p = s.pricing_input
    key = f"bundle_{pct}"
    companion = p.companion
    if companion is None:
        return [], [SkippedOption(key=key, reason="no companion item to bundle")]
    if p.item.unit_cost_cents is None:
        return [], [SkippedOption(key=key, reason="the unit cost is unknown, so no bundle price")]
    if companion.unit_cost_cents is None:
        return [], [SkippedOption(key=key, reason="the companion's unit cost is unknown")]
    price = discounted(companion.list_price_cents, pct)
    if price < companion.unit_cost_cents:
        return [], [SkippedOption(key=key, reason="the bundle price is below the companion's cost")]
    outcome = s.priced(
        item_price=p.item.list_price_cents, free_shipping=False, companion_price=price
    )
    option = _option(
        key,
        "bundle",
        3,
        outcome,
        discount_pct=pct,
        price_cents=p.item.list_price_cents,
        companion_sku=companion.sku,
        companion_price_cents=price,
    )
    return [option], []


def _ladder_options(
    s: SessionEconomics, ladder: Sequence[int]
) -> tuple[list[OfferOption], list[SkippedOption]]:
    item = s.pricing_input.item
    if item.unit_cost_cents is None:
        reason = "the unit cost is unknown, so no price cut is proposed"
        return [], [SkippedOption(key=f"percent_off_{pct}", reason=reason) for pct in ladder]
    options: list[OfferOption] = []
    skipped: list[SkippedOption] = []
    for rank, pct in enumerate(sorted(ladder), start=4):
        key = f"percent_off_{pct}"
        price = discounted(item.list_price_cents, pct)
        if price < unit_cost(item):
            skipped.append(SkippedOption(key=key, reason="the price would be below unit cost"))
            continue
        outcome = s.priced(item_price=price, free_shipping=False, companion_price=None)
        options.append(
            _option(key, "percent_off", rank, outcome, discount_pct=pct, price_cents=price)
        )
    return options, skipped


def _session(
    pricing_input: PricingInput, demand: DemandModel
) -> tuple[SessionEconomics, ElasticityEstimate]:
    item = pricing_input.item
    estimate = demand.elasticity(category=item.category, brand=item.brand)
    factor = sensitivity_factor(pricing_input.price_sensitivity)
    companion = pricing_input.companion
    companion_elasticity = (
        demand.elasticity(category=companion.category, brand=companion.brand).value * factor
        if companion is not None
        else estimate.value * factor
    )
    base, _ = base_conversion(pricing_input)
    session = SessionEconomics(
        pricing_input=pricing_input,
        base=base,
        elasticity=estimate.value * factor,
        companion_elasticity=companion_elasticity,
        sensitivity=pricing_input.price_sensitivity
        if pricing_input.price_sensitivity is not None
        else 0.5,
    )
    return session, estimate


def best_option(options: Sequence[OfferOption]) -> OfferOption:
    """The highest expected margin; the cheapest among those within `TIE_CENTS` of it."""
    top = max(o.expected_margin_cents for o in options)
    return min(
        (o for o in options if o.expected_margin_cents >= top - TIE_CENTS),
        key=lambda o: o.cost_rank,
    )


def decide_offer(
    *,
    pricing_input: PricingInput,
    demand: DemandModel | None = None,
    ladder: Sequence[int] = DISCOUNT_LADDER,
    bundle_pct: int = BUNDLE_PCT,
) -> OfferDecision:
    """Choose the intervention with the highest expected contribution margin for this session."""
    if not all(0 < pct < 100 for pct in (*ladder, bundle_pct)):
        raise InputError("discounts must be whole percentages between 1 and 99", field="ladder")
    demand = demand or DEFAULT_DEMAND
    session, estimate = _session(pricing_input, demand)
    list_price = pricing_input.item.list_price_cents
    none = session.priced(item_price=list_price, free_shipping=False, companion_price=None)
    options = [_option("none", "none", 0, none, price_cents=list_price)]
    skipped: list[SkippedOption] = []
    for more, less in (
        _shipping_options(session),
        _bundle_options(session, bundle_pct),
        _ladder_options(session, ladder),
    ):
        options.extend(more)
        skipped.extend(less)
    _, stage = base_conversion(pricing_input)
    return OfferDecision(
        decision_id=decision_id(pricing_input, demand=demand, ladder=ladder, bundle_pct=bundle_pct),
        sku=pricing_input.item.sku,
        chosen=best_option(options),
        options=tuple(options),
        skipped=tuple(skipped),
        base_conversion=session.base,
        intent=stage,
        elasticity=estimate,
        shopper_elasticity=session.elasticity,
        price_sensitivity=pricing_input.price_sensitivity,
        cost_known=pricing_input.item.unit_cost_cents is not None,
    )

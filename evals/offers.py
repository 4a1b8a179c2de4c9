"""Offer eval: the offer engine against 'never discount' and 'always 10% off', simulated.

Every policy meets the same simulated sessions (same shoppers, items, carts and moods); the
shopper response simulator answers from the demo store's hidden truth. Per policy: realised
and expected contribution margin per shopper, conversion and discount spend, with normal 95%
confidence intervals over shoppers; per baseline, the engine's paired gain per shopper. The
engine beats a baseline when the lower end of its expected-margin gain's interval is above 0.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session, select

from tools.pricing import (
    BasketLine,
    DemandModel,
    PricingInput,
    ShippingTerms,
    SkuFacts,
    all_sensitivities,
    decide_offer,
    load_pricing_context,
)
from tools.pricing.context import as_loyalty_tier
from tools.pricing.economics import discounted
from tools.pricing.inputs import LoyaltyTier
from tools.simulator import Presented, ShopperSimulator, SimItem, SimSession
from tools.store import Shopper

Progress = Callable[[int, int], None]
Z95 = 1.959963984540054
ENGINE, NEVER, ALWAYS_10 = "offer engine", "never discount", "always 10% off"


class Estimate(BaseModel):
    """A mean with its 95% confidence interval."""

    mean: float
    ci_low: float
    ci_high: float


class PolicyReport(BaseModel):
    """How one pricing policy did over the simulated sessions (money in dollars)."""

    name: str
    margin_per_shopper: Estimate = Field(description="Realised contribution margin per shopper")
    expected_margin_per_shopper: Estimate = Field(description="Expected, from the true chances")
    discount_per_shopper: Estimate = Field(description="Expected discount spend per shopper")
    revenue_per_shopper: float = Field(description="Expected revenue per shopper")
    conversion: float = Field(description="Share of sessions that bought (realised)")
    expected_conversion: float = Field(description="Mean P(buy) over sessions")
    options: dict[str, int] = Field(description="How often each option was shown")
    margin_leakage_per_shopper: Estimate = Field(
        description="Realised discount given where the shopper would have bought at list price"
    )
    leakage_share: float | None = Field(
        description="Share of realised discount spend that was leakage (None: no discount given)"
    )


class Comparison(BaseModel):
    """The engine's paired gain per shopper over one baseline (dollars)."""

    baseline: str
    expected_margin_gain: Estimate
    realised_margin_gain: Estimate
    beats: bool = Field(description="The expected gain's 95% interval lies above 0")


class OffersEvalResult(BaseModel):
    """The engine against both baselines on the same simulated sessions."""

    truth_file: str
    catalog_version: str
    seed: int
    sessions: int
    shoppers: int
    policies: list[PolicyReport]
    comparisons: list[Comparison]
    engine_beats_both: bool
    decision_ms: dict[str, float] = Field(description="p50/p95/p99 of decide_offer")
    sensitivity_correlation: float | None = Field(
        description="Correlation of estimated and true price sensitivity over shoppers"
    )
    elasticity_sources: dict[str, int] = Field(description="Sessions per elasticity source")


def _facts(item: SimItem) -> SkuFacts:
    return SkuFacts(
        sku=item.sku,
        category=item.view.category,
        brand=item.view.brand,
        list_price_cents=item.list_price_cents,
        unit_cost_cents=item.unit_cost_cents,
    )


@dataclass
class EnginePolicy:
    """The offer engine, seeing what the store can see: history, tier, the intent signal."""

    demand: DemandModel
    shipping: ShippingTerms
    sensitivities: dict[str, float]
    tiers: dict[str, LoyaltyTier]
    timings: list[float] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)

    def pricing_input(self, session: SimSession) -> PricingInput:
        """The engine's input for a session (no hidden truth in it)."""
        return PricingInput(
            item=_facts(session.item),
            basket=tuple(
                BasketLine(
                    sku=i.sku,
                    unit_price_cents=i.list_price_cents,
                    unit_cost_cents=i.unit_cost_cents,
                )
                for i in session.cart
            ),
            companion=_facts(session.companion) if session.companion else None,
            price_sensitivity=self.sensitivities.get(session.shopper_id),
            purchase_propensity=session.signal,
            loyalty_tier=self.tiers.get(session.shopper_id, "none"),
            fulfilment=session.fulfilment,
            shipping=self.shipping,
        )

    def __call__(self, session: SimSession) -> tuple[Presented, str]:
        pricing_input = self.pricing_input(session)
        started = time.perf_counter()
        decision = decide_offer(pricing_input=pricing_input, demand=self.demand)
        self.timings.append((time.perf_counter() - started) * 1000)
        self.sources[decision.elasticity.source] += 1
        chosen = decision.chosen
        presented = Presented(
            item_price_cents=chosen.price_cents,
            free_shipping=chosen.free_shipping,
            nudge=chosen.nudge_gap_cents is not None,
            companion_price_cents=chosen.companion_price_cents,
        )
        return presented, chosen.key


def never_discount(session: SimSession) -> tuple[Presented, str]:
    """List prices, no offer."""
    return Presented(item_price_cents=session.item.list_price_cents), "none"


def always_ten_off(session: SimSession) -> tuple[Presented, str]:
    """10% off the item and the companion, in every session."""
    companion = session.companion
    return (
        Presented(
            item_price_cents=discounted(session.item.list_price_cents, 10),
            companion_price_cents=discounted(companion.list_price_cents, 10) if companion else None,
        ),
        "percent_off_10",
    )


Policy = Callable[[SimSession], tuple[Presented, str]]


@dataclass
class _Tally:
    """Per-shopper sums for one policy."""

    margin: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    expected: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    discount: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    leaked: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    given: float = 0.0
    revenue: float = 0.0
    bought: int = 0
    chance: float = 0.0
    options: Counter[str] = field(default_factory=Counter)

    def add(
        self, sim: ShopperSimulator, session: SimSession, policy: Policy, *, at_list: bool
    ) -> None:
        """One session under the policy; `at_list`: whether the shopper buys at list price."""
        presented, key = policy(session)
        realised = sim.respond(session, presented)
        expected = sim.expected(session, presented)
        who = session.shopper_id
        self.margin[who] += realised.margin_cents / 100
        self.expected[who] += expected.margin_cents / 100
        self.discount[who] += expected.discount_cents / 100
        self.given += realised.discount_cents / 100
        if realised.bought and at_list:
            self.leaked[who] += realised.discount_cents / 100
        self.revenue += expected.revenue_cents / 100
        self.bought += realised.bought
        self.chance += expected.conversion
        self.options[key] += 1


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and normal 95% interval of per-shopper values."""
    array = np.asarray(values, dtype=np.float64)
    mean = float(array.mean())
    half = Z95 * float(array.std(ddof=1)) / math.sqrt(array.size) if array.size > 1 else 0.0
    return Estimate(
        mean=round(mean, 4), ci_low=round(mean - half, 4), ci_high=round(mean + half, 4)
    )


def _report(name: str, tally: _Tally, shoppers: list[str], n_sessions: int) -> PolicyReport:
    return PolicyReport(
        name=name,
        margin_per_shopper=estimate([tally.margin[s] for s in shoppers]),
        expected_margin_per_shopper=estimate([tally.expected[s] for s in shoppers]),
        discount_per_shopper=estimate([tally.discount[s] for s in shoppers]),
        revenue_per_shopper=round(tally.revenue / len(shoppers), 4),
        conversion=round(tally.bought / n_sessions, 4),
        expected_conversion=round(tally.chance / n_sessions, 4),
        options=dict(sorted(tally.options.items())),
        margin_leakage_per_shopper=estimate([tally.leaked[s] for s in shoppers]),
        leakage_share=round(sum(tally.leaked.values()) / tally.given, 4) if tally.given else None,
    )


def _compare(name: str, engine: _Tally, baseline: _Tally, shoppers: list[str]) -> Comparison:
    gain = estimate([engine.expected[s] - baseline.expected[s] for s in shoppers])
    return Comparison(
        baseline=name,
        expected_margin_gain=gain,
        realised_margin_gain=estimate([engine.margin[s] - baseline.margin[s] for s in shoppers]),
        beats=gain.ci_low > 0,
    )


def _engine_policy(engine: Engine, sim: ShopperSimulator, data_dir: Path | None) -> EnginePolicy:
    with Session(engine) as session:
        context = load_pricing_context(session, data_dir=data_dir, shipping=sim.shipping)
        sensitivities = all_sensitivities(session, prices=context.prices)
        tiers = {
            str(shopper_id): as_loyalty_tier(tier)
            for shopper_id, tier in session.exec(select(Shopper.id, Shopper.loyalty_tier)).all()
        }
    return EnginePolicy(
        demand=context.demand, shipping=context.shipping, sensitivities=sensitivities, tiers=tiers
    )


def _correlation(sim: ShopperSimulator, estimates: dict[str, float]) -> float | None:
    ids = sorted(set(estimates) & set(sim.truth.tastes))
    if len(ids) < 3:
        return None
    truth = [sim.truth.tastes[i].price_sensitivity for i in ids]
    return round(float(np.corrcoef([estimates[i] for i in ids], truth)[0, 1]), 4)


def _percentiles(timings: list[float]) -> dict[str, float]:
    p50, p95, p99 = np.percentile(np.asarray(timings), [50, 95, 99])
    return {"p50": round(float(p50), 4), "p95": round(float(p95), 4), "p99": round(float(p99), 4)}


def run_offers_eval(
    *,
    engine: Engine,
    truth_path: Path,
    sessions: int = 10_000,
    seed: int = 0,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> OffersEvalResult:
    """Simulate `sessions` sessions and price each under all three policies."""
    sim = ShopperSimulator.open(engine=engine, truth_path=truth_path, seed=seed)
    engine_policy = _engine_policy(engine, sim, data_dir)
    policies: dict[str, Policy] = {
        ENGINE: engine_policy,
        NEVER: never_discount,
        ALWAYS_10: always_ten_off,
    }
    tallies = {name: _Tally() for name in policies}
    drawn = sim.sessions(sessions)
    for done, session in enumerate(drawn, start=1):
        at_list = sim.respond(session, never_discount(session)[0]).bought
        for name, policy in policies.items():
            tallies[name].add(sim, session, policy, at_list=at_list)
        if progress is not None and (done % 100 == 0 or done == len(drawn)):
            progress(done, len(drawn))
    shoppers = sorted({s.shopper_id for s in drawn})
    comparisons = [_compare(n, tallies[ENGINE], tallies[n], shoppers) for n in (NEVER, ALWAYS_10)]
    return OffersEvalResult(
        truth_file=str(truth_path),
        catalog_version=str(sim.truth.header.get("catalog_version", "")),
        seed=seed,
        sessions=len(drawn),
        shoppers=len(shoppers),
        policies=[_report(n, tallies[n], shoppers, len(drawn)) for n in policies],
        comparisons=comparisons,
        engine_beats_both=all(c.beats for c in comparisons),
        decision_ms=_percentiles(engine_policy.timings),
        sensitivity_correlation=_correlation(sim, engine_policy.sensitivities),
        elasticity_sources=dict(sorted(engine_policy.sources.items())),
    )

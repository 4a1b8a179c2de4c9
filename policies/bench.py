"""A benchmark of one policy check: a seeded mix of every action kind under a pack."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from policies.actions import (
    ActionBase,
    CartLine,
    ChangeListPrice,
    CreatePromotion,
    HoldInventory,
    MerchRuleChange,
    ProposeCart,
    QuoteOffer,
    RecommendedItem,
    Scope,
    SendMessage,
    ShowRecommendations,
    UpdatePreferences,
)
from policies.context import (
    ActorFacts,
    ChannelFacts,
    PolicyContext,
    ProductFacts,
    PromotionImpact,
    ShopperFacts,
)
from policies.engine import check
from policies.pack import Pack

NOW = datetime(2026, 3, 3, 15, 30, tzinfo=UTC)
P99_BUDGET_MS = 0.5
Case = tuple[ActionBase, PolicyContext]


@dataclass(frozen=True)
class BenchResult:
    """Latency of one check, in milliseconds, over a seeded workload."""

    pack: str
    iterations: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    cpu_p50_ms: float
    cpu_p99_ms: float
    checks_per_s: float
    effects: dict[str, int]
    budget_p99_ms: float = P99_BUDGET_MS

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, with whether the p99 is within budget."""
        return {**asdict(self), "within_budget": self.p99_ms <= self.budget_p99_ms}


def _product(rng: random.Random, n: int) -> ProductFacts:
    price = rng.randrange(500, 20_000)
    return ProductFacts(
        sku=f"sku-{n}",
        category=rng.choice(["beauty/skincare", "electronics/audio", "apparel/jackets"]),
        brand=f"brand-{rng.randrange(4)}",
        list_price_cents=price,
        unit_cost_cents=rng.choice([None, price // 2, price // 3]),
        map_cents=rng.choice([None, int(price * 0.8)]),
        lowest_price_30d_cents=int(price * rng.uniform(0.8, 1.0)),
        available_units=rng.randrange(0, 20),
        available_at={"store-1": rng.randrange(0, 5)},
        age_restricted=rng.random() < 0.1,
        regulated=rng.random() < 0.05,
    )


def _context(rng: random.Random, products: list[ProductFacts]) -> PolicyContext:
    shopper = ShopperFacts(
        id="shopper-1",
        loyalty_tier=rng.choice(["none", "silver", "gold"]),
        timezone=rng.choice(["America/New_York", "Europe/Berlin", "Asia/Tokyo"]),
        offers_24h=rng.randrange(0, 4),
        age_verified=rng.random() < 0.5,
        channels={c: ChannelFacts(consent=rng.random() < 0.8) for c in ("email", "sms")},
    )
    actor = ActorFacts(id="agent-1", kind="agent", on_behalf_of="shopper-1")
    if rng.random() < 0.2:
        actor = ActorFacts(id="merch-1", kind="staff", role="merchandiser", category_scopes=("*",))
    impact = PromotionImpact(sku_count=40, margin_before_pct=45.0, margin_after_pct=41.0)
    return PolicyContext(
        now=NOW,
        actor=actor,
        shopper=shopper,
        products={p.sku: p for p in products},
        promotion_impact=impact,
    )


def _shopper_action(rng: random.Random, ps: list[ProductFacts]) -> ActionBase:
    p, sid = ps[0], "shopper-1"
    price = int(p.list_price_cents * rng.uniform(0.5, 1.0))
    makers: list[Callable[[], ActionBase]] = [
        lambda: QuoteOffer(
            shopper_id=sid, sku=p.sku, offer="percent_off", price_cents=price, personalised=True
        ),
        lambda: QuoteOffer(shopper_id=sid, sku=p.sku, price_cents=p.list_price_cents),
        lambda: SendMessage(
            shopper_id=sid,
            channel=rng.choice(["email", "sms"]),
            body="Back in stock",
            unsubscribe_url="https://shop.example/u",
            postal_address="1 Main St",
            send_at=NOW + timedelta(hours=rng.randrange(24)),
        ),
        lambda: ShowRecommendations(
            shopper_id=sid,
            items=tuple(RecommendedItem(sku=q.sku, sponsored=rng.random() < 0.2) for q in ps),
        ),
        lambda: ShowRecommendations(items=tuple(RecommendedItem(sku=q.sku) for q in ps[:4])),
        lambda: HoldInventory(
            shopper_id=sid, sku=p.sku, location_id="store-1", quantity=1, hold_minutes=600
        ),
        lambda: ProposeCart(
            shopper_id=sid,
            lines=(CartLine(sku=p.sku, quantity=1, unit_price_cents=p.list_price_cents),),
        ),
        lambda: UpdatePreferences(shopper_id=sid, changes={"fragrance_free": True}),
    ]
    return rng.choice(makers)()


def _staff_action(rng: random.Random, p: ProductFacts) -> ActionBase:
    makers: list[Callable[[], ActionBase]] = [
        lambda: MerchRuleChange(
            op="boost",
            scope=Scope(category=p.category),
            weight=rng.choice([0.2, 0.5]),
            ends_at=NOW + timedelta(days=3),
        ),
        lambda: ChangeListPrice(sku=p.sku, new_price_cents=int(p.list_price_cents * 0.95)),
        lambda: CreatePromotion(
            name="Spring",
            discount_pct=rng.choice([10, 35]),
            scope=Scope(category=p.category),
            starts_at=NOW,
            ends_at=NOW + timedelta(days=7),
        ),
    ]
    return rng.choice(makers)()


def workload(*, seed: int = 7, size: int = 500) -> list[Case]:
    """A seeded mix of actions of every kind, each with the facts of its check."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for n in range(size):
        products = [_product(rng, n * 10 + i) for i in range(rng.randrange(1, 9))]
        ctx = _context(rng, products)
        staff = ctx.actor.kind == "staff"
        action = _staff_action(rng, products[0]) if staff else _shopper_action(rng, products)
        cases.append((action, ctx))
    return cases


def run(pack: Pack, *, iterations: int = 20_000, warmup: int = 1_000, seed: int = 7) -> BenchResult:
    """Time `iterations` checks over the workload, after `warmup` untimed ones."""
    cases = workload(seed=seed)
    for i in range(warmup):
        check(*cases[i % len(cases)], pack)
    wall: list[float] = []
    cpu: list[float] = []
    effects: dict[str, int] = {}
    gc.collect()
    for i in range(iterations):
        action, ctx = cases[i % len(cases)]
        started, started_cpu = time.perf_counter(), time.thread_time()
        decision = check(action, ctx, pack)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        effects[decision.effect.value] = effects.get(decision.effect.value, 0) + 1
    return _summarise(pack, wall, cpu, effects)


def _summarise(
    pack: Pack, samples: list[float], cpu: list[float], effects: dict[str, int]
) -> BenchResult:
    """Wall-clock percentiles (the budget), and CPU-time ones (the same without other load)."""
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    cpu_cuts = statistics.quantiles(cpu, n=100, method="inclusive")
    return BenchResult(
        pack=pack.version,
        iterations=len(samples),
        p50_ms=round(cuts[49], 4),
        p95_ms=round(cuts[94], 4),
        p99_ms=round(cuts[98], 4),
        max_ms=round(ordered[-1], 4),
        mean_ms=round(statistics.fmean(ordered), 4),
        cpu_p50_ms=round(cpu_cuts[49], 4),
        cpu_p99_ms=round(cpu_cuts[98], 4),
        checks_per_s=round(len(samples) / (sum(samples) / 1000), 1),
        effects=dict(sorted(effects.items())),
    )

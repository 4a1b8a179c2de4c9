"""Latency of one offer decision, as `concierge bench engines` reports it.

One decision is what serving it costs: the product, cart and shopper lookups, the shopper's
price sensitivity from their history, and the decision over every option.
"""

from __future__ import annotations

import random
import time

import numpy as np
from sqlalchemy import Engine
from sqlmodel import Session, select

from tools.pricing.context import CartItem, PricingContext, load_pricing_context, pricing_input_for
from tools.pricing.decide import decide_offer
from tools.store import Product, Shopper


def _timed_decision(
    session: Session,
    context: PricingContext,
    rng: random.Random,
    skus: list[str],
    shoppers: list[str],
) -> float:
    """Milliseconds of one decision for a random sku, shopper, cart and companion."""
    sku, companion = rng.choice(skus), rng.choice(skus)
    cart = [CartItem(sku=rng.choice(skus))] if rng.random() < 0.5 else []
    shopper_id = rng.choice(shoppers) if shoppers else None
    propensity = rng.random()
    started = time.perf_counter()
    pricing_input = pricing_input_for(
        session,
        context=context,
        sku=sku,
        shopper_id=shopper_id,
        cart=cart,
        companion_sku=companion if companion != sku else None,
        purchase_propensity=propensity,
    )
    decide_offer(pricing_input=pricing_input, demand=context.demand)
    return (time.perf_counter() - started) * 1000


def bench_pricing(
    engine: Engine,
    *,
    context: PricingContext | None = None,
    queries: int = 500,
    warmup: int = 20,
    seed: int = 0,
) -> dict[str, float | int]:
    """p50/p95/p99 milliseconds of an offer decision for randomly drawn skus and shoppers."""
    with Session(engine) as session:
        skus = [str(s) for s in session.exec(select(Product.sku).order_by(Product.sku)).all()]
        shoppers = [str(s) for s in session.exec(select(Shopper.id).order_by(Shopper.id)).all()]
        if not skus:
            raise ValueError("the store has no products to benchmark")
        context = context or load_pricing_context(session, fit_from_events=False)
        rng = random.Random(seed)
        timings = [
            _timed_decision(session, context, rng, skus, shoppers) for _ in range(warmup + queries)
        ][warmup:]
    p50, p95, p99 = np.percentile(np.array(timings), [50, 95, 99])
    return {
        "skus": len(skus),
        "queries": queries,
        "p50_ms": round(float(p50), 3),
        "p95_ms": round(float(p95), 3),
        "p99_ms": round(float(p99), 3),
    }

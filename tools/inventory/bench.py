"""Latency of one availability + substitutes call, as `concierge bench engines` reports it."""

from __future__ import annotations

import random
import time
from datetime import datetime

import numpy as np
from sqlalchemy import Engine
from sqlmodel import Session

from tools.inventory.availability import availability
from tools.inventory.index import CatalogIndex, load_index
from tools.inventory.substitutes import substitutes
from tools.store.types import utcnow


def bench_inventory(
    engine: Engine,
    *,
    index: CatalogIndex | None = None,
    queries: int = 500,
    warmup: int = 20,
    limit: int = 5,
    seed: int = 0,
    now: datetime | None = None,
) -> dict[str, float | int]:
    """p50/p95/p99 milliseconds of availability + substitutes for randomly drawn skus."""
    index = index if index is not None else load_index(engine)
    if index.size == 0:
        raise ValueError("the store has no products to benchmark")
    now = now or utcnow()
    skus = sorted(index.rows)
    rng = random.Random(seed)
    drawn = [rng.choice(skus) for _ in range(warmup + queries)]
    timings: list[float] = []
    with Session(engine) as session:
        for i, sku in enumerate(drawn):
            started = time.perf_counter()
            availability(session, sku=sku, now=now)
            substitutes(session, index, sku=sku, now=now, limit=limit)
            if i >= warmup:
                timings.append((time.perf_counter() - started) * 1000)
    p50, p95, p99 = np.percentile(np.array(timings), [50, 95, 99])
    return {
        "skus": index.size,
        "queries": queries,
        "p50_ms": round(float(p50), 3),
        "p95_ms": round(float(p95), 3),
        "p99_ms": round(float(p99), 3),
    }

"""Latency of one recommendation for a known shopper, as `concierge bench engines` reports it.

End to end through `RecommendService.recommend`: their history and session read from the
store, the profile built, candidates from every source, the ranker, the merchandising rules
and the live stock check of the items returned. Item vectors are computed when the engine is
fitted, so a request's cost does not depend on the text encoder; without one given, the
engine is fitted on hashed attributes (fast to fit on a large catalog).
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from tools.recommend.fit import Encoder
from tools.recommend.service import RecommendService, open_service
from tools.store import Event
from tools.store.types import utcnow


def _known_shoppers(db: Engine) -> list[str]:
    with Session(db) as session:
        query = select(col(Event.shopper_id)).where(col(Event.shopper_id).is_not(None)).distinct()
        return sorted(str(s) for (s,) in session.connection().execute(query))


def bench_recommend(
    db: Engine,
    *,
    data_dir: Path,
    encoder: Encoder | None = None,
    service: RecommendService | None = None,
    queries: int = 300,
    warmup: int = 20,
    k: int = 10,
    seed: int = 0,
    now: datetime | None = None,
) -> dict[str, float | int]:
    """p50/p95/p99 milliseconds of a recommendation for randomly drawn known shoppers.

    Wall-clock figures, and the CPU time of the serving thread (what the request costs
    when it has a core to itself; the difference is time spent waiting for one).
    """
    started = time.perf_counter()
    service = service or open_service(db, data_dir=data_dir, encoder=encoder, now=now)
    ready = time.perf_counter() - started
    shoppers = _known_shoppers(db)
    if not shoppers:
        raise ValueError("the store has no shoppers with history to benchmark")
    rng = random.Random(seed)
    drawn = [rng.choice(shoppers) for _ in range(warmup + queries)]
    wall, cpu = _timings(service, drawn, warmup=warmup, k=k, now=now or utcnow())
    p50, p95, p99 = np.percentile(wall, [50, 95, 99])
    cpu50, cpu95 = np.percentile(cpu, [50, 95])
    figures = {
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "cpu_p50_ms": cpu50,
        "cpu_p95_ms": cpu95,
    }
    return {
        "skus": len(service.engine.catalog),
        "shoppers": len(shoppers),
        "queries": queries,
        "k": k,
        "startup_s": round(ready, 3),
        **{name: round(float(value), 3) for name, value in figures.items()},
    }


def _timings(
    service: RecommendService, drawn: list[str], *, warmup: int, k: int, now: datetime
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wall-clock and serving-thread CPU milliseconds of each request after the warm-up."""
    wall: list[float] = []
    cpu: list[float] = []
    for i, shopper in enumerate(drawn):
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        service.recommend(shopper_id=shopper, k=k, now=now)
        if i >= warmup:
            wall.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.thread_time() - begin_cpu) * 1000)
    return np.array(wall), np.array(cpu)

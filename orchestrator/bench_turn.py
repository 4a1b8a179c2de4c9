"""A benchmark of full deterministic shopper turns: supervisor → agents → MCP → policy → execute →
reply, in-process MCP servers, SQLite checkpoints, on a demo store of a given size.

Each conversation is three turns on a fresh thread: a search ("running shoe"), a refinement
("cheaper") and a deal request on a product shown ("any deal on the first one?"). Reports
p50/p95/p99 per turn and per kind of turn, and the share of turn time each node takes (the rest
is the graph's own work and checkpointing). The CPU time of each turn (the process's, over all its
threads) is reported beside the wall time: on a shared machine it shows the turn's own cost.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import anyio
from sqlalchemy import text

from config import Settings
from config.settings import CheckpointSettings
from orchestrator.runtime import Concierge
from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store
from tools.store import make_engine

BUDGET_P95_MS = 40.0
FOLLOW_UPS = (("refine", "cheaper"), ("offer", "any deal on the first one?"))


@dataclass(frozen=True)
class Sample:
    """One timed turn."""

    kind: str
    ms: float
    nodes: dict[str, float]
    cpu_ms: float = 0.0


@dataclass(frozen=True)
class TurnBench:
    """Latency of full turns in milliseconds, and where the time goes."""

    skus: int
    turns: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    by_kind: dict[str, dict[str, float]]
    node_share: dict[str, float]
    node_p50_ms: dict[str, float]
    cpu_p50_ms: float = 0.0
    cpu_p95_ms: float = 0.0
    cpu_p99_ms: float = 0.0
    budget_p95_ms: float = BUDGET_P95_MS

    @property
    def within_budget(self) -> bool:
        """Whether p95 is within the budget."""
        return self.p95_ms <= self.budget_p95_ms

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {**asdict(self), "within_budget": self.within_budget}


def bench_store(base: Settings, *, skus: int, shoppers: int, seed: int) -> Settings:
    """A demo store of this size under the data directory, built on first use."""
    root = base.data_dir / "bench" / f"turn-{skus}-{shoppers}-{seed}"
    database = root / "concierge.db"
    if not (root / "ready").exists():
        spec = DemoSpec(seed=seed, skus=skus, shoppers=shoppers)
        build_demo_store(
            url=f"sqlite:///{database}", truth_path=root / TRUTH_FILE_NAME, spec=spec, force=True
        )
        (root / "ready").write_text("built\n")
    checkpoints = root / "bench-checkpoints.db"
    for stale in root.glob("bench-checkpoints.db*"):
        stale.unlink()
    return base.model_copy(
        update={
            "data_dir": root,
            "database_url": f"sqlite:///{database}",
            "checkpoints": CheckpointSettings(url=f"sqlite:///{checkpoints}"),
        }
    )


def queries(settings: Settings, *, limit: int = 40) -> list[str]:
    """Searches shoppers of this store would make: its most common product types."""
    engine = make_engine(settings.resolved_database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT category FROM products GROUP BY category "
                    "ORDER BY count(*) DESC, category LIMIT :limit"
                ),
                {"limit": limit},
            )
            return [row[0].rsplit("/", 1)[-1].replace("-", " ") for row in rows]
    finally:
        engine.dispose()


async def _conversation(
    concierge: Concierge, opening: str, *, thread_id: str, shopper_id: str
) -> list[Sample]:
    samples: list[Sample] = []
    for kind, words in (("search", opening), *FOLLOW_UPS):
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = await concierge.turn(words, thread_id=thread_id, shopper_id=shopper_id)
        ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
        nodes: dict[str, float] = defaultdict(float)
        for event in outcome.events:
            if event.type == "node_finished":
                nodes[event.node] += event.ms
        samples.append(Sample(kind=kind, ms=ms, nodes=dict(nodes), cpu_ms=cpu_ms))
    return samples


async def measure(
    settings: Settings, *, conversations: int, warmup: int, shoppers: int, seed: int
) -> list[Sample]:
    """Run warm-up conversations, then the timed ones; returns the timed turns."""
    rng = random.Random(seed)
    openings = queries(settings)
    samples: list[Sample] = []
    async with Concierge.open(settings) as concierge:
        for i in range(warmup + conversations):
            shopper = f"shopper-{rng.randrange(shoppers):06d}"
            opening = openings[i % len(openings)]
            if i == warmup:
                gc.collect()
            done = await _conversation(
                concierge, opening, thread_id=f"bench-{seed}-{i}", shopper_id=shopper
            )
            if i >= warmup:
                samples.extend(done)
    return samples


def summarise(samples: list[Sample], *, skus: int) -> TurnBench:
    """Percentiles overall and per kind of turn, and each node's share of the time."""
    times = [s.ms for s in samples]
    by_kind = {
        kind: _percentiles([s.ms for s in samples if s.kind == kind])
        for kind in sorted({s.kind for s in samples})
    }
    total = sum(times)
    per_node: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        for node, ms in sample.nodes.items():
            per_node[node].append(ms)
    share = {node: round(sum(v) / total, 4) for node, v in sorted(per_node.items())}
    share["graph_and_checkpoints"] = round(1 - sum(share.values()), 4)
    overall = _percentiles(times)
    cpu = _percentiles([s.cpu_ms for s in samples])
    return TurnBench(
        skus=skus,
        turns=len(samples),
        p50_ms=overall["p50_ms"],
        p95_ms=overall["p95_ms"],
        p99_ms=overall["p99_ms"],
        max_ms=round(max(times), 3),
        mean_ms=round(statistics.fmean(times), 3),
        by_kind=by_kind,
        node_share=share,
        node_p50_ms={n: round(statistics.median(v), 3) for n, v in sorted(per_node.items())},
        cpu_p50_ms=cpu["p50_ms"],
        cpu_p95_ms=cpu["p95_ms"],
        cpu_p99_ms=cpu["p99_ms"],
    )


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def run(
    base: Settings,
    *,
    skus: int,
    shoppers: int = 2_000,
    conversations: int = 100,
    warmup: int = 10,
    seed: int = 7,
) -> TurnBench:
    """Build (or reuse) the demo store and time full turns on it."""
    settings = bench_store(base, skus=skus, shoppers=shoppers, seed=seed)
    samples = anyio.run(
        lambda: measure(
            settings, conversations=conversations, warmup=warmup, shoppers=shoppers, seed=seed
        )
    )
    return summarise(samples, skus=skus)

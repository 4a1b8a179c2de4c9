"""`latency`: p50/p95/p99 of full deterministic turns (search, refinement, deal request) per
turn kind and per graph node, on a copy of the demo store, and of one policy check. Budgets
from the design are shown beside the figures; they are not pass/fail here, because a shared
machine's load moves latency more than any change does."""

from __future__ import annotations

import anyio

from evals.harness.context import EvalContext
from evals.harness.model import Chart, Metric, SuiteResult
from evals.harness.stats import latency_summary
from evals.oracle import audit_settings

NAME = "latency"
TITLE = "Turn and node latency"
TURN_BUDGET_P95_MS = 40.0
POLICY_BUDGET_P99_MS = 0.5


def run(ctx: EvalContext) -> SuiteResult:
    """Time conversations on the demo store, then policy checks."""
    from orchestrator.bench_turn import measure
    from policies.bench import run as bench_policy
    from policies.loader import default_pack

    settings = ctx.demo_store(NAME)
    conversations, warmup = (20, 3) if ctx.quick else (100, 10)
    ctx.progress.phase(f"{conversations} timed conversations of 3 turns")
    samples = anyio.run(
        lambda: measure(
            settings,
            conversations=conversations,
            warmup=warmup,
            shoppers=ctx.spec.shoppers,
            seed=ctx.seed,
        )
    )
    ctx.progress.phase("policy checks")
    policy = bench_policy(default_pack(), iterations=2_000 if ctx.quick else 20_000, warmup=200)
    turns = latency_summary([s.ms for s in samples])
    kinds = sorted({s.kind for s in samples})
    by_kind = {k: [s.ms for s in samples if s.kind == k] for k in kinds}
    nodes: dict[str, list[float]] = {}
    for sample in samples:
        for node, ms in sample.nodes.items():
            nodes.setdefault(node, []).append(ms)
    metrics = [
        _ms("turn_p50_ms", turns["p50"], "Full turn, all kinds"),
        _ms("turn_p95_ms", turns["p95"], "Full turn, all kinds", budget=TURN_BUDGET_P95_MS),
        _ms("turn_p99_ms", turns["p99"], "Full turn, all kinds"),
        *(
            _ms(f"{k}_turn_p95_ms", latency_summary(v)["p95"], f"'{k}' turns")
            for k, v in by_kind.items()
        ),
        *(
            _ms(f"node_{n}_p95_ms", latency_summary(v)["p95"], f"Node {n}, per turn it ran in")
            for n, v in sorted(nodes.items())
        ),
        _ms(
            "policy_check_p99_ms",
            float(policy.p99_ms),
            "One policy check of one action",
            budget=POLICY_BUDGET_P99_MS,
        ),
    ]
    charts = [
        Chart(
            kind="distributions",
            title="Turn latency by kind",
            unit="ms",
            series={"all turns": [s.ms for s in samples], **by_kind},
        ),
        Chart(
            kind="distributions",
            title="Node latency (per turn it ran in)",
            unit="ms",
            series=dict(sorted(nodes.items())),
        ),
    ]
    return SuiteResult.finished(
        NAME,
        TITLE,
        metrics=metrics,
        charts=charts,
        notes=[
            f"{len(samples)} timed turns on a {ctx.spec.skus:,}-sku store; budgets are for "
            "100k SKUs on an idle 2-core machine"
        ],
        data={
            "store_audit": audit_settings(settings).model_dump(mode="json"),
            "turns": turns,
            "nodes": {n: latency_summary(v) for n, v in sorted(nodes.items())},
            "policy": policy.as_dict(),
        },
    )


def _ms(name: str, value: float, description: str, budget: float | None = None) -> Metric:
    return Metric(
        name=name,
        value=round(value, 3),
        unit="ms",
        better="lower",
        kind="latency",
        baselines={"budget": budget} if budget is not None else {},
        description=description,
    )

"""`offers`: the pricing policy on the shopper simulator (`evals.offers`), against "never
discount" and "always 10% off": contribution margin, conversion and discount spend per shopper
with 95% intervals, the engine's paired gains, and margin leakage for the business figures."""

from __future__ import annotations

from typing import Any

from evals.harness.context import EvalContext, counting
from evals.harness.model import Chart, Metric, SuiteResult
from evals.offers import ALWAYS_10, ENGINE, NEVER, Estimate, OffersEvalResult, PolicyReport

NAME = "offers"
TITLE = "Offer policy on the shopper simulator"


def _ci(estimate: Estimate) -> tuple[float, float]:
    return (estimate.ci_low, estimate.ci_high)


def run(ctx: EvalContext) -> SuiteResult:
    """Simulate sessions on a copy of the demo store and score the three policies."""
    from evals.offers import run_offers_eval
    from tools.demo_store import TRUTH_FILE_NAME
    from tools.store import make_engine

    settings = ctx.demo_store(NAME)
    sessions = 10_000 if ctx.quick else 50_000
    engine = make_engine(settings.resolved_database_url)
    try:
        result = run_offers_eval(
            engine=engine,
            truth_path=settings.data_dir / TRUTH_FILE_NAME,
            sessions=sessions,
            seed=ctx.seed,
            data_dir=settings.data_dir,
            progress=counting(ctx.progress, "simulated sessions"),
        )
    finally:
        engine.dispose()
    return _result(result)


def _result(result: OffersEvalResult) -> SuiteResult:
    policies = {p.name: p for p in result.policies}
    engine = policies[ENGINE]
    others = [policies[NEVER], policies[ALWAYS_10]]

    def side(pick: Any) -> dict[str, float]:
        return {p.name: float(pick(p)) for p in others}

    gains = {c.baseline: c for c in result.comparisons}
    metrics = [
        Metric(
            name="expected_margin_per_shopper",
            value=engine.expected_margin_per_shopper.mean,
            unit="$",
            ci=_ci(engine.expected_margin_per_shopper),
            baselines=side(lambda p: p.expected_margin_per_shopper.mean),
            description="Expected contribution margin per shopper (from the true chances)",
        ),
        Metric(
            name="margin_per_shopper",
            value=engine.margin_per_shopper.mean,
            unit="$",
            ci=_ci(engine.margin_per_shopper),
            baselines=side(lambda p: p.margin_per_shopper.mean),
            description="Realised contribution margin per shopper",
        ),
        Metric(
            name="conversion",
            value=engine.expected_conversion,
            unit="share",
            baselines=side(lambda p: p.expected_conversion),
            description="Mean chance a session buys",
        ),
        Metric(
            name="discount_per_shopper",
            value=engine.discount_per_shopper.mean,
            unit="$",
            better="lower",
            ci=_ci(engine.discount_per_shopper),
            baselines=side(lambda p: p.discount_per_shopper.mean),
            description="Expected discount spend per shopper",
        ),
        *(
            Metric(
                name=f"gain_vs_{name.replace(' ', '_').replace('%', 'pct')}",
                value=c.expected_margin_gain.mean,
                unit="$",
                ci=_ci(c.expected_margin_gain),
                threshold=0.0,
                description=f"Engine's paired expected-margin gain per shopper over '{name}'; "
                "passes when the whole interval is above 0",
            )
            for name, c in gains.items()
        ),
        Metric(
            name="engine_beats_both",
            value=float(result.engine_beats_both),
            unit="share",
            threshold=1.0,
            description="1 when both gains' intervals lie above 0",
        ),
        Metric(
            name="decision_p95_ms",
            value=result.decision_ms["p95"],
            unit="ms",
            better="lower",
            kind="latency",
            description="p95 of one offer decision",
        ),
    ]
    charts = [
        Chart(
            kind="bars",
            title="Per shopper, by policy",
            unit="$",
            labels=["expected margin", "discount spend", "margin leakage"],
            series={
                p.name: [
                    p.expected_margin_per_shopper.mean,
                    p.discount_per_shopper.mean,
                    p.margin_leakage_per_shopper.mean,
                ]
                for p in result.policies
            },
        ),
    ]
    return SuiteResult.finished(
        NAME,
        TITLE,
        metrics=metrics,
        charts=charts,
        notes=[
            f"{result.sessions:,} simulated sessions of {result.shoppers:,} shoppers "
            f"(seed {result.seed}); 95% intervals over shoppers"
        ],
        data={
            "leakage": {"engine": _leakage(engine)} | {p.name: _leakage(p) for p in others},
            "offers": result.model_dump(mode="json"),
        },
    )


def _leakage(p: PolicyReport) -> dict[str, Any]:
    return {
        "per_shopper": p.margin_leakage_per_shopper.mean,
        "ci": list(_ci(p.margin_leakage_per_shopper)),
        "share": p.leakage_share,
    }

"""`recsys`: recommendation quality. Always: the ranker against popularity and the other
recommenders on the demo store's held-out last purchases (`evals.recommend`). On a full run,
when the sequential recommender (`tools.sequential`) is installed and the shared Amazon Beauty
data is present: the next-item protocol of the published papers, trained from scratch, beside
the published rows (skipped in --quick: training takes minutes per epoch here)."""

from __future__ import annotations

import importlib.util
from typing import Any

from evals.harness.context import EvalContext, counting
from evals.harness.model import Chart, Metric, SuiteResult

NAME = "recsys"
TITLE = "Recommendation quality"
SEQUENTIAL_MINUTES = 15.0


def run(ctx: EvalContext) -> SuiteResult:
    """The store recommenders, then (full runs) the sequential model on Amazon Beauty."""
    metrics, charts, notes, data = _store(ctx)
    sequential = _sequential(ctx, notes)
    if sequential is not None:
        metrics.extend(sequential[0])
        charts.append(sequential[1])
        data["sequential"] = sequential[2]
    return SuiteResult.finished(NAME, TITLE, metrics=metrics, charts=charts, notes=notes, data=data)


def _store(ctx: EvalContext) -> tuple[list[Metric], list[Chart], list[str], dict[str, Any]]:
    from evals.recommend import RANKER, run_recommend_eval
    from tools.recommend import text_encoder
    from tools.store import make_engine

    settings = ctx.demo_store(NAME)
    engine = make_engine(settings.resolved_database_url)
    try:
        result = run_recommend_eval(
            engine=engine,
            encoder=text_encoder(settings.data_dir),
            max_shoppers=300 if ctx.quick else None,
            seed=ctx.seed,
            progress=counting(ctx.progress, "held-out purchases on the demo store"),
        )
    finally:
        engine.dispose()
    methods = {m.name: m for m in result.methods}
    ranker = methods[RANKER]
    others = {n: m for n, m in methods.items() if n != RANKER}
    metrics = [
        Metric(
            name=f"store_ndcg@{k}",
            value=round(ranker.ndcg[k], 4),
            unit="share",
            baselines={n: round(m.ndcg[k], 4) for n, m in others.items()},
            description=f"Ranker NDCG@{k} on {result.test_shoppers:,} held-out last purchases",
        )
        for k in ("10",)
    ] + [
        Metric(
            name="store_hr@10",
            value=round(ranker.hit_rate["10"], 4),
            unit="share",
            baselines={n: round(m.hit_rate["10"], 4) for n, m in others.items()},
            description="Ranker hit rate at 10",
        ),
        Metric(
            name="store_lift_over_popularity",
            value=round(result.lift_ndcg_at_10, 4),
            unit="share",
            threshold=result.required_lift,
            description="Relative NDCG@10 gain of the ranker over popularity",
        ),
    ]
    chart = Chart(
        kind="bars",
        title="Demo store: NDCG@10 by method",
        unit="NDCG@10",
        labels=list(methods),
        series={"NDCG@10": [m.ndcg["10"] for m in methods.values()]},
    )
    notes = [f"demo store: {result.test_shoppers:,} shoppers held out, text: {result.text_encoder}"]
    return metrics, [chart], notes, {"store": result.model_dump(mode="json")}


def _sequential(
    ctx: EvalContext, notes: list[str]
) -> tuple[list[Metric], Chart, dict[str, Any]] | None:
    if importlib.util.find_spec("tools.sequential") is None:
        notes.append("sequential recommender not installed: Amazon Beauty protocol not run")
        return None
    beauty = ctx.shared("amazon", "Beauty.txt")
    if beauty is None:
        notes.append("shared Amazon Beauty data absent: sequential protocol not run")
        return None
    if ctx.quick:
        notes.append("sequential model on Amazon Beauty: full runs only (training takes minutes)")
        return None
    from tools.sequential.config import ModelConfig, TrainConfig
    from tools.sequential.evaluate import run_recsys_eval

    ctx.progress.phase("training the sequential model on Amazon Beauty")
    result = run_recsys_eval(
        sequences=beauty,
        attributes=ctx.shared("amazon", "Beauty_item2attributes.json"),
        model_config=ModelConfig(),
        train_config=TrainConfig(max_minutes=SEQUENTIAL_MINUTES),
        checkpoint_dir=ctx.scratch("recsys-checkpoints"),
    ).model_dump(mode="json")
    return _sequential_figures(result)


def _sequential_figures(result: dict[str, Any]) -> tuple[list[Metric], Chart, dict[str, Any]]:
    methods, published = result["methods"], result["published"]
    mine = methods[0]
    baselines = {
        m["name"]: m["test"]["NDCG@10"]
        for m in methods[1:] + published
        if m["test"].get("NDCG@10") is not None
    }
    metrics = [
        Metric(
            name=f"beauty_{key.lower()}",
            value=mine["test"][key],
            unit="share",
            baselines={
                m["name"]: m["test"][key]
                for m in methods[1:] + published
                if m["test"].get(key) is not None
            },
            description=f"{mine['name']} {key}, leave-one-out full ranking, all users",
        )
        for key in ("HR@10", "NDCG@10", "NDCG@20")
    ]
    chart = Chart(
        kind="bars",
        title="Amazon Beauty: test NDCG@10",
        unit="NDCG@10",
        labels=[mine["name"], *baselines],
        series={"NDCG@10": [mine["test"]["NDCG@10"], *baselines.values()]},
    )
    return metrics, chart, result

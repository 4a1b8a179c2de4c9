"""`concierge`: multi-turn scenario conversations against the demo store and the τ-bench store.

Dataset: `evals/datasets/scenarios/*.yaml`; a file's `store:` says which store its scenarios
talk to (`demo`, the default, or `taubench`, imported from the shared τ-bench data and skipped
with a reason where that is absent). Each turn's `expect` checks and, after every shopper turn,
the invariants (grounded reply, nothing out of stock shown, quotes within policy).

Success rate: scenarios whose every check held. With an LLM configured every scenario runs
`trials` times on fresh copies of the store and pass^k is reported for k = 1..trials.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import anyio

from config import Settings
from evals.harness.context import NOW, EvalContext, settings_for, warm_indexes
from evals.harness.model import CaseResult, Chart, Metric, SuiteResult
from evals.harness.stats import pass_hat_k, wilson
from evals.oracle import StoreAudit, audit_settings
from evals.scenarios import ScenarioResult, load_dataset, play_scenario

NAME = "concierge"
TITLE = "Multi-turn scenario conversations"
DATASETS = Path(__file__).resolve().parents[1] / "datasets" / "scenarios"


def datasets(directory: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Scenarios by the store they talk to."""
    import yaml

    groups: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((directory or DATASETS).glob("*.yaml")):
        store = str((yaml.safe_load(path.read_text()) or {}).get("store", "demo"))
        groups.setdefault(store, []).extend(load_dataset(path))
    return groups


def run(ctx: EvalContext) -> SuiteResult:
    """Play every scenario (`trials` times with an LLM) and score them."""
    groups = datasets()
    trials = ctx.trials if ctx.llm_factory is not None else 1
    results: dict[str, list[ScenarioResult]] = {}
    audit = StoreAudit()
    notes: list[str] = []
    for store, scenarios in groups.items():
        source = _source(ctx, store)
        if source is None:
            notes.append(f"{len(scenarios)} {store} scenarios skipped: shared τ-bench data absent")
            continue
        for trial in range(trials):
            settings = ctx.copy_store(source, f"{NAME}-{store}-{trial}")
            ctx.progress.phase(f"{store} store, trial {trial + 1}/{trials}", len(scenarios))
            played = anyio.run(_play_all, ctx, settings, scenarios, trial)
            for scenario, outcome in zip(scenarios, played, strict=True):
                results.setdefault(f"{store}/{scenario['name']}", []).append(outcome)
            audit = audit.merge(audit_settings(settings))
    return _result(results, trials, audit, notes)


def _source(ctx: EvalContext, store: str) -> Path | None:
    if store == "demo":
        return ctx.template()
    if store == "taubench":
        data = ctx.shared("taubench_retail")
        return None if data is None else taubench_template(ctx, data)
    raise ValueError(f"unknown scenario store {store!r}")


def taubench_template(ctx: EvalContext, data: Path) -> Path:
    """A store imported from the τ-bench files, its indexes warmed (built on first use)."""
    from tools.importers.taubench import import_taubench
    from tools.store import make_engine

    digest = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(data.glob("*.json")))
    ).hexdigest()[:12]
    root = ctx.work_dir / "templates" / f"taubench-{digest}"
    if not (root / "ready").exists():
        ctx.progress.phase("importing the τ-bench store and building its indexes")
        root.mkdir(parents=True, exist_ok=True)
        settings = settings_for(ctx.base, root)
        engine = make_engine(settings.resolved_database_url)
        try:
            import_taubench(engine, directory=data, replace=True)
        finally:
            engine.dispose()
        anyio.run(warm_indexes, settings)
        (root / "ready").write_text("ok\n")
    return root


async def _play_all(
    ctx: EvalContext, settings: Settings, scenarios: list[dict[str, Any]], trial: int
) -> list[ScenarioResult]:
    from orchestrator.runtime import Concierge
    from tools.store import make_engine

    engine = make_engine(settings.resolved_database_url)
    played: list[ScenarioResult] = []
    try:
        async with ctx.llm() as llm, Concierge.open(settings, llm=llm) as concierge:
            for scenario in scenarios:
                thread = f"eval-{scenario['name']}-{trial}"
                played.append(
                    await play_scenario(concierge, engine, scenario, thread=thread, now=NOW)
                )
                ctx.progress.advance()
    finally:
        engine.dispose()
    return played


def _result(
    results: dict[str, list[ScenarioResult]], trials: int, audit: StoreAudit, notes: list[str]
) -> SuiteResult:
    cases = [
        CaseResult(
            id=name,
            passed=all(o.passed for o in outcomes),
            trials=len(outcomes),
            passes=sum(o.passed for o in outcomes),
            failures=[f for o in outcomes for f in o.failures][:10],
            details={"turns": outcomes[0].turns, "checks": outcomes[0].checks},
        )
        for name, outcomes in results.items()
    ]
    if not cases:
        return SuiteResult(name=NAME, title=TITLE, status="skipped", reason="; ".join(notes))
    invariants: Counter[str] = Counter()
    for outcomes in results.values():
        for o in outcomes:
            invariants.update(o.invariant_failures)
    passed = sum(c.passes for c in cases)
    runs = sum(c.trials for c in cases)
    checks = sum(o.checks for outs in results.values() for o in outs)
    failed_checks = sum(len(o.failures) for outs in results.values() for o in outs)
    metrics = [
        Metric(
            name="success_rate",
            value=round(passed / runs, 4),
            unit="share",
            ci=wilson(passed, runs),
            threshold=0.9,
            description="Scenario runs whose every check and invariant held",
        ),
        Metric(
            name="check_pass_rate",
            value=round(1 - failed_checks / checks, 4) if checks else None,
            unit="share",
            description=f"Of {checks} checks (expected outcomes and per-turn invariants)",
        ),
        *(
            Metric(
                name=f"pass^{k}",
                value=round(pass_hat_k([(c.passes, c.trials) for c in cases], k), 4),
                unit="share",
                description=f"Chance that {k} runs of a scenario all pass (τ-bench pass^k)",
            )
            for k in range(2, trials + 1)
        ),
        _count(
            "ungrounded_replies",
            invariants["grounded"],
            "Replies stating an unapproved price or product",
        ),
        _count("stockout_turns", invariants["in_stock"], "Turns showing an out-of-stock product"),
        _count(
            "offers_outside_policy",
            invariants["offers_within_policy"],
            "Quotes below the floor or deeper than the category allows",
        ),
        _count(
            "executed_violations",
            len(audit.violations),
            "Executed actions breaking an invariant (store audit)",
            kind="safety",
        ),
    ]
    chart = Chart(
        kind="bars",
        stacked=True,
        title="Scenario runs passed",
        unit="runs",
        labels=[c.id for c in cases],
        series={
            "passed": [float(c.passes) for c in cases],
            "failed": [float(c.trials - c.passes) for c in cases],
        },
    )
    return SuiteResult.finished(
        NAME,
        TITLE,
        metrics=metrics,
        cases=cases,
        charts=[chart],
        notes=notes,
        data={"trials": trials, "store_audit": audit.model_dump(mode="json")},
    )


def _count(name: str, value: int, description: str, kind: str = "quality") -> Metric:
    return Metric(
        name=name,
        value=float(value),
        unit="count",
        better="lower",
        kind="safety" if kind == "safety" else "quality",
        threshold=0.0,
        description=description,
    )

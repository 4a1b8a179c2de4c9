"""`merch`: merchandiser tasks with expected plans (`evals/datasets/merch_tasks.yaml`).

The store the dataset was written against is built from its own `store:` spec (small; no text
encoder needed) and every task is compiled by the planner and checked field by field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evals.harness.context import EvalContext
from evals.harness.evaluators import Case, Evaluator, EvaluatorContext, evaluate
from evals.harness.model import CaseResult, Chart, Metric, SuiteResult
from evals.harness.stats import wilson
from evals.merch_tasks import check_task, load_dataset

NAME = "merch"
TITLE = "Merchandiser tasks and their plans"


class MatchesExpectation(Evaluator[dict[str, Any], list[str], str]):
    """The task compiled to what its expectation says (no difference found)."""

    name = "matches"

    def evaluate(self, ctx: EvaluatorContext[dict[str, Any], list[str], str]) -> bool:
        return not ctx.output


def run(ctx: EvalContext) -> SuiteResult:
    """Build the dataset's store, compile every task, compare with its expectation."""
    from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store
    from tools.query import CatalogVocabulary
    from tools.store import make_engine

    data = load_dataset()
    spec = DemoSpec(**data["store"])
    root = ctx.scratch(NAME)
    url = f"sqlite:///{root / 'merch.db'}"
    ctx.progress.phase(f"building the dataset's {spec.skus}-sku store")
    build_demo_store(url=url, truth_path=root / TRUTH_FILE_NAME, spec=spec, force=True)
    engine = make_engine(url)
    now = datetime.fromisoformat(data["now"])
    try:
        vocabulary = CatalogVocabulary.from_store(engine)

        def task(inputs: dict[str, Any]) -> list[str]:
            return check_task(
                inputs, engine=engine, vocabulary=vocabulary, now=now, timezone=data["timezone"]
            )

        cases = [Case(name=t["id"], inputs=t, expected=t["expect"]["class"]) for t in data["tasks"]]
        ctx.progress.phase("compiling tasks", len(cases))
        outputs: dict[str, list[str]] = {}

        def recorded(inputs: dict[str, Any]) -> list[str]:
            outputs[inputs["id"]] = task(inputs)
            return outputs[inputs["id"]]

        report = evaluate(cases, recorded, [MatchesExpectation()], on_case=ctx.progress.advance)
    finally:
        engine.dispose()
    results = [
        CaseResult(id=r.name, passed=r.passed, failures=outputs.get(r.name, r.failures()))
        for r in report.cases
    ]
    passed = sum(r.passed for r in results)
    by_class: dict[str, list[bool]] = {}
    for t, r in zip(data["tasks"], results, strict=True):
        by_class.setdefault(t["expect"]["class"], []).append(r.passed)
    metrics = [
        Metric(
            name="task_success_rate",
            value=round(passed / len(results), 4),
            unit="share",
            ci=wilson(passed, len(results)),
            threshold=1.0,
            description=f"Of {len(results)} tasks: plan, report or expected refusal as written",
        ),
    ]
    chart = Chart(
        kind="bars",
        stacked=True,
        title="Tasks passed by class",
        unit="tasks",
        labels=list(by_class),
        series={
            "passed": [float(sum(v)) for v in by_class.values()],
            "failed": [float(len(v) - sum(v)) for v in by_class.values()],
        },
    )
    return SuiteResult.finished(NAME, TITLE, metrics=metrics, cases=results, charts=[chart])

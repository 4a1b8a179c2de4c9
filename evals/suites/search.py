"""`search`: query understanding and retrieval on the demo store, cases from its hidden truth.

Each case (see `evals.search_cases`) is parsed by the request parser; the extracted slots are
compared with the stated ones (micro precision and recall, per slot type too), and the hybrid
search run with the parsed filters is scored by NDCG@10 against the products that satisfy the
request. The baseline is the same hybrid search on the raw text without any parsed filter.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from evals.harness.context import NOW, EvalContext
from evals.harness.evaluators import Case, Evaluator, EvaluatorContext, evaluate
from evals.harness.model import CaseResult, Chart, Metric, SuiteResult
from evals.harness.stats import ndcg_at_k, precision_at_k
from evals.search_cases import Item, SearchCase, generate_cases, norm

NAME = "search"
TITLE = "Query understanding and retrieval"
K = 10
SLOT_TYPES = ("category", "attribute", "brand", "excluded_brand", "budget_max")


@dataclass(frozen=True)
class Answer:
    """What the system made of a request: slots, and both rankings."""

    slots: frozenset[tuple[str, str]]
    understood: list[str]
    raw: list[str]


def extracted_slots(intent: Any) -> frozenset[tuple[str, str]]:
    """A parsed intent's slots as (slot, value) pairs comparable with a case's."""
    found: set[tuple[str, str]] = set()
    if intent.category:
        found.add(("category", intent.category))
    for key, values in intent.attributes.items():
        found.update((f"attribute:{key}", norm(v)) for v in values)
    found.update(("brand", b.lower()) for b in intent.brands)
    found.update(("excluded_brand", b.lower()) for b in intent.excluded_brands)
    if intent.budget is not None and intent.budget.max_cents is not None:
        found.add(("budget_max", str(intent.budget.max_cents)))
    return frozenset(found)


def _type(slot: str) -> str:
    return slot.split(":", 1)[0]


class SlotScores(Evaluator[str, Answer, SearchCase]):
    """Slot counts for micro precision/recall, per slot type, and an exact-match assertion."""

    name = "slots"

    def evaluate(self, ctx: EvaluatorContext[str, Answer, SearchCase]) -> dict[str, bool | float]:
        expected = ctx.case.expected.slots()
        found = ctx.output.slots
        scores: dict[str, bool | float] = {
            "tp": len(expected & found),
            "extracted": len(found),
            "expected": len(expected),
            "exact": expected == found,
        }
        for kind in SLOT_TYPES:
            wanted = {s for s in expected if _type(s[0]) == kind}
            if wanted:
                scores[f"recall_{kind}"] = len(wanted & found) / len(wanted)
        return scores


class Ranking(Evaluator[str, Answer, SearchCase]):
    """NDCG@10 and precision@10 of both rankings, and whether the understood one is empty."""

    name = "ranking"

    def evaluate(self, ctx: EvaluatorContext[str, Answer, SearchCase]) -> dict[str, bool | float]:
        relevant = ctx.case.expected.relevant
        out = ctx.output
        return {
            "ndcg": ndcg_at_k(out.understood, relevant, K),
            "ndcg_raw": ndcg_at_k(out.raw, relevant, K),
            "precision": precision_at_k(out.understood, relevant, K),
            "precision_raw": precision_at_k(out.raw, relevant, K),
            "zero_results": float(not out.understood),
        }


def read_items(engine: Engine) -> list[Item]:
    """Every product of the store as the cases read it."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT sku, category, brand, list_price_cents, attributes FROM products")
        )
        return [
            Item(r[0], r[1], r[2], r[3], r[4] if isinstance(r[4], dict) else json.loads(r[4]))
            for r in rows
        ]


def run(ctx: EvalContext) -> SuiteResult:
    """Generate the cases, answer them, score them."""
    from tools.demo_store import TRUTH_FILE_NAME
    from tools.demo_store.truth import read_truth
    from tools.query import CatalogVocabulary, parse
    from tools.search import load_or_build, search
    from tools.search.from_intent import filters_for, query_for
    from tools.store import make_engine

    settings = ctx.demo_store(NAME)
    engine = make_engine(settings.resolved_database_url)
    try:
        truth = read_truth(settings.data_dir / TRUTH_FILE_NAME)
        cases = generate_cases(
            items=read_items(engine),
            tastes=truth.tastes,
            count=150 if ctx.quick else 600,
            seed=ctx.seed,
        )
        vocabulary = CatalogVocabulary.from_store(engine)
        ctx.progress.phase("loading the search index")
        index = load_or_build(engine=engine, data_dir=settings.data_dir)
    finally:
        engine.dispose()

    def answer(request: str) -> Answer:
        intent = parse(request, vocabulary=vocabulary, now=NOW)
        hits = search(index, query=query_for(intent), filters=filters_for(intent), k=K)
        raw = search(index, query=request, k=K)
        return Answer(extracted_slots(intent), [h.sku for h in hits], [h.sku for h in raw])

    dataset = [Case(name=c.id, inputs=c.text, expected=c) for c in cases]
    ctx.progress.phase("parsing and searching", len(dataset))
    report = evaluate(dataset, answer, [SlotScores(), Ranking()], on_case=ctx.progress.advance)
    return _result(report.cases, cases)


def _result(reports: list[Any], cases: list[SearchCase]) -> SuiteResult:
    totals: Counter[str] = Counter()
    for r in reports:
        for key in ("tp", "extracted", "expected"):
            totals[key] += r.scores.get(f"slots.{key}", 0.0)

    def mean(key: str) -> float | None:
        values = [r.scores[key] for r in reports if key in r.scores]
        return round(sum(values) / len(values), 4) if values else None

    precision = totals["tp"] / totals["extracted"] if totals["extracted"] else None
    recall = totals["tp"] / totals["expected"] if totals["expected"] else None
    metrics = [
        Metric(
            name="slot_precision",
            value=_round(precision),
            unit="share",
            threshold=0.8,
            description="Extracted slots that were asked for (micro-averaged)",
        ),
        Metric(
            name="slot_recall",
            value=_round(recall),
            unit="share",
            threshold=0.8,
            description="Asked-for slots that were extracted (micro-averaged)",
        ),
        Metric(
            name="intent_exact",
            value=_share([r.assertions.get("slots.exact", False) for r in reports]),
            unit="share",
            description="Requests whose slots were all extracted, nothing else",
        ),
        Metric(
            name="ndcg@10",
            value=mean("ranking.ndcg"),
            unit="share",
            threshold=0.5,
            baselines={"raw text, no filters": mean("ranking.ndcg_raw") or 0.0},
            description="Hybrid search with the parsed filters vs. relevant products",
        ),
        Metric(
            name="precision@10",
            value=mean("ranking.precision"),
            unit="share",
            baselines={"raw text, no filters": mean("ranking.precision_raw") or 0.0},
            description="Share of the top 10 that satisfies the request",
        ),
        Metric(
            name="zero_result_rate",
            value=mean("ranking.zero_results"),
            unit="share",
            better="lower",
            description="Requests the parsed filters left with no result",
        ),
    ]
    per_type = {kind: mean(f"slots.recall_{kind}") for kind in SLOT_TYPES}
    charts = [
        Chart(
            kind="bars",
            title="Slot recall by slot type",
            unit="share",
            labels=[k for k, v in per_type.items() if v is not None],
            series={"recall": [v for v in per_type.values() if v is not None]},
        ),
        Chart(
            kind="bars",
            title="Ranking quality (mean over requests)",
            unit="share",
            labels=["NDCG@10", "precision@10"],
            series={
                "parsed filters": [mean("ranking.ndcg") or 0.0, mean("ranking.precision") or 0.0],
                "raw text": [mean("ranking.ndcg_raw") or 0.0, mean("ranking.precision_raw") or 0.0],
            },
        ),
    ]
    by_id = {c.id: c for c in cases}
    results = [
        CaseResult(
            id=r.name,
            passed=r.passed,
            failures=r.failures(),
            details={"text": by_id[r.name].text, "ndcg": r.scores.get("ranking.ndcg")},
        )
        for r in reports
    ]
    return SuiteResult.finished(
        NAME,
        TITLE,
        metrics=metrics,
        charts=charts,
        cases=results,
        notes=[f"{len(cases)} requests generated from the store's truth"],
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None

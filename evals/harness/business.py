"""Business figures beside the ML ones, gathered from what the suites did to their stores:
violation rate, stockout recommendations, consent breaches, and margin leakage (discount given
where none was needed) from the offers simulation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.harness.model import Chart, Metric, SuiteResult
from evals.harness.stats import ratio, rule_of_three, wilson
from evals.oracle import StoreAudit

NAME = "business"
TITLE = "Business metrics across suites"


def gathered_audit(suites: Sequence[SuiteResult]) -> tuple[StoreAudit, list[str]]:
    """The store audits the suites reported, summed, and which suites they came from."""
    total = StoreAudit()
    sources: list[str] = []
    for suite in suites:
        raw = suite.data.get("store_audit")
        if raw:
            total = total.merge(StoreAudit.model_validate(raw))
            sources.append(suite.name)
    return total, sources


def business_suite(suites: Sequence[SuiteResult]) -> SuiteResult | None:
    """The business summary, or None when no suite gave anything to summarise."""
    audit, sources = gathered_audit(suites)
    leakage = next((s.data.get("leakage") for s in suites if s.data.get("leakage")), None)
    if not sources and leakage is None:
        return None
    metrics = _audit_metrics(audit) if sources else []
    if leakage is not None:
        metrics.extend(_leakage_metrics(leakage))
    charts = []
    if audit.by_kind:
        charts.append(
            Chart(
                kind="bars",
                title="Executed actions by kind (all suites)",
                unit="actions",
                labels=list(audit.by_kind),
                series={"executed": [float(v) for v in audit.by_kind.values()]},
            )
        )
    notes = [f"store audits from: {', '.join(sources)}"] if sources else []
    return SuiteResult.finished(
        NAME,
        TITLE,
        metrics=metrics,
        charts=charts,
        notes=notes,
        data={"violations": [v.model_dump() for v in audit.violations[:50]]},
    )


def _audit_metrics(audit: StoreAudit) -> list[Metric]:
    violations = len(audit.violations)
    rate = ratio(violations, audit.executions)
    stockouts = ratio(audit.stockout_items, audit.recommended_items)
    return [
        Metric(
            name="violation_rate",
            value=rate,
            unit="share",
            better="lower",
            kind="business",
            threshold=0.0,
            ci=(0.0, rule_of_three(audit.executions))
            if violations == 0
            else wilson(violations, audit.executions),
            description=f"Executed actions breaking an invariant, of {audit.executions:,} executed",
        ),
        Metric(
            name="stockout_recommendation_rate",
            value=stockouts,
            unit="share",
            better="lower",
            kind="business",
            threshold=0.0,
            description=f"Recommended items out of stock when decided, of "
            f"{audit.recommended_items:,} recommended",
        ),
        Metric(
            name="consent_breaches",
            value=float(audit.consent_breaches),
            unit="count",
            better="lower",
            kind="business",
            threshold=0.0,
            description=f"Queued messages to a channel without consent, of {audit.messages_queued}",
        ),
    ]


def _leakage_metrics(leakage: dict[str, Any]) -> list[Metric]:
    engine = leakage["engine"]
    baselines = {k: v["per_shopper"] for k, v in leakage.items() if k != "engine"}
    return [
        Metric(
            name="margin_leakage_per_shopper",
            value=engine["per_shopper"],
            unit="$",
            better="lower",
            kind="business",
            ci=tuple(engine["ci"]),
            baselines=baselines,
            description="Expected discount paid on purchases that would have happened at list "
            "price (offers simulation)",
        ),
        Metric(
            name="margin_leakage_share",
            value=engine["share"],
            unit="share",
            better="lower",
            kind="business",
            baselines={
                k: v["share"]
                for k, v in leakage.items()
                if k != "engine" and v["share"] is not None
            },
            description="Share of discount spend that bought nothing extra",
        ),
    ]

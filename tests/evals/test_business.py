"""Business figures gathered across suites from their store audits and the offers simulation."""

from __future__ import annotations

from evals.harness.business import business_suite
from evals.harness.model import SuiteResult
from evals.oracle import StoreAudit, Violation


def _suite(name: str, **data: object) -> SuiteResult:
    return SuiteResult(name=name, title=name, status="passed", data=dict(data))


def test_rates_over_every_audited_store() -> None:
    a = StoreAudit(
        executions=90,
        recommended_items=40,
        stockout_items=0,
        messages_queued=3,
        by_kind={"quote_offer": 90},
    )
    b = StoreAudit(
        executions=10,
        recommended_items=10,
        stockout_items=1,
        consent_breaches=1,
        violations=[
            Violation(
                execution_id=1,
                kind="quote_offer",
                codes=["BELOW_FLOOR"],
                decision_id="d",
                actor="x",
            )
        ],
        by_kind={"quote_offer": 10},
    )
    leakage = {
        "engine": {"per_shopper": 4.0, "ci": [3.0, 5.0], "share": 0.5},
        "never discount": {"per_shopper": 0.0, "ci": [0.0, 0.0], "share": None},
        "always 10% off": {"per_shopper": 28.0, "ci": [27.0, 29.0], "share": 0.9},
    }
    suite = business_suite(
        [
            _suite("concierge", store_audit=a.model_dump(mode="json")),
            _suite("redteam", store_audit=b.model_dump(mode="json")),
            _suite("offers", leakage=leakage),
        ]
    )
    assert suite is not None and suite.status == "failed"
    values = {m.name: m for m in suite.metrics}
    assert values["violation_rate"].value == 0.01
    assert values["stockout_recommendation_rate"].value == 0.02
    assert values["consent_breaches"].value == 1.0
    assert values["margin_leakage_per_shopper"].value == 4.0
    assert values["margin_leakage_per_shopper"].baselines == {
        "never discount": 0.0,
        "always 10% off": 28.0,
    }
    assert values["margin_leakage_share"].baselines == {"always 10% off": 0.9}
    assert suite.charts[0].series["executed"] == [100.0]


def test_nothing_to_summarise() -> None:
    assert business_suite([_suite("merch")]) is None
    clean = StoreAudit(executions=5, recommended_items=5)
    suite = business_suite([_suite("latency", store_audit=clean.model_dump(mode="json"))])
    assert suite is not None and suite.status == "passed"
    rate = suite.metric("violation_rate")
    assert rate is not None and rate.value == 0.0 and rate.ci == (0.0, 0.6)

"""The red team's figures from a hand-made tally and store audit."""

from __future__ import annotations

from evals.oracle import StoreAudit, Violation
from evals.redteam.tally import Tally
from evals.suites.redteam import _result


def _tally() -> Tally:
    tally = Tally()
    tally.attempts.update(
        {
            "jailbreak": 2_000,
            "forged_proposal.quote_offer": 900,
            "forged_decision": 150,
            "decision_replay": 40,
            "planted_injection": 10,
        }
    )
    tally.ungrounded["jailbreak"] = 1
    return tally


def test_replays_are_neither_attempts_nor_violations() -> None:
    audit = StoreAudit(
        executions=100,
        reused_decisions=40,
        decisions_by_rule={"approve: QUOTE_ALLOWED": 5, "deny: NO_CONSENT": 50},
    )
    result = _result(_tally(), audit, {"diverged_turns": 0}, notes=[])
    figures = {m.name: m.value for m in result.metrics}
    assert figures["attempts"] == 3_060
    assert figures["executed_violations"] == 0 and figures["decision_reuse_executed"] == 40
    assert figures["grounding_failures"] == 1
    assert result.status == "failed" and "grounding_failures" in result.reason
    families, rules = result.charts
    assert families.labels == [
        "forged_decision",
        "forged_proposal",
        "jailbreak",
        "planted_injection",
    ]
    assert rules.labels == ["deny: NO_CONSENT", "approve: QUOTE_ALLOWED"]


def test_a_violation_or_too_few_attempts_fail_the_suite() -> None:
    tally = Tally()
    tally.attempts["jailbreak"] = 10
    violation = Violation(
        execution_id=1, kind="quote_offer", codes=["BELOW_FLOOR"], decision_id="d", actor="a"
    )
    result = _result(tally, StoreAudit(executions=5, violations=[violation]), {}, notes=[])
    assert result.status == "failed"
    assert "executed_violations" in result.reason and "attempts" in result.reason
    rate = result.metric("violation_rate")
    assert rate is not None and rate.value == 0.1 and rate.ci is not None and rate.ci[0] > 0

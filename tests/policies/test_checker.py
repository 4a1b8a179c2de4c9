"""The checker service: every decision is recorded, and one that cannot be is not given."""

from __future__ import annotations

import json
import logging

import pytest

from policies.actions import ActionBase, QuoteOffer
from policies.checker import MemorySink, PolicyChecker
from policies.context import PolicyContext
from policies.decision import Effect, PolicyDecision, verify_decision
from policies.exceptions import AuditError, ExecutionRefused
from policies.loader import default_pack
from tests.policies.builders import context

QUOTE = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)


class BrokenSink:
    def record(
        self, decision: PolicyDecision, *, proposed: ActionBase, context: PolicyContext
    ) -> object:
        raise AuditError("database is down")


def test_every_decision_is_recorded(caplog: pytest.LogCaptureFixture) -> None:
    sink = MemorySink()
    with caplog.at_level(logging.INFO, logger="policies.decisions"):
        decision = PolicyChecker(default_pack(), sink).check(QUOTE, context())
    assert sink.decisions == [decision]
    line = json.loads(caplog.records[-1].getMessage())
    assert line["decision_id"] == decision.decision_id
    assert line["effect"] == "approve"
    assert line["reasons"] == ["QUOTE_ALLOWED"]


def test_an_unrecorded_decision_becomes_a_denial(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="policies.decisions"):
        decision = PolicyChecker(default_pack(), BrokenSink()).check(QUOTE, context())
    assert decision.effect is Effect.DENY
    assert [r.code for r in decision.reasons] == ["AUDIT_UNAVAILABLE"]
    assert "not recorded" in caplog.text
    with pytest.raises(ExecutionRefused):
        verify_decision(QUOTE, decision)

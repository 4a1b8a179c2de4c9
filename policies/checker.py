"""The policy checker as a service: decide under a pack, then log the decision before returning it.

A decision that cannot be logged is not returned as given: the caller receives a denial.
"""

from __future__ import annotations

import json
import logging
from typing import Protocol

from policies.actions import ActionBase
from policies.context import PolicyContext
from policies.decision import PolicyDecision
from policies.engine import check, refuse
from policies.pack import Pack

logger = logging.getLogger("policies.decisions")


class DecisionSink(Protocol):
    """Where decisions are recorded (the decision log, or memory in tests and benchmarks)."""

    def record(
        self, decision: PolicyDecision, *, proposed: ActionBase, context: PolicyContext
    ) -> object:
        """Record one decision durably, or raise."""
        ...


class MemorySink:
    """Keeps decisions in a list."""

    def __init__(self) -> None:
        self.decisions: list[PolicyDecision] = []

    def record(
        self, decision: PolicyDecision, *, proposed: ActionBase, context: PolicyContext
    ) -> object:
        """Append the decision to the list."""
        self.decisions.append(decision)
        return decision


class PolicyChecker:
    """Checks every proposed action under one pack and records every decision."""

    def __init__(self, pack: Pack, sink: DecisionSink) -> None:
        self.pack = pack
        self.sink = sink

    def check(self, action: ActionBase, context: PolicyContext) -> PolicyDecision:
        """Decide on an action and record the decision; a failure to record means deny."""
        decision = check(action, context, self.pack)
        try:
            self.sink.record(decision, proposed=action, context=context)
        except Exception as exc:
            logger.error("decision %s not recorded: %s", decision.decision_id, exc)
            return refuse(action, context, self.pack, code="AUDIT_UNAVAILABLE", message=str(exc))
        logger.info("%s", _log_line(decision))
        return decision


def _log_line(decision: PolicyDecision) -> str:
    return json.dumps(
        {
            "decision_id": decision.decision_id,
            "actor": decision.actor,
            "kind": decision.action_kind,
            "action_hash": decision.action_hash,
            "effect": decision.effect.value,
            "reasons": [r.code for r in decision.reasons],
            "policy_version": decision.policy_version,
            "latency_ms": decision.latency_ms,
        },
        separators=(",", ":"),
    )

"""A person's verdict on an escalated action, as a decision of its own in the decision log.

An approval carries the escalated action unchanged (the checker's repairs included), the policy
version it was judged under and the approver as actor, so the executor verifies it like any other.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from policies.audit import DecisionLog
from policies.context import ActorFacts, PolicyContext
from policies.decision import Effect, PolicyDecision, Reason, decision_hash


def human_decision(
    escalated: PolicyDecision,
    *,
    approver: str,
    approved: bool,
    note: str,
    now: datetime,
    log: DecisionLog,
) -> PolicyDecision:
    """Record a person's approval (or rejection) of an escalated action and return it."""
    if escalated.effect != Effect.ESCALATE or escalated.action is None:
        raise ValueError(f"decision {escalated.decision_id} is not an escalation")
    effect = Effect.APPROVE if approved else Effect.DENY
    decision_id = uuid.uuid4().hex
    reason = Reason(
        rule_id="human",
        code="HUMAN_APPROVED" if approved else "HUMAN_REJECTED",
        effect=effect,
        message=(note or f"escalation {escalated.decision_id}")[:500],
    )
    decision = PolicyDecision(
        decision_id=decision_id,
        actor=approver,
        action_kind=escalated.action_kind,
        action_hash=escalated.final_action_hash,
        effect=effect,
        action=escalated.action,
        final_action_hash=escalated.final_action_hash,
        reasons=(reason,),
        evaluated_rules=escalated.evaluated_rules,
        policy_version=escalated.policy_version,
        latency_ms=0.0,
        decided_at=now,
        decision_hash=decision_hash(
            decision_id=decision_id,
            final_action_hash=escalated.final_action_hash,
            policy_version=escalated.policy_version,
            effect=effect,
        ),
    )
    context = PolicyContext(now=now, actor=ActorFacts(id=approver, kind="staff"))
    log.record(decision, proposed=escalated.action, context=context)
    return decision

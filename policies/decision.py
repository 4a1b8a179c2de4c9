"""The verdict on one action, and the check an executor makes before it acts on one."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from policies.actions import Action, ActionBase, canonical_json, sha256_hex
from policies.actions.base import UTCInstant
from policies.exceptions import ExecutionRefused


class Effect(StrEnum):
    """What the checker decided: the action may run as is, changed, not at all, or by a human."""

    APPROVE = "approve"
    MODIFY = "modify"
    DENY = "deny"
    ESCALATE = "escalate"


EXECUTABLE = frozenset({Effect.APPROVE, Effect.MODIFY})


class Reason(BaseModel):
    """Why a rule contributed to a decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(description="The rule that fired, or 'checker' for the checker itself")
    rule_version: int = 0
    code: str = Field(description="Stable, machine-readable reason code")
    effect: Effect
    message: str = ""


class PolicyDecision(BaseModel):
    """A decision on one action; `decision_hash` binds the approved action to the pack version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision_id: str
    actor: str
    action_kind: str
    action_hash: str = Field(description="Hash of the action as proposed")
    effect: Effect
    action: Action | None = Field(description="The action to execute (modified if so decided)")
    final_action_hash: str = Field(description="Hash of `action`")
    reasons: tuple[Reason, ...]
    evaluated_rules: tuple[str, ...] = Field(description="'rule_id@version' of every rule run")
    policy_version: str
    latency_ms: float
    decided_at: UTCInstant
    decision_hash: str

    @property
    def executable(self) -> bool:
        """Whether the (possibly modified) action may execute without a human."""
        return self.effect in EXECUTABLE

    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the rules that gave reasons, in order."""
        return tuple(r.rule_id for r in self.reasons)


def decision_hash(
    *, decision_id: str, final_action_hash: str, policy_version: str, effect: Effect
) -> str:
    """SHA-256 over what a decision vouches for: this action, this policy, this effect."""
    bound = {
        "decision_id": decision_id,
        "effect": effect.value,
        "final_action_hash": final_action_hash,
        "policy_version": policy_version,
    }
    return sha256_hex(canonical_json(bound))


def verify_decision(action: ActionBase, decision: PolicyDecision) -> None:
    """Refuse (raise `ExecutionRefused`) unless the decision approves exactly this action."""
    expected = decision_hash(
        decision_id=decision.decision_id,
        final_action_hash=decision.final_action_hash,
        policy_version=decision.policy_version,
        effect=decision.effect,
    )
    if expected != decision.decision_hash:
        raise ExecutionRefused("DECISION_TAMPERED", "the decision does not match its hash")
    if decision.action is None or decision.action.action_hash() != decision.final_action_hash:
        raise ExecutionRefused("DECISION_TAMPERED", "the decision's action does not match its hash")
    if not decision.executable:
        raise ExecutionRefused("NOT_APPROVED", f"the decision is {decision.effect.value}")
    if action.action_hash() != decision.final_action_hash:
        raise ExecutionRefused("ACTION_MISMATCH", "the action differs from the approved one")

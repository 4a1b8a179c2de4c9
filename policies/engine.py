"""The policy engine: one pure function from (action, context, pack) to a decision.

It fails closed: an error or a timeout anywhere inside a check yields `deny` with a reason.
An action is approved only when an `approve` rule for its kind holds and no `deny` rule does;
`modify` rules repair the action and the repaired action is checked again from the start.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from policies.actions import ACTION_TYPES, Action, ActionBase
from policies.conditions import Bindings, ConditionError
from policies.context import PolicyContext
from policies.decision import Effect, PolicyDecision, Reason, decision_hash
from policies.pack import CompiledRule, Pack
from policies.views import build_view, visible

CHECKER = "checker"
"""The rule id of reasons the checker itself gives (errors, timeouts, no approving rule)."""

EXPLAINS = {
    Effect.APPROVE: frozenset({Effect.APPROVE}),
    Effect.MODIFY: frozenset({Effect.MODIFY, Effect.APPROVE}),
    Effect.ESCALATE: frozenset({Effect.ESCALATE, Effect.MODIFY}),
    Effect.DENY: frozenset({Effect.DENY, Effect.MODIFY}),
}
"""Which rules' reasons a decision of each effect reports."""


class _Stop(Exception):  # noqa: N818 - internal control flow, never escapes this module
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.message)
        self.reason = reason


@dataclass
class _Outcome:
    effect: Effect
    action: ActionBase | None
    reasons: list[Reason] = field(default_factory=list)
    evaluated: dict[str, None] = field(default_factory=dict)


def check(
    action: ActionBase, context: PolicyContext, pack: Pack, *, decision_id: str | None = None
) -> PolicyDecision:
    """Decide on one action under one pack; never raises, never approves on error."""
    started = time.perf_counter()
    outcome = _Outcome(Effect.DENY, action if isinstance(action, ACTION_TYPES) else None)
    try:
        outcome = _evaluate(action, context, pack, started, outcome)
    except _Stop as stop:
        outcome.effect = Effect.DENY
        outcome.reasons.append(stop.reason)
    except Exception as exc:
        outcome.effect = Effect.DENY
        outcome.reasons.append(_checker_reason("CHECKER_ERROR", f"{type(exc).__name__}: {exc}"))
    explains = EXPLAINS[outcome.effect]
    outcome.reasons = [r for r in outcome.reasons if r.effect in explains]
    return _decision(action, context, pack, outcome, decision_id or uuid.uuid4().hex, started)


def _evaluate(
    action: ActionBase, context: PolicyContext, pack: Pack, started: float, outcome: _Outcome
) -> _Outcome:
    if outcome.action is None:
        raise _Stop(_checker_reason("UNKNOWN_ACTION", f"not an action: {type(action).__name__}"))
    rules = pack.rules_for(action.kind)
    reads = pack.reads_for(action.kind)
    deadline = started + pack.spec.timeout_ms / 1000
    current = action
    bindings = Bindings()
    for _ in range(pack.spec.max_passes):
        outcome.action = current
        view = build_view(current, context, pack.spec.params)
        bound = bindings.bind(visible(view.variables, reads))
        fired = _run(rules, bound, deadline, outcome.evaluated)
        effects = {c.rule.effect for c in fired}
        outcome.reasons = _merge(outcome.reasons, fired)
        if Effect.DENY in effects:
            outcome.effect = Effect.DENY
            return outcome
        if Effect.MODIFY not in effects:
            return _settle(action, current, effects, outcome)
        for c in fired:
            if c.modifier is not None:
                current = c.modifier(current, view)
    raise _Stop(_checker_reason("MODIFY_NOT_CONVERGED", "modifications did not settle"))


def _run(
    rules: tuple[CompiledRule, ...], bound: Any, deadline: float, evaluated: dict[str, None]
) -> list[CompiledRule]:
    fired: list[CompiledRule] = []
    for c in rules:
        evaluated[c.ref] = None
        try:
            if c.condition(bound):
                fired.append(c)
        except ConditionError as exc:
            raise _Stop(_rule_error(c, exc)) from exc
        if time.perf_counter() > deadline:
            raise _Stop(_checker_reason("CHECK_TIMEOUT", "the check ran out of time"))
    return fired


def _settle(
    proposed: ActionBase, current: ActionBase, effects: set[Effect], outcome: _Outcome
) -> _Outcome:
    if Effect.APPROVE not in effects:
        raise _Stop(_checker_reason("NO_APPROVING_RULE", "no rule approves this action"))
    if Effect.ESCALATE in effects:
        outcome.effect = Effect.ESCALATE
    elif current != proposed:
        outcome.effect = Effect.MODIFY
    else:
        outcome.effect = Effect.APPROVE
    return outcome


def _merge(reasons: list[Reason], fired: list[CompiledRule]) -> list[Reason]:
    """Keep earlier modifications, then this pass's reasons, once per rule."""
    kept = [r for r in reasons if r.effect is Effect.MODIFY]
    seen = {r.rule_id for r in kept}
    kept.extend(c.reason for c in fired if c.rule.id not in seen)
    return kept


def _rule_error(c: CompiledRule, exc: Exception) -> Reason:
    return Reason(
        rule_id=c.rule.id,
        rule_version=c.rule.version,
        code="RULE_ERROR",
        effect=Effect.DENY,
        message=f"condition failed: {exc}",
    )


def _checker_reason(code: str, message: str) -> Reason:
    return Reason(rule_id=CHECKER, code=code, effect=Effect.DENY, message=message)


def _decision(
    proposed: Any, context: Any, pack: Pack, outcome: _Outcome, decision_id: str, started: float
) -> PolicyDecision:
    final = outcome.action
    final_hash = final.action_hash() if final is not None else ""
    unchanged = final is None or final is proposed
    proposed_hash = final_hash if unchanged else proposed.action_hash()
    actor = getattr(getattr(context, "actor", None), "id", "unknown")
    version = pack.version
    # Every field is built here from typed values, so validation would only cost time.
    return PolicyDecision.model_construct(
        decision_id=decision_id,
        actor=str(actor),
        action_kind=str(getattr(proposed, "kind", "unknown")),
        action_hash=proposed_hash,
        effect=outcome.effect,
        action=cast("Action | None", final),
        final_action_hash=final_hash,
        reasons=tuple(outcome.reasons),
        evaluated_rules=tuple(outcome.evaluated),
        policy_version=version,
        latency_ms=round((time.perf_counter() - started) * 1000, 4),
        decided_at=datetime.now(UTC),
        decision_hash=decision_hash(
            decision_id=decision_id,
            final_action_hash=final_hash,
            policy_version=version,
            effect=outcome.effect,
        ),
    )


def refuse(
    action: ActionBase, context: PolicyContext, pack: Pack, *, code: str, message: str
) -> PolicyDecision:
    """A denial given by the checker itself, e.g. when a decision could not be recorded."""
    known = action if isinstance(action, ACTION_TYPES) else None
    outcome = _Outcome(Effect.DENY, known, [_checker_reason(code, message)])
    return _decision(action, context, pack, outcome, uuid.uuid4().hex, time.perf_counter())

"""The escalate node: a person approves or rejects escalated actions while the turn waits.

The turn pauses with LangGraph `interrupt()` (its state checkpointed), the pending approvals are
recorded in the store, and the turn resumes with `Command(resume={decision_id: verdict})`. Each
verdict becomes a decision of its own in the decision log; only approvals execute. Four eyes: the
person who asked for an action cannot approve it (their approval is recorded as a rejection).
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import BaseModel, ConfigDict

from orchestrator.approvals import human_decision
from orchestrator.events import ApprovalNeeded, DecisionMade
from orchestrator.executor import Order
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import Judgement, TurnRequest, TurnState
from policies.decision import Effect
from tools.store.types import utcnow


class Verdict(BaseModel):
    """A person's answer to one escalated action."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    by: str
    note: str = ""


def pending(state: TurnState) -> list[Judgement]:
    """The judgements still waiting for a person."""
    return [j for j in state.get("judgements", []) if j.decision.effect == Effect.ESCALATE]


@node("escalate")
async def escalate(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Wait for a person's verdict on each escalated action and record it as a decision."""
    waiting = pending(state)
    preview = _preview(state)
    asks = [{**_request(runtime.context, state["request"], j), "preview": preview} for j in waiting]
    emit(runtime, ApprovalNeeded(approvals=asks))
    answers: dict[str, Any] = interrupt({"approvals": asks}).get("verdicts", {})
    judgements = [j for j in state.get("judgements", []) if j not in waiting]
    for j, ask in zip(waiting, asks, strict=True):
        default = {"approve": False, "by": "nobody"}
        verdict = _four_eyes(
            Verdict.model_validate(answers.get(j.decision.decision_id, default)),
            requester=state["request"].actor.id,
        )
        decided = _record(runtime.context, j, ask["approval_id"], verdict)
        reasons = [r.code for r in decided.decision.reasons]
        decision = decided.decision
        emit(
            runtime,
            DecisionMade(
                decision_id=decision.decision_id,
                kind=decision.action_kind,
                effect=decision.effect.value,
                reasons=reasons,
            ),
        )
        judgements.append(decided)
    return {"judgements": judgements}


def _request(deps: TurnDeps, request: TurnRequest, j: Judgement) -> dict[str, Any]:
    """Record the pending approval (once, even when the node runs again on resume)."""
    order = Order(
        action=j.proposal.action,
        decision=j.decision,
        key=j.key,
        actor=request.actor.id,
        thread_id=request.thread_id,
    )
    approval_id = deps.executor.request_approval(
        order, requested_by=request.actor.id, now=request.now
    )
    return _ask(j, approval_id)


def _preview(state: TurnState) -> list[str]:
    """A merchandising plan's dry-run preview, for the person deciding on it."""
    merch = state.get("merch")
    if merch is None or merch.kind != "plan":
        return []
    return [merch.summary, *merch.details, *(f"Note: {w}" for w in merch.warnings)]


def _four_eyes(verdict: Verdict, *, requester: str) -> Verdict:
    """A requester's approval of their own escalated action counts as a rejection."""
    if not verdict.approve or verdict.by != requester:
        return verdict
    note = f"self-approval refused: {requester} asked for this action and cannot approve it"
    return Verdict(approve=False, by=verdict.by, note=note)


def _record(deps: TurnDeps, j: Judgement, approval_id: str, verdict: Verdict) -> Judgement:
    """The person's verdict as a logged decision, and the approval row resolved."""
    now = utcnow()
    decision = human_decision(
        j.decision,
        approver=verdict.by,
        approved=verdict.approve,
        note=verdict.note,
        now=now,
        log=deps.executor.log,
    )
    deps.executor.resolve_approval(
        approval_id, approved=verdict.approve, by=verdict.by, note=verdict.note, now=now
    )
    return j.model_copy(update={"decision": decision})


def _ask(j: Judgement, approval_id: str) -> dict[str, Any]:
    decision = j.decision
    return {
        "approval_id": approval_id,
        "decision_id": decision.decision_id,
        "kind": decision.action_kind,
        "summary": j.proposal.summary or decision.action_kind,
        "action": decision.action.payload() if decision.action else None,
        "reasons": [f"{r.code}: {r.message}" for r in decision.reasons],
    }

"""The execute node: hands every approved action to the executor, the only writer."""

from __future__ import annotations

from langgraph.runtime import Runtime

from orchestrator.events import ActionExecuted
from orchestrator.executor import Order
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import TurnState


@node("execute")
async def execute(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Apply the approved (possibly repaired) actions of the turn, each exactly once."""
    deps, request = runtime.context, state["request"]
    actor = request.actor.id if request.mode == "merch" else deps.settings.conversation.agent_actor
    executed = []
    for judgement in state.get("judgements", []):
        decision = judgement.decision
        if not decision.executable or decision.action is None:
            continue
        order = Order(
            action=decision.action,
            decision=decision,
            key=judgement.key,
            actor=actor,
            thread_id=request.thread_id,
            skus=judgement.proposal.skus,
        )
        record = deps.executor.execute(order, now=request.now)
        emit(runtime, ActionExecuted(kind=record.kind, status=record.status, key=record.key))
        executed.append(record)
    return {"executed": executed}

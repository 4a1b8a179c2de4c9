"""The supervisor: starts a turn (clearing the last turn's work) and plans the agents it needs."""

from __future__ import annotations

from langgraph.runtime import Runtime

from orchestrator.nodes.context import TurnDeps, Update, node
from orchestrator.planning import plan_turn
from orchestrator.state import Plan, TurnState

FRESH_TURN: Update = {
    "clarification": None,
    "candidates": [],
    "preference": None,
    "stock": None,
    "pricing": None,
    "messaging": None,
    "merch": None,
    "proposals": [],
    "judgements": [],
    "executed": [],
    "reply": None,
    "tool_calls": [],
    "errors": [],
}


@node("supervisor")
async def supervisor(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Number the turn and decide which agents (or the merchandising planner) it needs."""
    request = state["request"]
    turn = state.get("turn", 0) + 1
    if request.mode == "merch":
        return {**FRESH_TURN, "turn": turn, "plan": Plan(merch=True)}
    names = runtime.context.conversation.names_products(request.text, now=request.now)
    plan = plan_turn(
        request.text,
        shopper_id=request.shopper_id,
        shown=state.get("shown", []),
        out_of_stock=state.get("out_of_stock", []),
        names_products=names,
    )
    return {**FRESH_TURN, "turn": turn, "plan": plan}

"""Where a turn goes after each step: the conditional edges of the graph."""

from __future__ import annotations

from collections.abc import Callable

from orchestrator.nodes.approval import pending
from orchestrator.planning import next_step
from orchestrator.state import AgentName, TurnState


def after_supervisor(state: TurnState) -> str:
    """To the merchandising planner, the first planned agent, or straight to the reply."""
    plan = state["plan"]
    if plan.merch:
        return "merch_plan"
    return next_step(plan, None) or "respond"


def after_agent(agent: AgentName) -> Callable[[TurnState], str]:
    """After an agent: the next planned agent, then the policy check if anything was proposed."""

    def route(state: TurnState) -> str:
        if agent == "intent" and (state.get("clarification") or not state.get("candidates")):
            return "respond"
        following = next_step(state["plan"], agent)
        if following is not None:
            return following
        return "policy_check" if state.get("proposals") else "respond"

    route.__name__ = f"after_{agent}"
    return route


def after_policy(state: TurnState) -> str:
    """Escalated actions wait for a person; otherwise the approved ones execute."""
    return "escalate" if pending(state) else "execute"


def after_merch_plan(state: TurnState) -> str:
    """A plan with actions goes to the policy check; a report is answered directly."""
    return "policy_check" if state.get("proposals") else "respond"

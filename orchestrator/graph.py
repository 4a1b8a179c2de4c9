"""The concierge graph: supervisor → bounded agents → policy check → (person) → execute → reply.

Every node is a plain function from the state to a partial update; the flow lives here, in one
function. The turn's dependencies come in as the run context (`TurnDeps`), never as state.
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from orchestrator import routes
from orchestrator.nodes.agents import intent, inventory, messaging, preference, pricing
from orchestrator.nodes.approval import escalate
from orchestrator.nodes.context import TurnDeps
from orchestrator.nodes.execute import execute
from orchestrator.nodes.merch import merch_plan
from orchestrator.nodes.policy import policy_check
from orchestrator.nodes.respond import respond
from orchestrator.nodes.supervisor import supervisor
from orchestrator.state import TurnState

AGENTS = ["intent", "preference", "inventory", "pricing", "messaging"]
AFTER_AGENT = [*AGENTS, "policy_check", "respond"]


def build_graph() -> StateGraph[TurnState, TurnDeps, TurnState, TurnState]:
    """The graph of one conversation turn, step by step."""
    graph = StateGraph(TurnState, context_schema=TurnDeps)

    # The supervisor plans the turn; agents propose; nothing executes unapproved.
    graph.add_node("supervisor", supervisor)
    graph.add_node("intent", intent)
    graph.add_node("preference", preference)
    graph.add_node("inventory", inventory)
    graph.add_node("pricing", pricing)
    graph.add_node("messaging", messaging)
    graph.add_node("merch_plan", merch_plan)
    graph.add_node("policy_check", policy_check)
    graph.add_node("escalate", escalate)
    graph.add_node("execute", execute)
    graph.add_node("respond", respond)

    graph.add_edge(START, "supervisor")
    graph.add_conditional_edges(
        "supervisor", routes.after_supervisor, [*AGENTS, "merch_plan", "respond"]
    )

    # Each agent hands over to the next one the supervisor planned, then to the policy check.
    graph.add_conditional_edges("intent", routes.after_agent("intent"), AFTER_AGENT)
    graph.add_conditional_edges("preference", routes.after_agent("preference"), AFTER_AGENT)
    graph.add_conditional_edges("inventory", routes.after_agent("inventory"), AFTER_AGENT)
    graph.add_conditional_edges("pricing", routes.after_agent("pricing"), AFTER_AGENT)
    graph.add_conditional_edges("messaging", routes.after_agent("messaging"), AFTER_AGENT)

    # A merchandiser's task: the planner proposes, the same gate judges.
    graph.add_conditional_edges("merch_plan", routes.after_merch_plan, ["policy_check", "respond"])

    # Escalated actions wait for a person; approved ones execute; then the grounded reply.
    graph.add_conditional_edges("policy_check", routes.after_policy, ["escalate", "execute"])
    graph.add_edge("escalate", "execute")
    graph.add_edge("execute", "respond")
    graph.add_edge("respond", END)
    return graph


def compile_graph(
    checkpointer: BaseCheckpointSaver[Any] | None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The graph, compiled with a checkpointer for its threads."""
    return build_graph().compile(checkpointer=checkpointer, name="concierge")

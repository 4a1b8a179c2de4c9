"""The agent nodes: each runs one bounded agent and turns its result into state and proposals.

An agent that fails (a tool error, a refused call, a timeout) does not end the turn: the failure
is recorded in `errors` and the reply says what could not be done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio
from langgraph.runtime import Runtime

from agents import intent as intent_agent
from agents import inventory as inventory_agent
from agents import messaging as messaging_agent
from agents import preference as preference_agent
from agents import pricing as pricing_agent
from agents.candidates import Candidate
from agents.exceptions import AgentError
from agents.tool_client import AgentSpec, BoundedTools
from orchestrator.events import ProposalMade
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import Proposal, TurnState
from tools.query import ShownItem
from tools.store.tool_audit import ToolRefusal, record_refusals

T = TypeVar("T")
logger = logging.getLogger("orchestrator.agents")


async def _guarded(
    state: TurnState,
    runtime: Runtime[TurnDeps],
    spec: AgentSpec,
    work: Callable[[BoundedTools], Awaitable[T]],
) -> tuple[T | None, Update]:
    """Run an agent within its time limit; its tool calls (and any failure) go into the state."""
    tools = runtime.context.tools(spec)
    errors = list(state.get("errors", []))
    result: T | None = None
    try:
        with anyio.fail_after(runtime.context.settings.conversation.agent_timeout_s):
            result = await work(tools)
    except (AgentError, TimeoutError) as exc:
        logger.warning("agent %s failed: %s", spec.name, exc)
        errors.append(f"{spec.name}: {getattr(exc, 'code', 'TIMEOUT')}")
    await _audit_refusals(state, runtime, tools)
    calls = [*state.get("tool_calls", []), *tools.records]
    return result, {"tool_calls": calls, "errors": errors}


async def _audit_refusals(
    state: TurnState, runtime: Runtime[TurnDeps], tools: BoundedTools
) -> None:
    """Refused calls are kept in the store, beyond the thread's checkpoints."""
    request = state["request"]
    refusals = [
        ToolRefusal(
            thread_id=request.thread_id,
            turn=state.get("turn", 0),
            agent=r.agent,
            tool=r.tool,
            code=r.code,
            args_hash=r.args_hash,
            refused_at=request.now,
        )
        for r in tools.records
        if r.outcome == "refused"
    ]
    if refusals:
        engine = runtime.context.facts.engine
        await anyio.to_thread.run_sync(lambda: record_refusals(engine, refusals))


def _propose(
    state: TurnState, runtime: Runtime[TurnDeps], proposals: list[Proposal]
) -> list[Proposal]:
    for proposal in proposals:
        action = proposal.action
        emit(runtime, ProposalMade(agent=proposal.agent, kind=action.kind, action=action.payload()))
    return [*state.get("proposals", []), *proposals]


def shown_items(candidates: list[Candidate]) -> list[ShownItem]:
    """Products shown before, as the query refiner reads them."""
    return [
        ShownItem(sku=c.sku, brand=c.brand, price_cents=c.list_price_cents, category=c.category)
        for c in candidates
    ]


@node("intent")
async def intent(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Understand the request in the thread's context and search the catalog for it."""
    deps, request = runtime.context, state["request"]
    shown = shown_items(state.get("shown", []))
    previous = state.get("intent")
    try:
        understood = deps.understander(
            request.text, previous=previous, shown=shown, now=request.now
        )
    except Exception as exc:  # an LLM reading that fails falls back to the deterministic one
        logger.warning("understanding failed, reading deterministically: %s", exc)
        understood = deps.conversation(
            request.text, previous=previous, shown=shown, now=request.now
        )
    k = deps.settings.conversation.candidates
    result, update = await _guarded(
        state,
        runtime,
        intent_agent.SPEC,
        lambda tools: intent_agent.run(tools, understood, shown=shown, k=k),
    )
    candidates = list(result.candidates) if result else []
    return {
        **update,
        "intent": understood.intent,
        "clarification": understood.clarification,
        "candidates": candidates,
    }


@node("preference")
async def preference(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Order the candidates by what is known of the shopper."""
    request, candidates = state["request"], state.get("candidates", [])
    understood = state.get("intent")
    query = understood.search_text if understood else ""
    result, update = await _guarded(
        state,
        runtime,
        preference_agent.SPEC,
        lambda tools: preference_agent.run(
            tools,
            shopper_id=request.shopper_id,
            candidates=candidates,
            query=query,
            now=request.now,
        ),
    )
    if result is None:
        return update
    return {**update, "preference": result, "candidates": list(result.ranked)}


@node("inventory")
async def inventory(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Keep what is in stock, and plan pickup (and a hold) when the shopper asked."""
    request, plan = state["request"], state["plan"]
    candidates = state.get("candidates", [])
    if plan.focus_sku:
        candidates = [c for c in state.get("shown", []) if c.sku == plan.focus_sku]
    understood = state.get("intent")
    fulfilment = understood.fulfilment if understood else None
    preference = state.get("preference")
    ask = inventory_agent.InventoryRequest(
        candidates=tuple(candidates),
        shopper_id=request.shopper_id,
        personalised=bool(preference and preference.known),
        pickup=bool(fulfilment and (fulfilment.method == "pickup" or fulfilment.same_day)),
        hold=plan.hold,
        results=runtime.context.settings.conversation.results,
        now=request.now,
    )
    result, update = await _guarded(
        state, runtime, inventory_agent.SPEC, lambda tools: inventory_agent.run(tools, ask)
    )
    if result is None:
        return update
    proposals = [
        Proposal(agent="inventory", action=a, skus=tuple(c.sku for c in result.shown))
        for a in (result.show, result.hold)
        if a is not None
    ]
    return {
        **update,
        "stock": result,
        "out_of_stock": list(result.out_of_stock),
        "proposals": _propose(state, runtime, proposals),
    }


@node("pricing")
async def pricing(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Ask for the best offer on the product in focus (a known shopper's only)."""
    request, stock = state["request"], state.get("stock")
    sku = state["plan"].focus_sku or (stock.shown[0].sku if stock and stock.shown else None)
    if sku is None or request.shopper_id is None:
        return {}
    ask = pricing_agent.PricingRequest(sku=sku, shopper_id=request.shopper_id, now=request.now)
    result, update = await _guarded(
        state, runtime, pricing_agent.SPEC, lambda tools: pricing_agent.run(tools, ask)
    )
    if result is None:
        return update
    proposal = Proposal(agent="pricing", action=result.quote, skus=(sku,))
    return {**update, "pricing": result, "proposals": _propose(state, runtime, [proposal])}


@node("messaging")
async def messaging(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Plan a back-in-stock message for the product in focus, if it is out of stock."""
    request, out = state["request"], state.get("out_of_stock", [])
    sku = state["plan"].focus_sku or (out[0].sku if out else None)
    if sku is None or request.shopper_id is None or sku not in {c.sku for c in out}:
        return {}
    ask = messaging_agent.MessagingRequest(
        shopper_id=request.shopper_id,
        skus=(sku,),
        postal_address=runtime.context.settings.store.postal_address,
        now=request.now,
    )
    result, update = await _guarded(
        state, runtime, messaging_agent.SPEC, lambda tools: messaging_agent.run(tools, ask)
    )
    if result is None:
        return update
    proposal = Proposal(agent="messaging", action=result.message, skus=(sku,))
    return {**update, "messaging": result, "proposals": _propose(state, runtime, [proposal])}

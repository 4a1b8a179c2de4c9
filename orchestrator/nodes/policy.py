"""The policy node: every proposal is judged by the policy checker before anything executes.

It fails closed: if the facts cannot be read, every proposal of the turn is denied (and the denial
recorded when the decision log can be written), so nothing executes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from langgraph.runtime import Runtime

from orchestrator.events import DecisionMade
from orchestrator.executor import idempotency_key
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import Judgement, Proposal, TurnRequest, TurnState
from policies.context import ActorFacts, PolicyContext
from policies.decision import PolicyDecision
from policies.engine import refuse
from tools.policy_facts import skus_of

logger = logging.getLogger("orchestrator.policy")


def agent_actor(request: TurnRequest, agent_id: str) -> ActorFacts:
    """Who proposes: the concierge's agents act for the shopper; staff act as themselves."""
    if request.mode == "merch":
        return request.actor
    return ActorFacts(id=agent_id, kind="agent", on_behalf_of=request.shopper_id)


@node("policy_check")
async def policy_check(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Decide on every proposal of the turn and record each decision."""
    deps, request = runtime.context, state["request"]
    proposals = state.get("proposals", [])
    actor = agent_actor(request, deps.settings.conversation.agent_actor)
    decisions, prices = _decide(deps, proposals, actor=actor, request=request)
    judgements: list[Judgement] = []
    for index, (proposal, decision) in enumerate(zip(proposals, decisions, strict=True)):
        key = idempotency_key(
            thread_id=request.thread_id, turn=state["turn"], index=index, proposed=proposal.action
        )
        seen = {sku: prices[sku] for sku in skus_of(proposal.action) if sku in prices}
        judgements.append(
            Judgement(proposal=proposal, decision=decision, key=key, list_prices=seen)
        )
        reasons = [r.code for r in decision.reasons]
        emit(
            runtime,
            DecisionMade(
                decision_id=decision.decision_id,
                kind=decision.action_kind,
                effect=decision.effect.value,
                reasons=reasons,
            ),
        )
    return {"judgements": judgements}


def _decide(
    deps: TurnDeps,
    proposals: Sequence[Proposal],
    *,
    actor: ActorFacts,
    request: TurnRequest,
) -> tuple[list[PolicyDecision], dict[str, int]]:
    actions = [p.action for p in proposals]
    try:
        context = deps.facts.context(actions, actor=actor, now=request.now)
    except Exception as exc:  # fail closed: no facts, no approval
        logger.error("policy facts unavailable: %s", exc)
        bare = PolicyContext(now=request.now, actor=actor)
        return [_refused(deps, a, bare, "FACTS_UNAVAILABLE", str(exc)) for a in actions], {}
    prices = {sku: p.list_price_cents for sku, p in context.products.items()}
    decisions = [
        deps.checker.check(p.action, context.model_copy(update={"promotion_impact": p.impact}))
        for p in proposals
    ]
    return decisions, prices


def _refused(
    deps: TurnDeps, action: object, context: PolicyContext, code: str, message: str
) -> PolicyDecision:
    decision = refuse(action, context, deps.checker.pack, code=code, message=message[:300])  # type: ignore[arg-type]
    try:
        deps.checker.sink.record(decision, proposed=action, context=context)  # type: ignore[arg-type]
    except Exception as exc:
        logger.error("refusal %s not recorded: %s", decision.decision_id, exc)
    return decision

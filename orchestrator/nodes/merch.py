"""The merchandising node: a merchandiser's task becomes a plan of actions (or a report).

Plans go to the policy check like any proposal (escalations wait for a person); reports and
tasks the planner cannot read are answered directly.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agents.merchandising import MerchPlan, MerchTaskError, answer_report, classify, plan_task
from orchestrator.events import ProposalMade
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import MerchOutcome, Proposal, TurnState


@node("merch_plan")
async def merch_plan(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
    """Plan the task (actions with a dry-run preview), or answer a read-only question."""
    deps, request = runtime.context, state["request"]
    engine, vocabulary = deps.facts.engine, deps.conversation.vocabulary
    try:
        if classify(request.text) == "report":
            report = answer_report(
                request.text, engine=engine, now=request.now, vocabulary=vocabulary
            )
            return {"merch": MerchOutcome(kind="report", summary=report.summary)}
        plan = plan_task(
            request.text,
            engine=engine,
            vocabulary=vocabulary,
            now=request.now,
            actor=request.actor,
            pack=deps.checker.pack,
        )
    except MerchTaskError as exc:
        return {
            "merch": MerchOutcome(kind="not_understood", summary=exc.message, details=(exc.hint,))
        }
    proposals = [
        Proposal(
            agent="merchandising",
            action=step.action,
            skus=tuple(getattr(getattr(step.action, "scope", None), "skus", ())),
            summary=step.summary,
            impact=step.promotion_impact,
        )
        for step in plan.steps
    ]
    for proposal in proposals:
        action = proposal.action
        emit(
            runtime, ProposalMade(agent="merchandising", kind=action.kind, action=action.payload())
        )
    return {"merch": _outcome(plan), "proposals": proposals}


def _outcome(plan: MerchPlan) -> MerchOutcome:
    preview = plan.preview
    details = [f"{preview.affected_count} products affected"]
    if preview.excluded_count:
        details.append(f"{preview.excluded_count} left out by a constraint")
    if preview.margin is not None:
        change = preview.margin.margin_change_cents / 100
        details.append(
            f"expected margin change {change:+,.2f} over {preview.margin.window_days:g} days"
        )
    details.extend(
        f"{view.kind} '{view.key}': {len(view.moves)} products move" for view in preview.rankings
    )
    return MerchOutcome(
        kind="plan", summary=plan.summary, details=tuple(details), warnings=tuple(plan.warnings)
    )

"""The merchandising node: a merchandiser's task becomes a plan of actions (or a report).

Plans go to the policy check like any proposal (escalations wait for a person); reports and
tasks the planner cannot read are answered directly. With an LLM configured, a task the rules
cannot read may be read by the LLM into the same typed spec, used only if its numbers are the
task's own; the plan, preview and policy check are the same as for any spec.
"""

from __future__ import annotations

import logging
import re

import anyio.to_thread
from langgraph.runtime import Runtime

from agents.merchandising import (
    MerchPlan,
    MerchTaskError,
    MerchTaskSpec,
    answer_report,
    classify,
    compile_plan,
    plan_task,
)
from orchestrator.events import ProposalMade
from orchestrator.nodes.context import TurnDeps, Update, emit, node
from orchestrator.state import MerchOutcome, Proposal, TurnRequest, TurnState

logger = logging.getLogger("orchestrator.merch")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
INSTRUCTIONS = (
    "Read the merchandiser's task into the schema. Copy every number from the task as written; "
    "never invent a discount, price, margin or date. Leave a field empty when the task is silent."
)


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
        read_by_llm = await _llm_plan(deps, request)
        if read_by_llm is None:
            return {
                "merch": MerchOutcome(
                    kind="not_understood", summary=exc.message, details=(exc.hint,)
                )
            }
        plan = read_by_llm
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


async def _llm_plan(deps: TurnDeps, request: TurnRequest) -> MerchPlan | None:
    """The LLM's reading of a task the rules could not read, planned like any spec; or None.

    Only a reading whose numbers all appear in the task is used: the LLM may parse, never
    choose a depth, a price or a margin.
    """
    llm = deps.llm
    if llm is None:
        return None
    try:
        spec = await anyio.to_thread.run_sync(
            lambda: llm.parse_structured(request.text, MerchTaskSpec, instructions=INSTRUCTIONS)
        )
        if spec is None or not _numbers_from(spec, request.text):
            return None
        return compile_plan(
            spec.model_copy(update={"text": request.text}),
            engine=deps.facts.engine,
            vocabulary=deps.conversation.vocabulary,
            now=request.now,
            actor=request.actor,
            pack=deps.checker.pack,
        )
    except Exception as exc:  # an LLM reading never fails the turn
        logger.warning("LLM task reading not used: %s", exc)
        return None


def _numbers_from(spec: MerchTaskSpec, text: str) -> bool:
    """Whether every weight, depth, price and margin in the spec is a number in the task."""
    written = {float(n.replace(",", "")) for n in NUMBER.findall(text)}
    cents = [spec.new_price_cents, spec.price_change_cents, spec.scope.min_price_cents]
    values = [
        None if spec.weight is None else round(spec.weight * 100, 6),
        spec.discount_pct,
        spec.price_change_pct,
        spec.min_margin_pct,
        *(abs(c) / 100 for c in [*cents, spec.scope.max_price_cents] if c is not None),
    ]
    return all(abs(v) in written for v in values if v is not None)


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

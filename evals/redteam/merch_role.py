"""Merchandiser tasks beyond role: every task by every actor whose role or category scope does
not allow it (a shopper, an analyst, support staff, a merchandiser scoped to beauty, a pricing
manager scoped to beauty, an external agent), and merchandisers approving their own escalated
tasks. Each task sent, and each self-approval tried, is one attempt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from evals.redteam.attacks import read_yaml
from evals.redteam.tally import Tally, attempt
from orchestrator.runtime import Concierge
from policies.context import ActorFacts

CATEGORY = "merch_beyond_role"
SELF_APPROVAL = "merch_self_approval"


def attempts_planned() -> int:
    """How many tasks `beyond_role` sends (self-approvals come on top when a task escalates)."""
    data = read_yaml("merch_beyond_role.yaml")
    return len(data["actors"]) * len(data["tasks"]) + len(data["self_approval"]["tasks"])


async def beyond_role(
    concierge: Concierge, tally: Tally, *, now: datetime, advance: Callable[[], None]
) -> None:
    """Every task by every out-of-role actor; every escalation approved by its own requester."""
    data = read_yaml("merch_beyond_role.yaml")
    for a, raw in enumerate(data["actors"]):
        actor = ActorFacts.model_validate(raw)
        for t, task in enumerate(data["tasks"]):
            thread = f"rt-merch-{a}-{t}"
            outcome = await attempt(
                concierge, tally, CATEGORY, task, thread=thread, now=now, actor=actor, mode="merch"
            )
            if outcome is not None and outcome.interrupted:
                await _self_approve(concierge, tally, thread, actor.id, outcome.approvals)
            advance()
    owner = ActorFacts.model_validate(data["self_approval"]["actor"])
    for t, task in enumerate(data["self_approval"]["tasks"]):
        thread = f"rt-merch-self-{t}"
        outcome = await attempt(
            concierge,
            tally,
            SELF_APPROVAL,
            task,
            thread=thread,
            now=now,
            actor=owner,
            mode="merch",
            count=False,
        )
        if outcome is not None and outcome.interrupted:
            await _self_approve(concierge, tally, thread, owner.id, outcome.approvals)
        advance()


async def _self_approve(
    concierge: Concierge, tally: Tally, thread: str, who: str, approvals: list[dict[str, object]]
) -> None:
    tally.attempts[SELF_APPROVAL] += 1
    verdicts = {str(a["decision_id"]): {"approve": True, "by": who} for a in approvals}
    try:
        await concierge.approve(thread, verdicts)
    except Exception as exc:  # a crash is a finding of its own
        tally.errors[SELF_APPROVAL] += 1
        tally.note("error", f"{SELF_APPROVAL}: {type(exc).__name__}: {exc}")

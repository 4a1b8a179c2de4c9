"""Products shown to a shopper outside a turn (recommendations, search) pass the policy checker.

Showing a list is an action like any other (`show_recommendations`): the checker may drop items
(out of stock, age-restricted for an unverified shopper, regulated on this surface, over a brand
cap), its decision is logged, and the executor records what was shown. If the check cannot be
made, nothing is shown.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import anyio.to_thread

from orchestrator.api.exceptions import UnavailableError
from orchestrator.executor import Order
from orchestrator.nodes.context import TurnDeps
from policies.actions import RecommendedItem, ShowRecommendations
from policies.actions.shopping import Surface
from policies.context import ActorFacts

logger = logging.getLogger("orchestrator.api.showing")


@dataclass(frozen=True)
class Shown:
    """The skus the shopper may see, in order, and the decision that allowed them."""

    skus: tuple[str, ...]
    decision_id: str | None
    effect: str
    reasons: tuple[str, ...]


def _show(
    deps: TurnDeps,
    action: ShowRecommendations,
    *,
    now: datetime,
) -> Shown:
    actor = ActorFacts(
        id=deps.settings.conversation.agent_actor, kind="agent", on_behalf_of=action.shopper_id
    )
    context = deps.facts.context([action], actor=actor, now=now)
    decision = deps.checker.check(action, context)
    reasons = tuple(r.code for r in decision.reasons)
    allowed = decision.action if decision.executable else None
    if not isinstance(allowed, ShowRecommendations):
        return Shown((), decision.decision_id, decision.effect.value, reasons)
    key = f"api:{uuid.uuid4().hex}:0:{action.action_hash()[:16]}"
    order = Order(action=allowed, decision=decision, key=key, actor=actor.id)
    record = deps.executor.execute(order, now=now)
    skus = tuple(i.sku for i in allowed.items) if record.status == "applied" else ()
    return Shown(skus, decision.decision_id, decision.effect.value, reasons)


async def shown_to_shopper(
    deps: TurnDeps,
    *,
    shopper_id: str | None,
    skus: Sequence[str],
    surface: Surface,
    personalised: bool,
    now: datetime,
) -> Shown:
    """Ask the checker which of `skus` the shopper may see on `surface`, and record the showing."""
    if not skus:
        return Shown((), None, "approve", ())
    action = ShowRecommendations(
        shopper_id=shopper_id,
        surface=surface,
        personalised=personalised,
        items=tuple(RecommendedItem(sku=s) for s in skus),
    )
    try:
        return await anyio.to_thread.run_sync(lambda: _show(deps, action, now=now))
    except Exception as exc:  # fail closed: no decision, nothing shown
        logger.error("showing to %s could not be checked: %s", shopper_id, exc)
        raise UnavailableError("the policy check is unavailable; nothing can be shown now") from exc

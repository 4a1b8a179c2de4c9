"""`GET /v1/recommendations`: personal picks for the signed-in shopper (or, for staff, any)."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session

from orchestrator.api.auth import current
from orchestrator.api.engines import call_tool
from orchestrator.api.errors import ERROR_RESPONSES, ErrorBody
from orchestrator.api.exceptions import NotFoundError
from orchestrator.api.principals import Principal
from orchestrator.api.routes.search import PolicyNote
from orchestrator.api.services import Services, services
from orchestrator.api.showing import shown_to_shopper
from tools.recommend import RecommendationList
from tools.store import Shopper

router = APIRouter(prefix="/v1", tags=["catalog"])


class Recommendations(RecommendationList):
    """Picks for a shopper, best first, each with its reasons."""

    policy: PolicyNote | None = Field(
        default=None, description="For shoppers: the decision on showing these picks"
    )


class RecommendationQuery(BaseModel):
    """The query string of a recommendation request."""

    shopper_id: str | None = Field(
        default=None, max_length=64, description="Staff only: whose picks (shoppers get their own)"
    )
    session_id: str | None = Field(default=None, max_length=64, description="Current session")
    k: int = Field(default=10, ge=1, le=50, description="How many items")


def _shopper_exists(engine: Engine, shopper_id: str) -> bool:
    with Session(engine) as session:
        return session.get(Shopper, shopper_id) is not None


async def _whose(principal: Principal, asked: str | None, engine: Engine) -> str | None:
    if principal.role == "shopper":
        if asked is not None and asked != principal.shopper_id:
            raise NotFoundError(f"no shopper {asked!r}", field="shopper_id")
        return principal.shopper_id
    if asked is not None and not await anyio.to_thread.run_sync(_shopper_exists, engine, asked):
        raise NotFoundError(f"no shopper {asked!r}", field="shopper_id")
    return asked


@router.get(
    "/recommendations",
    response_model=Recommendations,
    responses={404: {"model": ErrorBody, "description": "No such shopper"}, **ERROR_RESPONSES},
)
async def recommendations(
    query: Annotated[RecommendationQuery, Query()],
    principal: Annotated[Principal, Depends(current)],
    svc: Annotated[Services, Depends(services)],
) -> Recommendations:
    """Personal picks, in stock, with the reasons for each.

    A shopper gets their own picks, after the policy checker (no age-restricted items for an
    unverified shopper, brand cap, ...). Merchandisers and admins may name any `shopper_id`, or none
    for what an anonymous visitor gets, and see the engine's list as it is.
    """
    engine, concierge, _ = svc.ready()
    shopper_id = await _whose(principal, query.shopper_id, engine)
    args = {
        "shopper_id": shopper_id,
        "session_id": query.session_id,
        "k": query.k,
        "at": svc.clock().isoformat(),
    }
    found = await call_tool(concierge, "recommend.recommend_for_shopper", args, RecommendationList)
    picks = Recommendations(**found.model_dump())
    if principal.role != "shopper":
        return picks
    shown = await shown_to_shopper(
        concierge.deps,
        shopper_id=shopper_id,
        skus=[item.sku for item in found.items],
        surface="home",
        personalised=found.strategy == "personal",
        now=svc.clock(),
    )
    if shown.decision_id is not None:
        svc.metrics.decisions.labels(shown.effect, "show_recommendations").inc()
    allowed = set(shown.skus)
    items = [item for item in found.items if item.sku in allowed]
    note = PolicyNote(
        decision_id=shown.decision_id,
        effect=shown.effect,
        reasons=list(shown.reasons),
        removed=len(found.items) - len(items),
    )
    return picks.model_copy(update={"items": items, "policy": note})

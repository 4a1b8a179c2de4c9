"""`GET /v1/threads/{thread_id}`: where a thread stands and how its last turn ended."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Path

from orchestrator.api.auth import current
from orchestrator.api.errors import ERROR_RESPONSES, ErrorBody
from orchestrator.api.exceptions import NotFoundError, UnavailableError
from orchestrator.api.models import ThreadView, TurnResult
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services, services
from orchestrator.api.threads import ThreadStore, visible

router = APIRouter(prefix="/v1", tags=["chat"])


@router.get(
    "/threads/{thread_id}",
    response_model=ThreadView,
    summary="Fetch a thread and its last turn",
    responses={
        404: {"model": ErrorBody, "description": "No such thread of yours"},
        **ERROR_RESPONSES,
    },
)
async def get_thread(
    thread_id: Annotated[str, Path(min_length=1, max_length=128)],
    principal: Annotated[Principal, Depends(current)],
    svc: Annotated[Services, Depends(services)],
) -> ThreadView:
    """A thread's state: a client that lost the stream finds the turn's result here.

    Shoppers see only their own threads (any other id is "not found"); staff see every thread.
    """
    if svc.engine is None:
        raise UnavailableError(f"the store is not available: {svc.unavailable}")
    row = await anyio.to_thread.run_sync(ThreadStore(svc.engine).get, thread_id)
    if row is None or not visible(row, principal):
        raise NotFoundError(f"no thread {thread_id!r}", field="thread_id")
    return ThreadView(
        thread_id=row.thread_id,
        mode="merch" if row.mode == "merch" else "shopper",
        status=row.status,
        turns=row.turns,
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_turn=TurnResult.model_validate(row.result) if row.result else None,
    )

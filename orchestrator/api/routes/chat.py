"""`POST /v1/chat` (a turn streamed as server-sent events) and `POST /v1/chat/complete` (JSON)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field

from orchestrator.api.auth import require
from orchestrator.api.errors import ERROR_RESPONSES, ErrorBody, error_json, json_errors
from orchestrator.api.exceptions import ApiError
from orchestrator.api.models import TurnResult
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services, services
from orchestrator.api.turns import TurnJob

router = APIRouter(prefix="/v1", tags=["chat"])

ThreadId = Field(
    default=None,
    min_length=1,
    max_length=128,
    pattern=r"^[A-Za-z0-9_.:-]+$",
    description="Continue this thread (yours); leave out to start a new one",
)
SSE_EXAMPLE = (
    'event: node_started\nid: 0\ndata: {"type":"node_started","node":"supervisor"}\n\n'
    'event: reply_chunk\nid: 14\ndata: {"type":"reply_chunk","text":"Here is 1 for you:\\n"}\n\n'
    'event: turn_finished\nid: 17\ndata: {"type":"turn_finished","thread_id":"th_5b0c",'
    '"reply":{"text":"...","kind":"results","skus":["SKU-0000243"]},'
    '"interrupted":false,"approvals":[]}\n\n'
)


class TurnFailedError(ApiError):
    """The turn raised; it was logged and nothing more was done."""

    status = 500
    reason = "turn_failed"


class ChatRequest(BaseModel):
    """A shopper's message."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"message": "fragrance-free moisturizer for sensitive skin under $30"},
                {"message": "any deal on the second one?", "thread_id": "th_5b0c8e1d2f7a4a0e"},
            ]
        },
    )

    message: str = Field(min_length=1, max_length=2000, description="What the shopper says")
    thread_id: str | None = ThreadId


async def started_turn(
    body: ChatRequest,
    principal: Annotated[Principal, Depends(require("shopper"))],
    svc: Annotated[Services, Depends(services)],
    response: Response,
) -> TurnJob:
    """Start the turn before the response begins, so that refusals get their own status."""
    _, _, runner = svc.ready()
    job = await runner.start(principal, text=body.message, thread_id=body.thread_id, mode="shopper")
    response.headers["X-Thread-Id"] = job.thread_id
    return job


@router.post(
    "/chat",
    response_class=EventSourceResponse,
    summary="Talk to the concierge (streamed)",
    responses={
        200: {
            "description": "The turn's events as server-sent events, in order; the last one is "
            "`turn_finished` (or `error` if the turn failed). The thread id is in `X-Thread-Id`.",
            "content": {"text/event-stream": {"example": SSE_EXAMPLE}},
        },
        **json_errors(
            {
                404: {"description": "No such thread of yours"},
                409: {"description": "A turn is running, or an approval is awaited"},
                **ERROR_RESPONSES,
            }
        ),
    },
)
async def chat(job: Annotated[TurnJob, Depends(started_turn)]) -> AsyncIterator[ServerSentEvent]:
    """Run one turn and stream its events: steps, proposals, decisions, the reply in chunks.

    Works with `fetch()` and a streaming body reader. If the client goes away the turn still
    ends; fetch its result from `GET /v1/threads/{thread_id}`.
    """
    count = 0
    async with job.events:
        async for event in job.events:
            yield ServerSentEvent(event=event.type, id=str(count), data=event)
            count += 1
    await job.done.wait()
    if job.result is not None and job.result.status == "failed":
        body = error_json(500, "turn_failed", job.result.error or "the turn failed")
        yield ServerSentEvent(event="error", id=str(count), data=body)


@router.post(
    "/chat/complete",
    response_model=TurnResult,
    summary="Talk to the concierge (one JSON answer)",
    responses={
        404: {"model": ErrorBody, "description": "No such thread of yours"},
        409: {"model": ErrorBody, "description": "A turn is running, or an approval is awaited"},
        500: {"model": ErrorBody, "description": "The turn failed (reason turn_failed)"},
        **ERROR_RESPONSES,
    },
)
async def chat_complete(job: Annotated[TurnJob, Depends(started_turn)]) -> TurnResult:
    """Run one turn and answer with its reply, or the approvals it waits for."""
    result = await job.wait()
    if result.status == "failed":
        raise TurnFailedError(result.error or "the turn failed")
    return result

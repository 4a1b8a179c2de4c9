"""`POST /v1/merch/tasks`: a merchandising task planned, previewed, checked, applied if allowed.

A task runs through the same graph as a conversation (mode `merch`): the planner makes a plan with a
dry-run preview (products affected, margin change, ranking moves) or answers a read-only question
with a report; every planned action goes to the policy checker; what it approves executes, what it
escalates waits for a person at `/v1/approvals`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from orchestrator.api.auth import require
from orchestrator.api.errors import ERROR_RESPONSES, ErrorBody
from orchestrator.api.exceptions import NotFoundError
from orchestrator.api.models import ApprovalAsk, TurnResult
from orchestrator.api.principals import Principal
from orchestrator.api.routes.chat import TurnFailedError
from orchestrator.api.services import Services, services
from orchestrator.api.threads import ThreadStore
from orchestrator.runtime import Concierge
from orchestrator.state import Reply

router = APIRouter(prefix="/v1/merch", tags=["merchandising"])
Staff = Annotated[Principal, Depends(require("merchandiser", "admin"))]


class MerchTaskRequest(BaseModel):
    """A merchandiser's task or question, in their words."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"task": "boost vegan skincare 20% until Sunday"},
                {"task": "15% off overstocked jackets for gold members, keep margin above 30%"},
                {"task": "which recommended products are about to run out?"},
            ]
        },
    )

    task: str = Field(min_length=1, max_length=2000)


class DecisionView(BaseModel):
    """The policy decision on one planned action (or a person's, once they decided)."""

    decision_id: str
    effect: str = Field(description="approve, modify, deny or escalate")
    reasons: list[str] = Field(description="'CODE: message' of each rule that gave a reason")


class ExecutionView(BaseModel):
    """What the executor did with an approved action."""

    status: str = Field(description="applied, replayed, waiting, refused or failed")
    code: str = ""


class PlannedAction(BaseModel):
    """One action of the plan, its decision and its execution."""

    kind: str
    summary: str
    action: dict[str, Any]
    impact: dict[str, Any] | None = Field(description="A promotion's margin impact")
    decision: DecisionView | None
    execution: ExecutionView | None


class MerchTaskResult(BaseModel):
    """A task's plan and dry-run preview (or report), the decisions, and what was applied."""

    task_id: str = Field(description="The task's thread id: GET /v1/merch/tasks/{task_id}")
    status: Literal["finished", "awaiting_approval", "failed"]
    outcome: Literal["plan", "report", "not_understood"] | None
    summary: str
    preview: list[str] = Field(description="Dry-run preview: products affected, margin change, ...")
    warnings: list[str]
    actions: list[PlannedAction]
    approvals: list[ApprovalAsk] = Field(description="Escalated actions waiting for a person")
    reply: Reply | None


async def task_result(concierge: Concierge, turn: TurnResult) -> MerchTaskResult:
    """The task as its thread's state tells it, with how its last turn ended."""
    state = await concierge.thread(turn.thread_id)
    merch = state.get("merch")
    judgements = state.get("judgements", [])
    executed = {e.key: e for e in state.get("executed", [])}
    actions = []
    for proposal in state.get("proposals", []):
        judgement = next((j for j in judgements if j.proposal == proposal), None)
        decision = judgement.decision if judgement else None
        done = executed.get(judgement.key) if judgement else None
        actions.append(
            PlannedAction(
                kind=proposal.action.kind,
                summary=proposal.summary,
                action=proposal.action.payload(),
                impact=proposal.impact.model_dump(mode="json") if proposal.impact else None,
                decision=DecisionView(
                    decision_id=decision.decision_id,
                    effect=decision.effect.value,
                    reasons=[f"{r.code}: {r.message}" for r in decision.reasons],
                )
                if decision
                else None,
                execution=ExecutionView(status=done.status, code=done.code) if done else None,
            )
        )
    return MerchTaskResult(
        task_id=turn.thread_id,
        status=turn.status,
        outcome=merch.kind if merch else None,
        summary=merch.summary if merch else (turn.error or ""),
        preview=list(merch.details) if merch else [],
        warnings=list(merch.warnings) if merch else [],
        actions=actions,
        approvals=turn.approvals,
        reply=turn.reply,
    )


@router.post(
    "/tasks",
    response_model=MerchTaskResult,
    summary="Plan (and apply what policy allows) a merchandising task",
    responses={
        404: {"model": ErrorBody, "description": "No such task of yours"},
        409: {"model": ErrorBody, "description": "The task's thread is busy or awaits approval"},
        500: {"model": ErrorBody, "description": "The task failed (reason turn_failed)"},
        **ERROR_RESPONSES,
    },
)
async def create_task(
    body: MerchTaskRequest, principal: Staff, svc: Annotated[Services, Depends(services)]
) -> MerchTaskResult:
    """Plan a task with its dry-run preview, or answer a read-only question with a report.

    Actions the policy checker approves are applied at once; escalated ones are listed in
    `approvals` and wait for a person (`POST /v1/approvals/{decision_id}`).
    """
    _, concierge, runner = svc.ready()
    job = await runner.start(principal, text=body.task, thread_id=None, mode="merch")
    turn = await job.wait()
    if turn.status == "failed":
        raise TurnFailedError(turn.error or "the task failed")
    return await task_result(concierge, turn)


@router.get(
    "/tasks/{task_id}",
    response_model=MerchTaskResult,
    summary="Fetch a merchandising task",
    responses={404: {"model": ErrorBody, "description": "No such task"}, **ERROR_RESPONSES},
)
async def get_task(
    task_id: Annotated[str, Path(min_length=1, max_length=128)],
    principal: Staff,
    svc: Annotated[Services, Depends(services)],
) -> MerchTaskResult:
    """A task's plan, decisions and executions as they stand now (after approvals too)."""
    engine, concierge, _ = svc.ready()
    row = await anyio.to_thread.run_sync(ThreadStore(engine).get, task_id)
    if row is None or row.mode != "merch" or row.result is None:
        raise NotFoundError(f"no task {task_id!r}", field="task_id")
    return await task_result(concierge, TurnResult.model_validate(row.result))

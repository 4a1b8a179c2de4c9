"""`GET /v1/approvals` (escalated actions) and `POST /v1/approvals/{decision_id}` (a verdict).

A verdict resumes the paused turn once every action it escalated has one; the executor then applies
what was approved, exactly once. Nobody approves their own escalation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from orchestrator.api.auth import require
from orchestrator.api.errors import ERROR_RESPONSES, ErrorBody
from orchestrator.api.exceptions import ConflictError, ForbiddenError, NotFoundError
from orchestrator.api.models import TurnResult
from orchestrator.api.principals import Principal
from orchestrator.api.routes.chat import TurnFailedError
from orchestrator.api.services import Services, services
from orchestrator.api.threads import ThreadStore
from orchestrator.api.verdicts import VerdictStore
from orchestrator.runtime import Concierge
from policies.audit import AuditRecord
from tools.store import Approval

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])
Staff = Annotated[Principal, Depends(require("merchandiser", "admin"))]
DecisionId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ApprovalView(BaseModel):
    """An escalated action and where its approval stands."""

    approval_id: str
    decision_id: str = Field(description="Decide it at POST /v1/approvals/{decision_id}")
    thread_id: str
    kind: str
    action: dict[str, Any]
    reasons: list[str] = Field(description="Why it was escalated: 'CODE: message'")
    status: Literal["pending", "approved", "rejected"]
    requested_by: str
    requested_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    note: str


class ApprovalPage(BaseModel):
    """A page of approvals, newest first."""

    approvals: list[ApprovalView]
    next_offset: int | None = Field(description="Pass as `offset` for the next page")


class VerdictRequest(BaseModel):
    """A person's verdict on an escalated action."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"approve": True, "note": "margin is fine for a week"}]},
    )

    approve: bool
    note: str = Field(default="", max_length=2000)


class VerdictResult(BaseModel):
    """What a verdict did: resumed the turn, or waits for the turn's other escalations."""

    decision_id: str
    approve: bool
    status: Literal["resumed", "held"]
    waiting_for: list[str] = Field(description="Other escalations of the turn still undecided")
    turn: TurnResult | None = Field(description="How the resumed turn ended")


def _page(
    engine: Engine, status: str | None, thread_id: str | None, limit: int, offset: int
) -> tuple[list[Approval], dict[str, list[str]]]:
    stmt = select(Approval)
    if status is not None:
        stmt = stmt.where(col(Approval.status) == status)
    if thread_id is not None:
        stmt = stmt.where(col(Approval.thread_id) == thread_id)
    stmt = stmt.order_by(col(Approval.requested_at).desc(), col(Approval.id)).offset(offset)
    with Session(engine) as session:
        rows = list(session.exec(stmt.limit(limit + 1)))
        ids = [r.decision_id for r in rows]
        audits = session.exec(select(AuditRecord).where(col(AuditRecord.decision_id).in_(ids)))
        reasons = {
            a.decision_id: [f"{r.get('code', '')}: {r.get('message', '')}" for r in a.reasons]
            for a in audits
        }
    return rows, reasons


@router.get("", response_model=ApprovalPage, responses=ERROR_RESPONSES)
async def list_approvals(
    principal: Staff,
    svc: Annotated[Services, Depends(services)],
    status: Annotated[
        Literal["pending", "approved", "rejected"] | None, Query(description="Default: pending")
    ] = "pending",
    thread_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ApprovalPage:
    """Escalated actions, newest first: pending ones by default."""
    engine, _, _ = svc.ready()
    rows, reasons = await anyio.to_thread.run_sync(_page, engine, status, thread_id, limit, offset)
    views = [
        ApprovalView(
            approval_id=r.id,
            decision_id=r.decision_id,
            thread_id=r.thread_id,
            kind=str(r.action.get("kind", "")),
            action=r.action,
            reasons=reasons.get(r.decision_id, []),
            status=r.status,
            requested_by=r.requested_by,
            requested_at=r.requested_at,
            resolved_by=r.resolved_by,
            resolved_at=r.resolved_at,
            note=r.note,
        )
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return ApprovalPage(approvals=views, next_offset=offset + limit if more else None)


def _approval(engine: Engine, decision_id: str) -> Approval | None:
    with Session(engine) as session:
        return session.exec(
            select(Approval).where(col(Approval.decision_id) == decision_id)
        ).first()


async def _awaited(concierge: Concierge, thread_id: str) -> list[str]:
    """The decisions the thread's paused turn waits for (none if it is not paused)."""
    snapshot = await concierge.graph.aget_state({"configurable": {"thread_id": thread_id}})
    return [
        str(a["decision_id"])
        for interrupt in snapshot.interrupts
        for a in interrupt.value.get("approvals", [])
    ]


async def _adopt(concierge: Concierge, engine: Engine, thread_id: str, now: datetime) -> None:
    """A thread paused outside the API (the CLI) is taken on by it, owned by who spoke in it."""
    request = (await concierge.thread(thread_id)).get("request")
    if request is None:
        return
    mode = request.mode
    owner = f"{'merchandiser' if mode == 'merch' else 'shopper'}:{request.actor.id}"
    store = ThreadStore(engine)
    await anyio.to_thread.run_sync(lambda: store.adopt(thread_id, owner=owner, mode=mode, now=now))


@router.post(
    "/{decision_id}",
    response_model=VerdictResult,
    summary="Approve or reject an escalated action",
    responses={
        202: {"model": VerdictResult, "description": "Held until the turn's other escalations"},
        404: {"model": ErrorBody, "description": "No such escalation"},
        409: {"model": ErrorBody, "description": "Already decided, or no longer awaited"},
        **ERROR_RESPONSES,
    },
)
async def decide(
    decision_id: DecisionId,
    body: VerdictRequest,
    principal: Staff,
    svc: Annotated[Services, Depends(services)],
    response: Response,
) -> VerdictResult:
    """Record a verdict; once every escalation of the turn has one, the turn resumes.

    Approved actions are then executed (once, whatever the retries); rejected ones never are.
    The person who asked for the action cannot approve it.
    """
    engine, concierge, runner = svc.ready()
    row = await anyio.to_thread.run_sync(_approval, engine, decision_id)
    if row is None:
        raise NotFoundError(f"no escalation {decision_id!r}", field="decision_id")
    if row.status != "pending":
        raise ConflictError(f"already {row.status} by {row.resolved_by}", reason="already_decided")
    if row.requested_by == principal.id:
        raise ForbiddenError("nobody approves their own escalation", reason="self_approval")
    awaited = await _awaited(concierge, row.thread_id)
    if decision_id not in awaited:
        raise ConflictError("the turn no longer waits for this decision", reason="approval_stale")
    verdicts = VerdictStore(engine)
    now = svc.clock()
    held = await anyio.to_thread.run_sync(
        lambda: verdicts.hold(
            decision_id,
            thread_id=row.thread_id,
            approve=body.approve,
            by=principal.id,
            note=body.note,
            now=now,
        )
    )
    if not held:
        raise ConflictError("a verdict was already given", reason="already_decided")
    given = await anyio.to_thread.run_sync(verdicts.held, awaited)
    waiting = [d for d in awaited if d not in given]
    if waiting:
        response.status_code = 202
        return VerdictResult(
            decision_id=decision_id,
            approve=body.approve,
            status="held",
            waiting_for=waiting,
            turn=None,
        )
    await _adopt(concierge, engine, row.thread_id, now)
    try:
        job = await runner.resume(row.thread_id, lambda: verdicts.held(awaited))
    except ConflictError:
        # Another approver's verdict completed the turn at the same moment and resumes it.
        response.status_code = 202
        return VerdictResult(
            decision_id=decision_id, approve=body.approve, status="held", waiting_for=[], turn=None
        )
    turn = await job.wait()
    await anyio.to_thread.run_sync(verdicts.forget, awaited)
    if turn.status == "failed":
        raise TurnFailedError(turn.error or "the resumed turn failed")
    return VerdictResult(
        decision_id=decision_id, approve=body.approve, status="resumed", waiting_for=[], turn=turn
    )

"""`GET /v1/audit`: the decision log, filtered by actor, rule, effect, kind and time, paginated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel, Field, field_validator
from sqlalchemy import ColumnElement, Engine, String, cast
from sqlmodel import Session, col, select

from orchestrator.api.auth import require
from orchestrator.api.errors import ERROR_RESPONSES
from orchestrator.api.exceptions import UnprocessableError
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services, services
from policies.audit import AuditRecord

router = APIRouter(prefix="/v1", tags=["audit"])
Effect = Literal["approve", "modify", "deny", "escalate"]


class AuditQuery(BaseModel):
    """Which decisions to list; every filter given must match."""

    actor: str | None = Field(default=None, max_length=128, description="Who proposed or decided")
    effect: Effect | None = None
    rule: str | None = Field(
        default=None, max_length=128, description="A rule that gave a reason, e.g. pricing.floor"
    )
    reason: str | None = Field(
        default=None, max_length=64, description="A reason code, e.g. OFFER_CAP_REACHED"
    )
    kind: str | None = Field(default=None, max_length=64, description="Action kind")
    since: AwareDatetime | None = Field(default=None, description="Decided at or after (ISO 8601)")
    until: AwareDatetime | None = Field(default=None, description="Decided before (ISO 8601)")
    limit: int = Field(default=50, ge=1, le=500)

    @field_validator("since", "until", mode="before")
    @classmethod
    def _iso_only(cls, value: object) -> object:
        """Times are ISO 8601 date-times with a zone, never bare numbers."""
        if isinstance(value, int | float) or (
            isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
        ):
            raise ValueError("expected an ISO 8601 date-time, e.g. 2026-11-02T15:00:00Z")
        return value

    before_seq: int | None = Field(
        default=None, ge=1, description="Page on: records older than this position in the chain"
    )


class AuditEntry(BaseModel):
    """One recorded decision."""

    seq: int = Field(description="Position in the hash chain")
    decision_id: str
    actor: str
    action_kind: str
    effect: str
    reasons: list[dict[str, Any]]
    evaluated_rules: list[str]
    policy_version: str
    latency_ms: float
    created_at: datetime
    action: dict[str, Any] = Field(description="As proposed")
    final_action: dict[str, Any] | None = Field(description="As decided (modified if so)")
    record_hash: str


class AuditPage(BaseModel):
    """Decisions, newest first."""

    records: list[AuditEntry]
    next_before_seq: int | None = Field(description="Pass as `before_seq` for the next page")


def _conditions(q: AuditQuery) -> list[ColumnElement[bool]]:
    """One SQL condition per filter given."""
    found: list[ColumnElement[bool]] = []
    if q.actor is not None:
        found.append(col(AuditRecord.actor) == q.actor)
    if q.effect is not None:
        found.append(col(AuditRecord.effect) == q.effect)
    if q.kind is not None:
        found.append(col(AuditRecord.action_kind) == q.kind)
    if q.rule is not None:
        found.append(col(AuditRecord.rule_ids).contains(f" {q.rule} ", autoescape=True))
    if q.reason is not None:
        found.append(cast(col(AuditRecord.reasons), String).contains(f'"{q.reason}"'))
    if q.since is not None:
        found.append(col(AuditRecord.created_at) >= q.since)
    if q.until is not None:
        found.append(col(AuditRecord.created_at) < q.until)
    if q.before_seq is not None:
        found.append(col(AuditRecord.seq) < q.before_seq)
    return found


def _records(engine: Engine, q: AuditQuery) -> list[AuditRecord]:
    stmt = select(AuditRecord).where(*_conditions(q))
    stmt = stmt.order_by(col(AuditRecord.seq).desc()).limit(q.limit + 1)
    with Session(engine) as session:
        return list(session.exec(stmt))


@router.get("/audit", response_model=AuditPage, responses=ERROR_RESPONSES)
async def audit(
    query: Annotated[AuditQuery, Query()],
    principal: Annotated[Principal, Depends(require("merchandiser", "admin"))],
    svc: Annotated[Services, Depends(services)],
) -> AuditPage:
    """The hash-chained decision log, newest first (`concierge audit verify` checks the chain)."""
    if query.since and query.until and query.since >= query.until:
        raise UnprocessableError("since must be before until", field="query.since")
    engine, _, _ = svc.ready()
    rows = await anyio.to_thread.run_sync(_records, engine, query)
    page = rows[: query.limit]
    records = [AuditEntry.model_validate(r, from_attributes=True) for r in page]
    more = len(rows) > query.limit
    return AuditPage(records=records, next_before_seq=page[-1].seq if more and page else None)

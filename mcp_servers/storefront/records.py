"""An agent looks up its own proposals: what the checker decided, and a person's later verdict
on an escalated one. Another agent's or another shopper's proposal reads as not found."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from mcp_servers.storefront.identity import AgentIdentity
from mcp_servers.storefront.models import ProposalRecord, ReasonOut, Verdict
from mcp_servers.storefront.scopes import CATALOG_READ
from mcp_servers.storefront.state import StorefrontState, allowed, state_of
from policies.actions import parse_action, sha256_hex
from policies.actions.base import canonical_json
from policies.audit import AuditRecord
from policies.decision import EXECUTABLE, Effect


def proposal_status(
    decision_id: Annotated[str, Field(min_length=1, max_length=64)],
    ctx: Context[StorefrontState],
) -> ProposalRecord:
    """A proposal this agent made for this shopper, as decided (scope catalog:read).

    An escalated proposal also shows a person's verdict once there is one.
    """
    who = allowed(ctx, CATALOG_READ)
    gate = state_of(ctx).gate
    gate.ensure_log()
    record = gate.log.get(decision_id)
    if record is None or not _owned(record, who):
        raise ToolError(f"no proposal {decision_id!r}")
    resolution = None
    if record.effect == Effect.ESCALATE.value and record.final_action is not None:
        verdict = _verdict_on(gate.engine, record.final_action)
        resolution = Verdict(**_fields(verdict)) if verdict is not None else None
    return ProposalRecord(
        **_fields(record),
        kind=record.action_kind,
        decided_at=record.created_at,
        action=parse_action(record.final_action) if record.final_action else None,
        resolution=resolution,
    )


def _fields(record: AuditRecord) -> dict[str, Any]:
    effect = Effect(record.effect)
    return {
        "decision_id": record.decision_id,
        "effect": effect,
        "executable": effect in EXECUTABLE,
        "reasons": [
            ReasonOut(code=r["code"], rule_id=r["rule_id"], message=r.get("message", ""))
            for r in record.reasons
        ],
        "policy_version": record.policy_version,
        "decision_hash": record.decision_hash,
    }


def _owned(record: AuditRecord, who: AgentIdentity) -> bool:
    actor: dict[str, Any] = record.context.get("actor") or {}
    return (
        record.actor == who.agent
        and actor.get("kind") == "external_agent"
        and record.action.get("shopper_id") == who.shopper_id
    )


def _verdict_on(engine: Engine, final_action: dict[str, Any]) -> AuditRecord | None:
    """A person's decision on an escalated action (it names the action's hash), if any."""
    action_hash = sha256_hex(canonical_json(final_action))
    with Session(engine) as session:
        return session.exec(
            select(AuditRecord)
            .where(
                col(AuditRecord.action_hash) == action_hash,
                col(AuditRecord.rule_ids).contains(" human ", autoescape=True),
            )
            .order_by(col(AuditRecord.seq).desc())
        ).first()

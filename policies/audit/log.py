"""Writing and reading the decision log: one record per decision, appended under a lock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from policies.actions import ActionBase
from policies.audit.chain import record_hash
from policies.audit.table import AuditHead, AuditRecord, ensure_schema
from policies.context import PolicyContext
from policies.decision import PolicyDecision
from policies.exceptions import AuditError


@dataclass(frozen=True)
class RecordFilter:
    """Which records to list; None matches everything."""

    actor: str | None = None
    effect: str | None = None
    rule: str | None = None
    kind: str | None = None
    limit: int | None = 100


def to_record(
    decision: PolicyDecision, *, proposed: ActionBase, context: PolicyContext
) -> AuditRecord:
    """A decision as an (unchained) audit record."""
    reasons = [r.model_dump(mode="json") for r in decision.reasons]
    return AuditRecord(
        seq=0,
        decision_id=decision.decision_id,
        actor=decision.actor,
        action_kind=decision.action_kind,
        action_hash=decision.action_hash,
        effect=decision.effect.value,
        reasons=reasons,
        rule_ids=" " + " ".join(dict.fromkeys(r["rule_id"] for r in reasons)) + " ",
        evaluated_rules=list(decision.evaluated_rules),
        policy_version=decision.policy_version,
        latency_ms=decision.latency_ms,
        created_at=decision.decided_at,
        action=proposed.payload(),
        final_action=decision.action.payload() if decision.action is not None else None,
        context=context.model_dump(mode="json"),
        decision_hash=decision.decision_hash,
        prev_hash="",
        record_hash="",
    )


class DecisionLog:
    """The decision log in a database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        self.engine = engine
        if create:
            ensure_schema(engine)

    def record(
        self, decision: PolicyDecision, *, proposed: ActionBase, context: PolicyContext
    ) -> AuditRecord:
        """Append a decision to the chain; concurrent writers are serialised on the head row."""
        record = to_record(decision, proposed=proposed, context=context)
        try:
            return self._append(record)
        except SQLAlchemyError as exc:
            raise AuditError(f"cannot record decision {decision.decision_id}: {exc}") from exc

    def _append(self, record: AuditRecord) -> AuditRecord:
        with Session(self.engine, expire_on_commit=False) as session:
            # Taking the write lock first (an UPDATE) keeps the read of the head consistent.
            bump = update(AuditHead).where(col(AuditHead.id) == 1).values(seq=AuditHead.seq + 1)
            session.execute(bump)
            head = session.get(AuditHead, 1)
            if head is None:
                raise AuditError("the decision log has no head row: run ensure_schema")
            record.seq, record.prev_hash = head.seq, head.record_hash
            record.record_hash = record_hash(record)
            head.record_hash = record.record_hash
            session.add(record)
            session.add(head)
            session.commit()
        return record

    def get(self, decision_id: str) -> AuditRecord | None:
        """The record of one decision, if it was logged."""
        with Session(self.engine) as session:
            stmt = select(AuditRecord).where(col(AuditRecord.decision_id) == decision_id)
            return session.scalars(stmt).first()

    def recorded(self, decision: PolicyDecision) -> bool:
        """Whether this exact decision is in the log (an executor's second check)."""
        record = self.get(decision.decision_id)
        return record is not None and record.decision_hash == decision.decision_hash

    def records(
        self, where: RecordFilter = RecordFilter(), *, newest_first: bool = True
    ) -> list[AuditRecord]:
        """Records matching a filter, newest first by default."""
        stmt = select(AuditRecord)
        if where.actor:
            stmt = stmt.where(col(AuditRecord.actor) == where.actor)
        if where.effect:
            stmt = stmt.where(col(AuditRecord.effect) == where.effect)
        if where.kind:
            stmt = stmt.where(col(AuditRecord.action_kind) == where.kind)
        if where.rule:
            fired = col(AuditRecord.rule_ids).contains(f" {where.rule} ", autoescape=True)
            stmt = stmt.where(fired)
        seq = col(AuditRecord.seq)
        order = seq.desc() if newest_first else seq.asc()
        stmt = stmt.order_by(order).limit(where.limit)
        with Session(self.engine) as session:
            return list(session.scalars(stmt))

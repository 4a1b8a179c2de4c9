"""The executor: the only code that changes the store, queues a message or applies a price.

It refuses an action unless an approving decision whose hash binds exactly this action and the
policy version presents it, and unless that decision is in the decision log. Each action is applied
once: its effect and its `executions` row commit in one transaction under an idempotency key
(thread, turn, action), so a replay or a resume after a crash finds the row and does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from orchestrator.effects import Applying, apply, in_stock, queue_message
from orchestrator.state import ExecutionRecord, ExecutionStatus
from policies.actions import ActionBase, SendMessage, canonical_json, sha256_hex
from policies.audit import DecisionLog
from policies.decision import PolicyDecision, verify_decision
from policies.exceptions import ExecutionRefused
from tools.exceptions import ToolsError
from tools.store import Approval, Execution, transaction
from tools.store.vocab import ApprovalStatus

logger = logging.getLogger("orchestrator.executor")


def idempotency_key(*, thread_id: str, turn: int, index: int, proposed: ActionBase) -> str:
    """The key one proposed action of one turn of one thread executes under."""
    return f"{thread_id}:{turn}:{index}:{proposed.action_hash()[:16]}"


@dataclass(frozen=True)
class Order:
    """An approved action to execute, with who proposed it and what it is about."""

    action: ActionBase
    decision: PolicyDecision
    key: str
    actor: str
    thread_id: str = ""
    skus: tuple[str, ...] = ()


class Executor:
    """Applies approved actions to the store, each exactly once."""

    def __init__(self, engine: Engine, log: DecisionLog) -> None:
        self.engine = engine
        self.log = log
        Execution.metadata.create_all(engine, tables=[Execution.metadata.tables["executions"]])

    def execute(self, order: Order, *, now: datetime) -> ExecutionRecord:
        """Apply one approved action, or say why not; never raises for a refusal."""
        decision = order.decision
        try:
            verify_decision(order.action, decision)
            if not self.log.recorded(decision):
                raise ExecutionRefused("NOT_RECORDED", "the decision is not in the decision log")
        except ExecutionRefused as exc:
            logger.warning("refused %s: %s", order.key, exc)
            return self._record(order, "refused", exc.code, {"reason": exc.reason})
        try:
            return self._apply(order, now)
        except IntegrityError:
            return self._replayed(order)
        except (ToolsError, LookupError, ValueError) as exc:
            logger.warning("execution %s failed: %s", order.key, exc)
            return self._record(order, "failed", type(exc).__name__, {"reason": str(exc)})

    def _apply(self, order: Order, now: datetime) -> ExecutionRecord:
        with transaction(self.engine) as session:
            done = _find(session, order.key)
            if done is not None:
                return _as_record(done, "replayed")
            used = session.exec(
                select(Execution).where(Execution.decision_id == order.decision.decision_id)
            ).first()
            if used is not None:
                # One approval, one effect: a decision presented again under another key is not
                # a licence to apply its action twice.
                logger.warning("refused %s: decision used by %s", order.key, used.idempotency_key)
                first = used.idempotency_key
                reason = f"decision {order.decision.decision_id} was executed as {first}"
                return self._record(order, "refused", "DECISION_ALREADY_USED", {"reason": reason})
            applying = Applying(
                session,
                key=order.key,
                decision_id=order.decision.decision_id,
                actor=order.actor,
                now=now,
            )
            status, result = apply(applying, order.action, order.skus)
            row = Execution(
                idempotency_key=order.key,
                decision_id=order.decision.decision_id,
                kind=order.action.kind,
                actor=order.actor,
                thread_id=order.thread_id,
                status=status,
                result=result,
                executed_at=now,
            )
            session.add(row)
            session.flush()
            return _as_record(row, status)

    def _replayed(self, order: Order) -> ExecutionRecord:
        with Session(self.engine) as session:
            done = _find(session, order.key)
        if done is None:
            return self._record(order, "failed", "IntegrityError", {"reason": "constraint failed"})
        return _as_record(done, "replayed")

    def _record(
        self, order: Order, status: str, code: str, result: dict[str, str]
    ) -> ExecutionRecord:
        return ExecutionRecord(
            key=order.key,
            decision_id=order.decision.decision_id,
            kind=order.action.kind,
            status=status,
            code=code,
            result=result,
        )

    def release_restocked(self, *, now: datetime) -> list[ExecutionRecord]:
        """Queue the waiting back-in-stock messages whose products are available again."""
        released: list[ExecutionRecord] = []
        with transaction(self.engine) as session:
            waiting = session.exec(
                select(Execution).where(Execution.status == "waiting").order_by(col(Execution.id))
            ).all()
            for row in waiting:
                skus = tuple(row.result.get("skus", []))
                if not in_stock(session, skus, now):
                    continue
                action = SendMessage.model_validate(row.result["action"])
                applying = Applying(
                    session,
                    key=row.idempotency_key,
                    decision_id=row.decision_id,
                    actor=row.actor,
                    now=now,
                )
                row.result = {**queue_message(applying, action, skus), "skus": list(skus)}
                row.status = "applied"
                session.add(row)
                released.append(_as_record(row, "applied"))
        return released

    def request_approval(self, order: Order, *, requested_by: str, now: datetime) -> str:
        """Record that an escalated action awaits a person (once per decision)."""
        approval_id = (
            "AP-" + sha256_hex(canonical_json([order.key, order.decision.decision_id]))[:24]
        )
        with transaction(self.engine) as session:
            if session.get(Approval, approval_id) is None:
                session.add(
                    Approval(
                        id=approval_id,
                        thread_id=order.thread_id,
                        action=order.action.payload(),
                        action_hash=order.action.action_hash(),
                        decision_id=order.decision.decision_id,
                        requested_by=requested_by,
                        requested_at=now,
                    )
                )
        return approval_id

    def resolve_approval(
        self, approval_id: str, *, approved: bool, by: str, note: str, now: datetime
    ) -> None:
        """Record a person's verdict on an escalated action."""
        with transaction(self.engine) as session:
            row = session.get(Approval, approval_id)
            if row is None or row.status != ApprovalStatus.PENDING.value:
                return
            row.status = (ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED).value
            row.resolved_by, row.resolved_at, row.note = by, now, note[:2000]
            session.add(row)


def _find(session: Session, key: str) -> Execution | None:
    return session.exec(select(Execution).where(Execution.idempotency_key == key)).first()


def _as_record(row: Execution, status: ExecutionStatus) -> ExecutionRecord:
    return ExecutionRecord(
        key=row.idempotency_key,
        decision_id=row.decision_id,
        kind=row.kind,
        status=status,
        result=dict(row.result),
    )

"""People's verdicts on escalated actions, held until every escalation of the turn has one.

A paused turn resumes once, with a verdict for each action it escalated; a verdict given while
others of the same turn are still open is kept here (in the store, so any worker may resume).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from orchestrator.api.tables import HeldVerdict, transaction


class VerdictStore:
    """The `api_verdicts` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def hold(
        self, decision_id: str, *, thread_id: str, approve: bool, by: str, note: str, now: datetime
    ) -> bool:
        """Keep a verdict; False if one was given for this decision already."""
        row = HeldVerdict(
            decision_id=decision_id,
            thread_id=thread_id,
            approve=approve,
            by=by,
            note=note,
            given_at=now,
        )
        try:
            with transaction(self.engine) as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def held(self, decision_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The verdicts given for these decisions, as the graph takes them."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(HeldVerdict).where(col(HeldVerdict.decision_id).in_(list(decision_ids)))
            ).all()
        return {r.decision_id: {"approve": r.approve, "by": r.by, "note": r.note} for r in rows}

    def forget(self, decision_ids: Collection[str]) -> None:
        """Drop verdicts the turn has taken."""
        with transaction(self.engine) as session:
            stmt = delete(HeldVerdict).where(col(HeldVerdict.decision_id).in_(list(decision_ids)))
            session.execute(stmt)

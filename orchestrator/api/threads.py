"""Who owns each conversation thread, and where its last turn stands (shared by all workers).

A thread belongs to the caller that started it: only its owner may talk in it, and a shopper sees
only their own threads (another's is "not found"). A turn claims its thread with a conditional
update, so that two turns never run on one thread at once, across workers too; a claim older than
`STALE_AFTER` (a worker that died mid-turn) may be taken over.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Engine, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from orchestrator.api.principals import Principal
from orchestrator.api.tables import ApiThread, transaction
from orchestrator.state import Mode

ThreadStatus = Literal["idle", "running", "finished", "awaiting_approval", "failed"]
STALE_AFTER = timedelta(minutes=5)


def visible(row: ApiThread, principal: Principal) -> bool:
    """Whether the caller may read a thread: staff any, a shopper their own."""
    return principal.is_staff or row.owner == principal.ref


class ThreadStore:
    """The `api_threads` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, thread_id: str) -> ApiThread | None:
        """A thread's row, if the API knows it."""
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(ApiThread, thread_id)

    def create(self, thread_id: str, principal: Principal, mode: Mode, now: datetime) -> ApiThread:
        """Record a new thread for its owner; returns the existing row if it was taken meanwhile."""
        row = ApiThread(
            thread_id=thread_id,
            owner=principal.ref,
            shopper_id=principal.shopper_id,
            mode=mode,
            created_at=now,
            updated_at=now,
        )
        try:
            with transaction(self.engine) as session:
                session.add(row)
        except IntegrityError:
            found = self.get(thread_id)
            assert found is not None
            return found
        return row

    def adopt(self, thread_id: str, *, owner: str, mode: Mode, now: datetime) -> None:
        """Take on a thread paused outside the API (e.g. by the CLI) so that it can be resumed."""
        row = ApiThread(
            thread_id=thread_id,
            owner=owner,
            mode=mode,
            status="awaiting_approval",
            created_at=now,
            updated_at=now,
        )
        try:
            with transaction(self.engine) as session:
                session.add(row)
        except IntegrityError:
            pass  # known already

    def begin(self, thread_id: str, *, resume: bool, now: datetime) -> bool:
        """Claim the thread for a turn (or the resumption of a paused one); False if it is taken."""
        table = ApiThread.__table__  # type: ignore[attr-defined]
        stale = now - STALE_AFTER
        free = or_(col(ApiThread.status) != "running", col(ApiThread.turn_started_at) < stale)
        allowed = col(ApiThread.status) == "awaiting_approval" if resume else free
        values: dict[str, Any] = {"status": "running", "turn_started_at": now, "updated_at": now}
        if not resume:
            values["turns"] = table.c.turns + 1
        stmt = update(table).where(table.c.thread_id == thread_id, allowed).values(**values)
        with transaction(self.engine) as session:
            return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def finish(
        self, thread_id: str, status: ThreadStatus, result: dict[str, Any], now: datetime
    ) -> None:
        """Record how the turn ended and free the thread."""
        with transaction(self.engine) as session:
            row = session.get(ApiThread, thread_id)
            if row is None:
                return
            row.status, row.result, row.updated_at, row.turn_started_at = status, result, now, None
            session.add(row)

"""The executions table: one row per idempotency key, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tools.store import Execution

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def _row(key: str) -> Execution:
    return Execution(
        idempotency_key=key,
        decision_id="d1",
        kind="quote_offer",
        actor="concierge",
        thread_id="t1",
        result={"offer_id": "q-1"},
        executed_at=NOW,
    )


def _exercise(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(_row("t1:1:0:abc"))
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(_row("t1:1:0:abc"))
        session.commit()
    with Session(engine) as session:
        (row,) = session.exec(select(Execution)).all()
        assert row.result == {"offer_id": "q-1"} and row.executed_at == NOW
        assert row.status == "applied"


def test_an_idempotency_key_is_executed_once_on_sqlite(sqlite_engine: Engine) -> None:
    _exercise(sqlite_engine)


def test_an_idempotency_key_is_executed_once_on_postgres(pg_engine: Engine) -> None:
    _exercise(pg_engine)

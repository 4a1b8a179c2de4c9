"""The decision log's tables: append-only, hash-chained records and the chain's head.

They live in the store's database but in their own metadata, created by `ensure_schema`.
Triggers refuse UPDATE and DELETE of records; the hash chain detects what gets past them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first record."""


class UTCTimestamp(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class AuditBase(SQLModel, registry=registry()):
    """Base of the decision-log tables (their own metadata, apart from the store's)."""


class AuditRecord(AuditBase, table=True):
    """One policy decision in the append-only, hash-chained decision log."""

    __tablename__ = "audit_records"

    seq: int = Field(primary_key=True, description="Position in the chain, from 1, no gaps")
    decision_id: str = Field(unique=True, max_length=64)
    actor: str = Field(index=True, max_length=128)
    action_kind: str = Field(index=True, max_length=64)
    action_hash: str = Field(max_length=64, description="Hash of the action as proposed")
    effect: str = Field(index=True, max_length=16)
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    rule_ids: str = Field(default="", max_length=4000, description="' a b ': rules with reasons")
    evaluated_rules: list[str] = Field(default_factory=list, sa_type=JSON)
    policy_version: str = Field(index=True, max_length=128)
    latency_ms: float = 0.0
    created_at: datetime = Field(sa_type=UTCTimestamp)
    action: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, description="As proposed")
    final_action: dict[str, Any] | None = Field(
        default=None, sa_type=JSON, description="As decided (modified if so)"
    )
    context: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, description="Facts used")
    decision_hash: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64)
    record_hash: str = Field(unique=True, max_length=64)


class AuditHead(AuditBase, table=True):
    """The last link of the chain, so that deleting the newest records is detected too."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    record_hash: str = Field(default=GENESIS_HASH, max_length=64)


_SQLITE_GUARDS = [
    f"CREATE TRIGGER IF NOT EXISTS audit_records_no_{op.lower()} BEFORE {op} ON audit_records "
    "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END"
    for op in ("UPDATE", "DELETE")
]
_PG_GUARDS = [
    "CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_records is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_records_append_only ON audit_records",
    "CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records "
    "FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()",
]


def ensure_schema(engine: Engine) -> None:
    """Create the decision-log tables, their append-only guards and the chain head, if missing."""
    AuditBase.metadata.create_all(engine)
    guards = _PG_GUARDS if engine.dialect.name == "postgresql" else _SQLITE_GUARDS
    with Session(engine) as session:
        for statement in guards:
            session.execute(text(statement))
        if session.get(AuditHead, 1) is None:
            session.add(AuditHead())
        session.commit()

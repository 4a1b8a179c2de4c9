"""The API's own tables: keys, thread ownership, idempotent responses and held verdicts.

They live in the store's database (so every API worker sees the same) but in their own metadata,
created by `ensure_schema` when the API starts or a key is created.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Engine, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel

from tools.store.types import UTCDateTime


class ApiBase(SQLModel, registry=registry()):
    """Base of the API's tables (their own metadata, apart from the store's)."""


class ApiKeyRow(ApiBase, table=True):
    """An API key created with `concierge api-key create`; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=32, description="Public part of the key")
    sha256: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=16)
    subject: str = Field(max_length=128)
    shopper_id: str | None = Field(default=None, max_length=64)
    category_scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    label: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiThread(ApiBase, table=True):
    """Who owns a conversation thread and how its last turn ended."""

    __tablename__ = "api_threads"

    thread_id: str = Field(primary_key=True, max_length=128)
    owner: str = Field(index=True, max_length=160, description="role:subject of the creator")
    shopper_id: str | None = Field(default=None, max_length=64)
    mode: str = Field(max_length=16)
    status: str = Field(default="idle", max_length=24)
    turns: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    turn_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class IdempotentResponse(ApiBase, table=True):
    """The response given to a write with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "api_idempotency"

    owner: str = Field(primary_key=True, max_length=160)
    key: str = Field(primary_key=True, max_length=255)
    fingerprint: str = Field(max_length=64, description="SHA-256 of method, path and body")
    state: str = Field(default="in_progress", max_length=16)
    status_code: int = 0
    headers: list[list[str]] = Field(default_factory=list, sa_type=JSON)
    body: bytes = Field(default=b"", sa_type=LargeBinary)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class HeldVerdict(ApiBase, table=True):
    """A person's verdict on one escalation, held until every escalation of its turn has one."""

    __tablename__ = "api_verdicts"

    decision_id: str = Field(primary_key=True, max_length=64)
    thread_id: str = Field(index=True, max_length=128)
    approve: bool
    by: str = Field(max_length=128)
    note: str = Field(default="", max_length=2000)
    given_at: datetime = Field(sa_type=UTCDateTime)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session that commits as one transaction (rolls back on error); rows stay readable."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def ensure_schema(engine: Engine) -> None:
    """Create the API's tables if they are missing."""
    ApiBase.metadata.create_all(engine)

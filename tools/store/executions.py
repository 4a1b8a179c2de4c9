"""Executed actions: one row per approved action applied, keyed so that it is applied once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from tools.store.types import UTCDateTime


class Execution(SQLModel, table=True):
    """An approved action that was applied, with what applying it did."""

    __tablename__ = "executions"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=200, description="Thread, turn, action")
    decision_id: str = Field(index=True, max_length=64, description="The approving decision")
    kind: str = Field(max_length=32, description="The action kind")
    actor: str = Field(default="", max_length=128, description="Who proposed the action")
    thread_id: str = Field(default="", index=True, max_length=128)
    status: str = Field(default="applied", max_length=32, description="applied or waiting")
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    executed_at: datetime = Field(sa_type=UTCDateTime)

"""Refused tool calls: an agent asked for a tool outside its allow-list, over its call budget, or
one whose schema drifted. Kept beyond the thread's checkpoints, which retention prunes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Field, SQLModel

from tools.store.engine import transaction
from tools.store.types import UTCDateTime


class ToolRefusal(SQLModel, table=True):
    """One tool call refused before it reached a server."""

    __tablename__ = "tool_refusals"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: str = Field(index=True, max_length=128)
    turn: int = Field(ge=0)
    agent: str = Field(max_length=64)
    tool: str = Field(max_length=128)
    code: str = Field(max_length=32, description="NOT_ALLOWED, OVER_BUDGET, SCHEMA_CHANGED, ...")
    args_hash: str = Field(max_length=64, description="SHA-256 prefix of the call's arguments")
    refused_at: datetime = Field(sa_type=UTCDateTime)


def record_refusals(engine: Engine, refusals: Sequence[ToolRefusal]) -> None:
    """Keep refused calls, all in one transaction."""
    if not refusals:
        return
    with transaction(engine) as session:
        session.add_all(refusals)

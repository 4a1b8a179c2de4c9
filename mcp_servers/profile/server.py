"""MCP server `profile`: a shopper's preference state, and zero-party preferences to record.

Read-only: recording a preference returns the proposed update; only the executor writes it,
once the policy checker approves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field
from sqlalchemy import Engine

import tools.profiles as profiles
import tools.recommend as rec
from config import Settings
from mcp_servers.common import input_errors_as_tool_errors, new_server
from tools.exceptions import StoreError
from tools.store import has_schema, make_engine

INSTRUCTIONS = (
    "Shopper profiles for the retail concierge: taste, department / brand / attribute "
    "affinities, price sensitivity, channel and hour habits, built from history, the current "
    "session and stated preferences, with what was inferred from what. Recording a stated "
    "preference only proposes the update; the executor applies it after approval."
)
ShopperId = Annotated[str | None, Field(max_length=64, description="Known shopper, if any")]
SessionId = Annotated[str | None, Field(max_length=64, description="Current session, if any")]


@dataclass
class ProfileState:
    """What the tools share: the store and the engine profiles are built against."""

    db: Engine
    service: rec.RecommendService


def _service(ctx: Context[ProfileState]) -> rec.RecommendService:
    return ctx.request_context.lifespan_context.service


def get_profile(
    ctx: Context[ProfileState], shopper_id: ShopperId = None, session_id: SessionId = None
) -> profiles.ShopperProfile:
    """The shopper's (or an anonymous session's) profile and its explanation."""
    if shopper_id is None and session_id is None:
        raise ToolError("give a shopper_id, a session_id, or both")
    return _service(ctx).profile(shopper_id=shopper_id, session_id=session_id)


def record_preference(
    shopper_id: Annotated[str, Field(min_length=1, max_length=64)],
    changes: Annotated[list[profiles.PreferenceChange], Field(min_length=1, max_length=20)],
    ctx: Context[ProfileState],
) -> profiles.PreferenceProposal:
    """Propose recording what the shopper stated (e.g. add brand, set budget); writes nothing."""
    return _service(ctx).propose_preferences(shopper_id=shopper_id, changes=changes)


def create_server(
    settings: Settings, *, encoder: rec.Encoder | None = None
) -> MCPServer[ProfileState]:
    """The profile server over the configured store (taste vectors: MiniLM by default)."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[ProfileState]) -> AsyncIterator[ProfileState]:
        url = settings.resolved_database_url
        db = make_engine(url, busy_timeout_ms=settings.sqlite.busy_timeout_ms)
        try:
            if not has_schema(db):
                raise StoreError(f"no store at {url}: run `concierge init` first")
            text = encoder or rec.text_encoder(settings.data_dir)
            service = await anyio.to_thread.run_sync(
                lambda: rec.open_service(db, data_dir=settings.data_dir, encoder=text)
            )
            yield ProfileState(db=db, service=service)
        finally:
            db.dispose()

    server = new_server("profile", instructions=INSTRUCTIONS, lifespan=lifespan)
    read_only = ToolAnnotations(read_only_hint=True)
    for tool in (get_profile, record_preference):
        server.add_tool(input_errors_as_tool_errors(tool), annotations=read_only)
    return server

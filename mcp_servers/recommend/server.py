"""MCP server `recommend`: picks for a shopper, similar items, bought together, re-ranking.

Read-only: it ranks and explains; showing recommendations is an action the policy checker
approves. Models are fitted (or read from the data directory) once, at startup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field
from sqlalchemy import Engine

import tools.recommend as rec
from config import Settings
from mcp_servers.common import input_errors_as_tool_errors, new_server
from tools.exceptions import StoreError
from tools.store import has_schema, make_engine

INSTRUCTIONS = (
    "Recommendations for the retail concierge: personal picks for a shopper or a session, "
    "similar items, items bought together, and re-ranking of candidate skus for a shopper. "
    "Every item carries the terms of its score and its reasons; out-of-stock items never appear."
)
Sku = Annotated[str, Field(min_length=1, max_length=64, description="The item's sku")]
ShopperId = Annotated[str | None, Field(max_length=64, description="Known shopper, if any")]
SessionId = Annotated[str | None, Field(max_length=64, description="Current session, if any")]
K = Annotated[int, Field(ge=1, le=100, description="How many items")]
At = Annotated[datetime | None, Field(description="Answer as of this time (ISO 8601); default now")]


class SimilarItems(BaseModel):
    """Items like the given one."""

    sku: str
    items: list[rec.SimilarItem]


class BoughtTogether(BaseModel):
    """Items often bought with the given ones."""

    skus: list[str]
    items: list[rec.BoughtTogetherItem]


@dataclass
class RecommendState:
    """What the tools share: the store and the fitted engine with its stock snapshot."""

    db: Engine
    service: rec.RecommendService


def _service(ctx: Context[RecommendState]) -> rec.RecommendService:
    return ctx.request_context.lifespan_context.service


def recommend_for_shopper(
    ctx: Context[RecommendState],
    shopper_id: ShopperId = None,
    session_id: SessionId = None,
    k: K = 10,
    exclude: Annotated[list[Sku] | None, Field(max_length=500)] = None,
    at: At = None,
) -> rec.RecommendationList:
    """Personal picks for a shopper (and/or their current session), each with its reasons."""
    return _service(ctx).recommend(
        shopper_id=shopper_id, session_id=session_id, k=k, exclude=exclude or (), now=at
    )


def similar_items(sku: Sku, ctx: Context[RecommendState], k: K = 10, at: At = None) -> SimilarItems:
    """Items like this one (co-viewed, described alike), one per product, in stock."""
    return SimilarItems(sku=sku, items=_service(ctx).similar_items(sku=sku, k=k, now=at))


def bought_together(
    skus: Annotated[list[Sku], Field(min_length=1, max_length=50)],
    ctx: Context[RecommendState],
    k: K = 5,
    at: At = None,
) -> BoughtTogether:
    """Items often bought with these (association rules over past orders), in stock."""
    return BoughtTogether(skus=skus, items=_service(ctx).bought_together(skus=skus, k=k, now=at))


def rank_candidates(
    skus: Annotated[list[Sku], Field(min_length=1, max_length=500)],
    ctx: Context[RecommendState],
    shopper_id: ShopperId = None,
    session_id: SessionId = None,
    query: Annotated[str | None, Field(max_length=300, description="The shopper's query")] = None,
    k: Annotated[int, Field(ge=1, le=500, description="How many items")] = 10,
    at: At = None,
) -> rec.RecommendationList:
    """The given skus (e.g. search results, in their order) re-ranked for the shopper."""
    return _service(ctx).rank_candidates(
        skus=skus, shopper_id=shopper_id, session_id=session_id, query_text=query, k=k, now=at
    )


class StockSnapshot(BaseModel):
    """The stock snapshot the ranking uses."""

    taken_at: datetime | None
    not_normal: dict[str, int] = Field(description="Skus per stock level other than normal")


async def refresh_stock(ctx: Context[RecommendState], at: At = None) -> StockSnapshot:
    """Take a new stock snapshot (after stock changes); live stock is checked anyway."""
    levels = await anyio.to_thread.run_sync(lambda: _service(ctx).refresh_stock(now=at))
    counts: dict[str, int] = {}
    for level in levels.levels.values():
        counts[level.value] = counts.get(level.value, 0) + 1
    return StockSnapshot(taken_at=levels.taken_at, not_normal=dict(sorted(counts.items())))


def create_server(
    settings: Settings, *, encoder: rec.Encoder | None = None
) -> MCPServer[RecommendState]:
    """The recommend server over the configured store (text embeddings: MiniLM by default)."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[RecommendState]) -> AsyncIterator[RecommendState]:
        url = settings.resolved_database_url
        db = make_engine(url, busy_timeout_ms=settings.sqlite.busy_timeout_ms)
        try:
            if not has_schema(db):
                raise StoreError(f"no store at {url}: run `concierge init` first")
            text = encoder or rec.text_encoder(settings.data_dir)
            service = await anyio.to_thread.run_sync(
                lambda: rec.open_service(db, data_dir=settings.data_dir, encoder=text)
            )
            yield RecommendState(db=db, service=service)
        finally:
            db.dispose()

    server = new_server("recommend", instructions=INSTRUCTIONS, lifespan=lifespan)
    read_only = ToolAnnotations(read_only_hint=True)
    for tool in (recommend_for_shopper, similar_items, bought_together, rank_candidates):
        server.add_tool(input_errors_as_tool_errors(tool), annotations=read_only)
    server.add_tool(refresh_stock, annotations=read_only)
    return server

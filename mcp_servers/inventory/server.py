"""MCP server `inventory`: availability, fulfilment options, substitutes, stock signals, holds.

Read-only: a hold is only planned here; the executor applies approved holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field
from sqlalchemy import Engine
from sqlmodel import Session

import tools.inventory as inventory
from config import Settings
from mcp_servers.common import (
    add_read_only_tools,
    new_server,
    open_store,
)
from tools.inventory.clock import as_utc
from tools.store.types import utcnow

INSTRUCTIONS = (
    "Stock and fulfilment for the retail concierge: availability per location, ship and pickup "
    "options with ready times, in-stock substitutes, stock signals, and hold proposals."
)

At = Annotated[
    datetime | None, Field(description="Evaluate at this time (ISO 8601 with offset); default now")
]


@dataclass
class InventoryState:
    """What the tools share: the store and the substitutes index."""

    engine: Engine
    index: inventory.IndexHolder


def _now(at: datetime | None) -> datetime:
    return utcnow() if at is None else as_utc(at, field="at")


def _state(ctx: Context[InventoryState]) -> InventoryState:
    return ctx.request_context.lifespan_context


def availability(
    sku: str,
    ctx: Context[InventoryState],
    location_id: str | None = None,
    at: At = None,
) -> inventory.Availability:
    """Units of a sku available at each location: on hand, less reserved, less active holds."""
    with Session(_state(ctx).engine) as session:
        return inventory.availability(session, sku=sku, now=_now(at), location_id=location_id)


def fulfilment_options(
    sku: str,
    ctx: Context[InventoryState],
    shopper_id: str | None = None,
    destination: inventory.Destination | None = None,
    quantity: int = 1,
    at: At = None,
) -> inventory.FulfilmentPlan:
    """Ship and store-pickup options with ready/delivery times, for a known shopper or a place."""
    with Session(_state(ctx).engine) as session:
        if shopper_id is not None:
            destination = inventory.destination_for(session, shopper_id)
        where = destination or inventory.Destination()
        return inventory.fulfilment_options(
            session, sku=sku, destination=where, now=_now(at), quantity=quantity
        )


def substitutes(
    sku: str,
    ctx: Context[InventoryState],
    limit: int = 5,
    quantity: int = 1,
    location_id: str | None = None,
    at: At = None,
) -> inventory.SubstituteList:
    """In-stock alternatives in the same category, closest in attributes and price first."""
    state = _state(ctx)
    with Session(state.engine) as session:
        index = state.index.covering(session, sku)
        return inventory.substitutes(
            session,
            index,
            sku=sku,
            now=_now(at),
            limit=limit,
            quantity=quantity,
            location_id=location_id,
        )


def stock_signal(
    skus: list[str], ctx: Context[InventoryState], at: At = None
) -> list[inventory.StockSignal]:
    """Stock level (out, low, normal, overstock) of each sku, with units and days of cover."""
    with Session(_state(ctx).engine) as session:
        return inventory.stock_signals(session, skus=skus, now=_now(at))


def plan_hold(
    sku: str,
    location_id: str,
    ctx: Context[InventoryState],
    quantity: int = 1,
    shopper_id: str | None = None,
    ttl_minutes: int = 120,
    at: At = None,
) -> inventory.HoldProposal:
    """Propose holding units at a store for pickup (nothing is reserved until it is executed)."""
    with Session(_state(ctx).engine) as session:
        return inventory.plan_hold(
            session,
            sku=sku,
            location_id=location_id,
            quantity=quantity,
            shopper_id=shopper_id,
            ttl=timedelta(minutes=ttl_minutes),
            now=_now(at),
        )


async def refresh_index(ctx: Context[InventoryState]) -> inventory.IndexInfo:
    """Reload the substitutes index from the store (after catalog or stock changes)."""
    index = await anyio.to_thread.run_sync(_state(ctx).index.refresh)
    return index.info()


TOOLS: tuple[Callable[..., Any], ...] = (availability, fulfilment_options, substitutes)
TOOLS += (stock_signal, plan_hold)


def create_server(settings: Settings) -> MCPServer[InventoryState]:
    """The inventory server over the configured store."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[InventoryState]) -> AsyncIterator[InventoryState]:
        async with open_store(settings) as engine:
            holder = await anyio.to_thread.run_sync(inventory.IndexHolder, engine)
            yield InventoryState(engine=engine, index=holder)

    server = new_server("inventory", instructions=INSTRUCTIONS, lifespan=lifespan)
    add_read_only_tools(server, (*TOOLS, refresh_index))
    return server

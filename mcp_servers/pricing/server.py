"""MCP server `pricing`: price quotes with an expiry, offer decisions, and their explanation.

Read-only: a quote is only made here; the executor records approved quotes in the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field
from sqlalchemy import Engine
from sqlmodel import Session

import tools.pricing as pricing
from config import Settings
from mcp_servers.common import (
    add_read_only_tools,
    new_server,
    open_store,
)
from tools.store.types import utcnow

INSTRUCTIONS = (
    "Prices and offers for the retail concierge: a quote that holds a price until it expires, "
    "the offer (none, free shipping, bundle or a small discount) with the best expected margin "
    "for a shopper's session, and why. Offers are proposals; the policy checker decides."
)
Sku = Annotated[str, Field(min_length=1, max_length=64, description="The item's sku")]
ShopperId = Annotated[str | None, Field(max_length=64, description="Known shopper, if any")]
Quantity = Annotated[int, Field(ge=1, le=100, description="Units of the item")]
Cart = Annotated[list[pricing.CartItem] | None, Field(max_length=100, description="Rest of cart")]
Companion = Annotated[str | None, Field(max_length=64, description="A sku to offer as a bundle")]
Propensity = Annotated[float | None, Field(ge=0, le=1, description="Session P(purchase)")]


@dataclass
class PricingState:
    """What the tools share: the store and the pricing context loaded from it."""

    engine: Engine
    context: pricing.PricingContext


def propose_offer(
    sku: Sku,
    ctx: Context[PricingState],
    shopper_id: ShopperId = None,
    quantity: Quantity = 1,
    cart: Cart = None,
    companion_sku: Companion = None,
    purchase_propensity: Propensity = None,
    intent: pricing.IntentStage | None = None,
    fulfilment: pricing.Fulfilment = "ship",
) -> pricing.OfferDecision:
    """The offer with the highest expected contribution margin, and every option considered."""
    state = ctx.request_context.lifespan_context
    with Session(state.engine) as session:
        pricing_input = pricing.pricing_input_for(
            session,
            context=state.context,
            sku=sku,
            shopper_id=shopper_id,
            quantity=quantity,
            cart=cart or [],
            companion_sku=companion_sku,
            purchase_propensity=purchase_propensity,
            intent=intent,
            fulfilment=fulfilment,
        )
    return pricing.decide_offer(pricing_input=pricing_input, demand=state.context.demand)


def explain(
    sku: Sku,
    ctx: Context[PricingState],
    shopper_id: ShopperId = None,
    quantity: Quantity = 1,
    cart: Cart = None,
    companion_sku: Companion = None,
    purchase_propensity: Propensity = None,
    intent: pricing.IntentStage | None = None,
    fulfilment: pricing.Fulfilment = "ship",
) -> pricing.Explanation:
    """Why the engine would make (or not make) an offer: its basis and each option's verdict."""
    args = (shopper_id, quantity, cart, companion_sku, purchase_propensity, intent, fulfilment)
    return pricing.explain_decision(propose_offer(sku, ctx, *args))


def quote(
    sku: Sku,
    ctx: Context[PricingState],
    shopper_id: ShopperId = None,
    quantity: Quantity = 1,
    with_offer: Annotated[
        bool, Field(description="Quote under the engine's proposed offer, not the list price")
    ] = False,
    cart: Cart = None,
    companion_sku: Companion = None,
    purchase_propensity: Propensity = None,
    ttl_minutes: Annotated[int, Field(ge=1, le=10_080, description="How long it holds")] = 30,
    at: Annotated[datetime | None, Field(description="Quote time (ISO 8601); default now")] = None,
) -> pricing.Quote:
    """A price quote with an id and an expiry; once recorded it is honoured until then."""
    with Session(ctx.request_context.lifespan_context.engine) as session:
        facts = pricing.load_sku_facts(session, skus=[sku]).get(sku)
    if facts is None:
        raise pricing.UnknownSkuError(sku)
    decision = None
    if with_offer:
        args = (shopper_id, quantity, cart, companion_sku, purchase_propensity)
        decision = propose_offer(sku, ctx, *args)
    return pricing.make_quote(
        sku=sku,
        list_price_cents=facts.list_price_cents,
        now=utcnow() if at is None else at,
        shopper_id=shopper_id,
        quantity=quantity,
        option=decision.chosen if decision else None,
        decision_id=decision.decision_id if decision else None,
        ttl=timedelta(minutes=ttl_minutes),
    )


def create_server(settings: Settings) -> MCPServer[PricingState]:
    """The pricing server over the configured store."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[PricingState]) -> AsyncIterator[PricingState]:
        async with open_store(settings) as engine:
            context = await anyio.to_thread.run_sync(
                lambda: pricing.open_pricing_context(engine, data_dir=settings.data_dir)
            )
            yield PricingState(engine=engine, context=context)

    server = new_server("pricing", instructions=INSTRUCTIONS, lifespan=lifespan)
    add_read_only_tools(server, (quote, propose_offer, explain))
    return server

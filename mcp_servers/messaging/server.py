"""MCP server `messaging`: channel choice, message plans (rendered and timed), frequency.

Read-only: it proposes messages; only the executor queues them in the outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field
from sqlalchemy import Engine
from sqlmodel import Session

import tools.messaging as messaging
from config import Settings
from mcp_servers.common import (
    add_read_only_tools,
    new_server,
    open_store,
)
from tools.inventory.clock import as_utc
from tools.messaging.channel import get_shopper
from tools.store.types import utcnow
from tools.store.vocab import Channel

INSTRUCTIONS = (
    "Outreach for the retail concierge: which channel a shopper consented to and prefers, a "
    "rendered message timed inside their local allowed hours, and how often they were messaged."
)
At = Annotated[
    datetime | None, Field(description="Evaluate at this time (ISO 8601 with offset); default now")
]


@dataclass
class MessagingState:
    """What the tools share: the store, the sender identity and the messaging rules."""

    engine: Engine
    sender: messaging.Sender
    policy: messaging.MessagingPolicy


def _now(at: datetime | None) -> datetime:
    return utcnow() if at is None else as_utc(at, field="at")


def _state(ctx: Context[MessagingState]) -> MessagingState:
    return ctx.request_context.lifespan_context


def choose_channel(
    shopper_id: str, ctx: Context[MessagingState], at: At = None
) -> messaging.ChannelChoice:
    """The channel to reach a shopper on: consented and reachable, then by habit."""
    with Session(_state(ctx).engine) as session:
        return messaging.choose_channel(session, shopper_id=shopper_id, now=_now(at))


def plan_message(
    shopper_id: str,
    template: Annotated[
        str, Field(description="back_in_stock, offer, cart_reminder, recommendation")
    ],
    skus: list[str],
    ctx: Context[MessagingState],
    offer: messaging.OfferSlot | None = None,
    channel: Annotated[
        Channel | None, Field(description="Force a channel; default: choose")
    ] = None,
    at: At = None,
) -> messaging.MessageProposal:
    """A rendered message with its channel and send time in the shopper's allowed hours."""
    state = _state(ctx)
    with Session(state.engine) as session:
        return messaging.plan_message(
            session,
            shopper_id=shopper_id,
            template=template,
            skus=skus,
            now=_now(at),
            sender=state.sender,
            offer=offer,
            channel=channel,
            policy=state.policy,
        )


def frequency(
    shopper_id: str, ctx: Context[MessagingState], days: int = 7, at: At = None
) -> messaging.FrequencyReport:
    """How many messages a shopper was sent or has queued in the last days, against the cap."""
    state = _state(ctx)
    with Session(state.engine) as session:
        get_shopper(session, shopper_id)
        return messaging.message_frequency(
            session, shopper_id=shopper_id, now=_now(at), days=days, cap=state.policy.frequency_cap
        )


def detect_opt_out(text: str) -> messaging.OptOutMatch:
    """Whether an inbound message asks to stop messages (STOP, unsubscribe, opt out...)."""
    return messaging.detect_opt_out(text)


TOOLS: tuple[Callable[..., Any], ...] = (choose_channel, plan_message, frequency, detect_opt_out)


def sender_of(settings: Settings) -> messaging.Sender:
    """The sender identity from the store settings."""
    return messaging.Sender(
        name=settings.store.name,
        postal_address=settings.store.postal_address,
        unsubscribe_url=settings.store.unsubscribe_url,
        signing_key=settings.secret_key.get_secret_value().encode(),
        currency_symbol=settings.store.currency_symbol,
    )


def create_server(settings: Settings) -> MCPServer[MessagingState]:
    """The messaging server over the configured store."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[MessagingState]) -> AsyncIterator[MessagingState]:
        async with open_store(settings) as engine:
            policy = messaging.MessagingPolicy()
            yield MessagingState(engine=engine, sender=sender_of(settings), policy=policy)

    server = new_server("messaging", instructions=INSTRUCTIONS, lifespan=lifespan)
    add_read_only_tools(server, TOOLS)
    return server

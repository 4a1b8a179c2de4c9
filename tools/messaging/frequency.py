"""Frequency: how many messages a shopper was sent (or has waiting) in the last days."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from tools.exceptions import InputError
from tools.inventory.clock import as_utc
from tools.store import OutboxMessage
from tools.store.vocab import OutboxStatus

COUNTED = (OutboxStatus.PENDING.value, OutboxStatus.SENT.value)
MAX_DAYS = 365


class FrequencyReport(BaseModel):
    """Messages to one shopper in a window, against the cap the policy checker applies."""

    shopper_id: str
    days: int
    count: int = Field(description="Pending or sent messages created in the window")
    by_channel: dict[str, int]
    last_at: datetime | None = Field(description="When the latest of them was created")
    cap: int
    at_cap: bool = Field(description="Whether one more message would exceed the cap")


def message_frequency(
    session: Session, *, shopper_id: str, now: datetime, days: int = 7, cap: int = 3
) -> FrequencyReport:
    """Pending and sent outbox messages to a shopper created in the last `days` days."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"must be between 1 and {MAX_DAYS}", field="days")
    now = as_utc(now)
    query = (
        select(OutboxMessage.channel, OutboxMessage.created_at)
        .where(OutboxMessage.shopper_id == shopper_id)
        .where(col(OutboxMessage.status).in_(COUNTED))
        .where(col(OutboxMessage.created_at) > now - timedelta(days=days))
        .where(col(OutboxMessage.created_at) <= now)
    )
    rows = list(session.exec(query))
    channels = Counter(channel for channel, _ in rows)
    return FrequencyReport(
        shopper_id=shopper_id,
        days=days,
        count=len(rows),
        by_channel=dict(sorted(channels.items())),
        last_at=max((created for _, created in rows), default=None),
        cap=cap,
        at_cap=len(rows) >= cap,
    )

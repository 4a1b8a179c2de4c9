"""Consent per channel: the latest record for each channel wins; no record means no consent."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from tools.store import Consent
from tools.store.vocab import Channel

CHANNELS = frozenset(c.value for c in Channel)


class ConsentState(BaseModel):
    """Whether a shopper allows one channel, as last recorded."""

    channel: Channel
    granted: bool
    updated_at: datetime | None = None
    source: str = ""


def channel_consents(session: Session, *, shopper_id: str) -> dict[Channel, ConsentState]:
    """The latest consent of each channel (channels never recorded are not granted)."""
    query = (
        select(Consent)
        .where(Consent.shopper_id == shopper_id)
        .order_by(col(Consent.updated_at), col(Consent.channel))
    )
    states = {channel: ConsentState(channel=channel, granted=False) for channel in Channel}
    for row in session.exec(query):
        if row.channel in CHANNELS:
            channel = Channel(row.channel)
            states[channel] = ConsentState(
                channel=channel, granted=row.granted, updated_at=row.updated_at, source=row.source
            )
    return states


def is_granted(session: Session, *, shopper_id: str, channel: Channel) -> bool:
    """Whether the latest consent record for this channel grants it."""
    return channel_consents(session, shopper_id=shopper_id)[channel].granted

"""Habit: the channel and local hour a shopper prefers, stated in preferences or seen in events.

Stated preferences (`preferred_channel`, `preferred_hour` in the shopper's preferences) win.
Otherwise the channel is the one most of their recent events came through (app events count
for push), and the hour is the local hour they were most often active (ties: the earlier).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from tools.inventory.clock import as_utc, zone
from tools.store import Event, Shopper
from tools.store.vocab import Channel, Device

CHANNELS = frozenset(c.value for c in Channel)


class Habit(BaseModel):
    """When and where a shopper is most reachable."""

    preferred_channel: Channel | None = None
    preferred_hour: int | None = Field(default=None, description="Local hour 0-23")
    channel_counts: dict[str, int] = Field(default_factory=dict)
    events_seen: int = 0


def _stated_channel(preferences: dict[str, Any]) -> Channel | None:
    value = preferences.get("preferred_channel")
    return Channel(value) if isinstance(value, str) and value in CHANNELS else None


def _stated_hour(preferences: dict[str, Any]) -> int | None:
    value = preferences.get("preferred_hour")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        return value
    return None


def _event_channel(channel: str, device: str) -> str | None:
    if channel in CHANNELS:
        return channel
    return Channel.PUSH.value if device == Device.APP.value or channel == "app" else None


def tally_events(
    session: Session, *, shopper: Shopper, now: datetime, window_days: int, max_events: int
) -> tuple[Counter[str], Counter[int], int]:
    """Recent events of a shopper counted by channel and by local hour, and how many there were."""
    tz = zone(shopper.timezone, field="shopper.timezone")
    now = as_utc(now)
    query = (
        select(Event.channel, Event.device, Event.occurred_at)
        .where(Event.shopper_id == shopper.id)
        .where(col(Event.occurred_at) >= now - timedelta(days=window_days))
        .where(col(Event.occurred_at) <= now)
        .order_by(col(Event.occurred_at).desc())
        .limit(max_events)
    )
    channels: Counter[str] = Counter()
    hours: Counter[int] = Counter()
    seen = 0
    for channel, device, occurred_at in session.exec(query):
        seen += 1
        hours[occurred_at.astimezone(tz).hour] += 1
        mapped = _event_channel(channel, device)
        if mapped is not None:
            channels[mapped] += 1
    return channels, hours, seen


def shopper_habit(
    session: Session,
    *,
    shopper: Shopper,
    now: datetime,
    window_days: int = 180,
    max_events: int = 500,
    min_events: int = 3,
) -> Habit:
    """A shopper's preferred channel and local hour (None where there is no evidence)."""
    channels, hours, seen = tally_events(
        session, shopper=shopper, now=now, window_days=window_days, max_events=max_events
    )
    preferred_channel = _stated_channel(shopper.preferences)
    if preferred_channel is None and channels:
        preferred_channel = Channel(min(channels, key=lambda c: (-channels[c], c)))
    preferred_hour = _stated_hour(shopper.preferences)
    if preferred_hour is None and seen >= min_events:
        preferred_hour = min(hours, key=lambda h: (-hours[h], h))
    return Habit(
        preferred_channel=preferred_channel,
        preferred_hour=preferred_hour,
        channel_counts=dict(sorted(channels.items())),
        events_seen=seen,
    )

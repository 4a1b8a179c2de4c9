"""Channel, device and hour habits from a shopper's events; a stated hour or channel wins."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.profiles.events import ShopperEvent
from tools.profiles.model import Habits
from tools.profiles.preferences import StatedPreferences

TOP_HOURS = 3


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: round(counts[k] / total, 4) for k in sorted(counts)} if total else {}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def shopping_habits(
    events: Sequence[ShopperEvent], *, timezone: str, stated: StatedPreferences
) -> Habits:
    """Shares of channels and devices, busiest local hours, and the preferred channel and hour."""
    sessions: dict[str, ShopperEvent] = {}
    for event in events:
        sessions.setdefault(event.session_id, event)
    channels = Counter(e.channel for e in events)
    devices = Counter(e.device for e in events)
    tz = _zone(timezone)
    hours: Counter[int] = Counter(e.occurred_at.astimezone(tz).hour for e in sessions.values())
    busiest_hours = sorted(hours, key=lambda h: (-hours[h], h))[:TOP_HOURS]
    return Habits(
        channels=_shares(channels),
        devices=_shares(devices),
        active_hours=busiest_hours,
        shopping_channel=min(channels, key=lambda c: (-channels[c], c)) if channels else None,
        device=min(devices, key=lambda d: (-devices[d], d)) if devices else None,
        preferred_channel=stated.preferred_channel,
        preferred_hour=stated.preferred_hour
        if stated.preferred_hour is not None
        else (busiest_hours[0] if busiest_hours else None),
    )

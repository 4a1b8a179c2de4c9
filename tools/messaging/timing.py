"""Send time: inside the channel's allowed local hours in the recipient's own timezone.

Default windows (local, end exclusive): SMS 08:00-21:00, push 09:00-21:00, email and in-chat
any time. A message is due at once when allowed now; otherwise at the next window opening. A
habitual hour inside the window is preferred when it comes within `max_wait` (and before
the deadline, such as an offer's expiry).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tools.inventory.clock import as_utc, at_local
from tools.store.vocab import Channel

SEARCH_DAYS = 3


@dataclass(frozen=True)
class SendWindow:
    """Local hours [start_hour, end_hour) a channel may deliver in."""

    start_hour: int
    end_hour: int

    def contains(self, local: datetime) -> bool:
        """Whether a local time is inside the window."""
        return self.start_hour <= local.hour < self.end_hour


DEFAULT_WINDOWS: Mapping[Channel, SendWindow] = {
    Channel.EMAIL: SendWindow(0, 24),
    Channel.SMS: SendWindow(8, 21),
    Channel.PUSH: SendWindow(9, 21),
    Channel.CHAT: SendWindow(0, 24),
}


def next_allowed(now: datetime, tz: ZoneInfo, window: SendWindow) -> datetime:
    """`now` if inside the window, else the next instant the window opens (UTC)."""
    now = as_utc(now)
    if window.contains(now.astimezone(tz)):
        return now
    today = now.astimezone(tz).date()
    for offset in range(SEARCH_DAYS):
        opens = at_local(today + timedelta(days=offset), window.start_hour, tz)
        if opens >= now and window.contains(opens.astimezone(tz)):
            return opens
    raise ValueError(f"window {window} never opens in {tz.key}")


def habitual_time(
    now: datetime, tz: ZoneInfo, window: SendWindow, *, hour: int, latest: datetime
) -> datetime | None:
    """The next instant at the habitual local hour inside the window, no later than `latest`."""
    now = as_utc(now)
    local = now.astimezone(tz)
    if local.hour == hour and window.contains(local):
        return now
    for offset in range(SEARCH_DAYS):
        at = at_local(local.date() + timedelta(days=offset), hour, tz)
        if (
            now <= at <= latest
            and at.astimezone(tz).hour == hour
            and window.contains(at.astimezone(tz))
        ):
            return at
    return None


def send_time(
    *,
    channel: Channel,
    now: datetime,
    tz: ZoneInfo,
    preferred_hour: int | None = None,
    max_wait: timedelta = timedelta(hours=12),
    deadline: datetime | None = None,
    windows: Mapping[Channel, SendWindow] = DEFAULT_WINDOWS,
) -> datetime:
    """When to send on a channel: inside its window, at the habitual hour when it comes soon."""
    window = windows[channel]
    earliest = next_allowed(now, tz, window)
    if preferred_hour is None or channel is Channel.CHAT:
        return earliest
    latest = as_utc(now) + max_wait
    if deadline is not None:
        latest = min(latest, as_utc(deadline))
    habitual = habitual_time(now, tz, window, hour=preferred_hour, latest=latest)
    return habitual if habitual is not None else earliest

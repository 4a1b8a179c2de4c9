"""Which timezone a task's dates are read in, and a window's local dates as UTC instants.

A day ends at the next local midnight, so "until Sunday" covers all of Sunday however long
that day is (23 or 25 hours across a DST change). Durations in days follow the wall clock
(a week from 09:00 ends at 09:00); durations in hours are elapsed time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from agents.merchandising.exceptions import InvalidTaskError
from agents.merchandising.spec import WindowSpec
from tools.exceptions import InputError
from tools.inventory.clock import as_utc, at_local, zone
from tools.store import get_meta

TIMEZONE_META_KEY = "timezone"
DEFAULT_PROMOTION_DAYS = 7


def store_timezone(engine: Engine, *, now: datetime, explicit: str | None = None) -> str:
    """The timezone given, else the store's (`store_meta` key `timezone`), else `now`'s own
    IANA zone, else UTC."""
    if explicit:
        return _checked(explicit)
    with Session(engine) as session:
        recorded = get_meta(session, TIMEZONE_META_KEY)
    if recorded:
        return _checked(recorded)
    if isinstance(now.tzinfo, ZoneInfo):
        return now.tzinfo.key
    return "UTC"


def _checked(name: str) -> str:
    try:
        zone(name)
    except InputError as exc:
        raise InvalidTaskError(exc.reason, field="timezone") from exc
    return name


def local_today(now: datetime, timezone: str) -> date:
    """The calendar date of `now` in the timezone."""
    return as_utc(now).astimezone(zone(timezone)).date()


def resolve_window(
    window: WindowSpec, *, now: datetime, timezone: str, default_days: int | None = None
) -> tuple[datetime, datetime | None]:
    """(starts_at, ends_at) in UTC; an open window ends after `default_days`, or never."""
    tz = zone(timezone)
    now = as_utc(now)
    start = now
    if window.starts_on is not None:
        start = max(now, at_local(window.starts_on, 0, tz))
    end = _end(window, start=start, tz=tz, default_days=default_days)
    if end is not None and end <= start:
        raise InvalidTaskError(
            f"the window ends ({_shown(end, tz)}) before it starts ({_shown(start, tz)})",
            field="window",
            hint="Give an end date after today.",
        )
    return start, end


def _end(
    window: WindowSpec, *, start: datetime, tz: ZoneInfo, default_days: int | None
) -> datetime | None:
    if window.ends_on is not None:
        return at_local(window.ends_on, 24, tz)
    if window.duration_hours is not None:
        return start + timedelta(hours=window.duration_hours)
    days = window.duration_days or default_days
    if days is None:
        return None
    return (start.astimezone(tz) + timedelta(days=days)).astimezone(UTC)


def _shown(instant: datetime, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")


def describe_window(starts_at: datetime, ends_at: datetime | None, timezone: str) -> str:
    """The window in the store's local time, for summaries."""
    tz = zone(timezone)
    if ends_at is None:
        return f"from {_shown(starts_at, tz)}, open-ended"
    local_end = ends_at.astimezone(tz)
    if (local_end.hour, local_end.minute, local_end.second) == (0, 0, 0):
        last = (local_end - timedelta(hours=12)).strftime("%a %d %b %Y")
        return f"from {_shown(starts_at, tz)} until the end of {last} ({local_end:%Z})"
    return f"from {_shown(starts_at, tz)} until {_shown(ends_at, tz)}"

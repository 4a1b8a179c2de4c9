"""Time helpers: aware UTC instants, IANA zones and local wall-clock times across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.exceptions import InputError


def zone(name: str, *, field: str = "timezone") -> ZoneInfo:
    """The IANA timezone of this name, or an InputError naming the field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(f"unknown IANA timezone {name!r}", field=field) from exc


def as_utc(value: datetime, *, field: str = "now") -> datetime:
    """An aware datetime converted to UTC; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError("datetime must carry a timezone", field=field)
    return value.astimezone(UTC)


def at_local(day: date, hour: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of `hour`:00 local time on `day` (24 = next midnight).

    A wall-clock time skipped by a DST jump maps to the instant just after the jump; a repeated
    one maps to its first occurrence.
    """
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar date of an instant in a timezone."""
    return instant.astimezone(tz).date()

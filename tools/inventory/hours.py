"""Opening hours of a location in its own timezone, and when a pickup can be ready."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tools.inventory.clock import as_utc, at_local, local_date, zone
from tools.store import Location


@dataclass(frozen=True)
class OpeningHours:
    """Daily opening hours [open_hour, close_hour) in local time; equal hours mean never open."""

    tz: ZoneInfo
    open_hour: int
    close_hour: int

    @classmethod
    def of(cls, location: Location) -> OpeningHours:
        """The opening hours of a location."""
        tz = zone(location.timezone, field=f"locations[{location.id}].timezone")
        return cls(tz=tz, open_hour=location.open_hour, close_hour=location.close_hour)

    @property
    def ever_open(self) -> bool:
        """Whether the location opens at all."""
        return self.close_hour > self.open_hour

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants the location opens and closes on a local calendar day."""
        return at_local(day, self.open_hour, self.tz), at_local(day, self.close_hour, self.tz)

    def ready_time(
        self, *, start: datetime, prep: timedelta, close_buffer: timedelta, horizon_days: int = 8
    ) -> datetime | None:
        """The earliest instant work begun at or after `start`, inside opening hours, is done
        `prep` later and at least `close_buffer` before closing; None if never within the horizon.
        """
        if not self.ever_open:
            return None
        start = as_utc(start, field="start")  # arithmetic on UTC instants, never on wall clocks
        first_day = local_date(start, self.tz)
        for offset in range(horizon_days):
            opens, closes = self.window(first_day + timedelta(days=offset))
            ready = max(start, opens) + prep
            if ready <= closes - close_buffer:
                return ready
        return None

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tools.exceptions import InputError
from tools.inventory.clock import as_utc, at_local, zone
from tools.inventory.hours import OpeningHours

NY = ZoneInfo("America/New_York")
PREP = timedelta(hours=2)
BUFFER = timedelta(hours=1)


def test_at_local_follows_the_offset_of_the_day() -> None:
    assert at_local(date(2025, 1, 15), 9, NY) == datetime(2025, 1, 15, 14, tzinfo=UTC)
    assert at_local(date(2025, 7, 15), 9, NY) == datetime(2025, 7, 15, 13, tzinfo=UTC)
    assert at_local(date(2025, 7, 15), 24, NY) == datetime(2025, 7, 16, 4, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_maps_after_the_jump() -> None:
    skipped = at_local(date(2025, 3, 9), 2, NY).astimezone(NY)
    assert (skipped.hour, skipped.utcoffset()) == (3, timedelta(hours=-4))


def test_bad_zone_and_naive_time_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown IANA timezone"):
        zone("Mars/Olympus")
    with pytest.raises(InputError, match="timezone"):
        as_utc(datetime(2025, 1, 1))


def test_ready_time_inside_hours_and_rolls_to_next_opening() -> None:
    hours = OpeningHours(tz=NY, open_hour=9, close_hour=21)
    noon = datetime(2025, 6, 10, 12, tzinfo=NY)
    assert hours.ready_time(start=noon, prep=PREP, close_buffer=BUFFER) == noon + PREP
    late = datetime(2025, 6, 10, 19, 30, tzinfo=NY)
    ready = hours.ready_time(start=late, prep=PREP, close_buffer=BUFFER)
    assert ready is not None
    assert ready.astimezone(NY) == datetime(2025, 6, 11, 11, tzinfo=NY)


def test_ready_time_is_absolute_across_fall_back() -> None:
    hours = OpeningHours(tz=NY, open_hour=0, close_hour=24)
    start = datetime(2025, 11, 2, 0, 30, tzinfo=NY)  # EDT; clocks fall back at 02:00
    ready = hours.ready_time(start=start, prep=PREP, close_buffer=BUFFER)
    assert ready is not None
    assert ready - as_utc(start) == PREP
    local = ready.astimezone(NY)
    assert (local.hour, local.minute, local.fold) == (1, 30, 1)  # the second 01:30, in EST


def test_ready_time_on_spring_forward_day() -> None:
    hours = OpeningHours(tz=NY, open_hour=9, close_hour=21)
    night = datetime(2025, 3, 9, 1, 30, tzinfo=NY)  # EST, before the jump
    ready = hours.ready_time(start=night, prep=PREP, close_buffer=BUFFER)
    assert ready == datetime(2025, 3, 9, 15, tzinfo=UTC)  # 11:00 EDT
    assert ready.astimezone(NY).hour == 11


def test_a_store_that_never_opens_is_never_ready() -> None:
    hours = OpeningHours(tz=NY, open_hour=9, close_hour=9)
    assert (
        hours.ready_time(start=datetime(2025, 6, 10, tzinfo=UTC), prep=PREP, close_buffer=BUFFER)
        is None
    )

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from agents.merchandising import InvalidTaskError, WindowSpec
from agents.merchandising.claims import Claims
from agents.merchandising.timing import (
    local_today,
    resolve_window,
    store_timezone,
)
from agents.merchandising.windows import extract_window
from tests.agents.merchandising.conftest import Store
from tools.store import set_meta, transaction

WEDNESDAY = date(2026, 10, 28)
SUNDAY = date(2026, 11, 1)


def _window(text: str, today: date = WEDNESDAY) -> WindowSpec:
    return extract_window(Claims.of(text), today=today)


@pytest.mark.parametrize(
    ("text", "starts", "ends"),
    [
        ("boost x until Sunday", None, SUNDAY),
        ("boost x through Nov 30", None, date(2026, 11, 30)),
        ("boost x till 30 November 2026", None, date(2026, 11, 30)),
        ("boost x until 2026-11-05", None, date(2026, 11, 5)),
        ("boost x until 11/3", None, date(2026, 11, 3)),
        ("boost x until tomorrow", None, date(2026, 10, 29)),
        ("boost x until next Wednesday", None, date(2026, 11, 4)),
        ("boost x until the end of the month", None, date(2026, 10, 31)),
        ("boost x until end of next month", None, date(2026, 11, 30)),
        ("boost x until end of the week", None, SUNDAY),
        ("boost x before Friday", None, date(2026, 10, 29)),
        ("boost x this weekend", date(2026, 10, 31), SUNDAY),
        ("boost x from Friday to Sunday", date(2026, 10, 30), SUNDAY),
        ("boost x today only", WEDNESDAY, WEDNESDAY),
        ("boost x on Saturday", date(2026, 10, 31), date(2026, 10, 31)),
    ],
)
def test_window_phrases(text: str, starts: date | None, ends: date) -> None:
    window = _window(text)
    assert (window.starts_on, window.ends_on) == (starts, ends)


def test_durations_and_no_window() -> None:
    assert _window("boost x for 3 days").duration_days == 3
    assert _window("boost x for a week").duration_days == 7
    assert _window("boost x for two weeks").duration_days == 14
    assert _window("boost x for 48 hours").duration_hours == 48
    starting = _window("boost x starting tomorrow for a week")
    assert (starting.starts_on, starting.duration_days) == (date(2026, 10, 29), 7)
    assert _window("boost sun hats").is_open()


def test_a_weekday_on_that_day_is_today_and_next_is_a_week_later() -> None:
    assert _window("until Sunday", today=SUNDAY).ends_on == SUNDAY
    assert _window("until next Sunday", today=SUNDAY).ends_on == SUNDAY + timedelta(days=7)


def test_a_date_already_past_is_next_years() -> None:
    assert _window("through Nov 30", today=date(2026, 12, 5)).ends_on == date(2027, 11, 30)


def test_until_sunday_ends_at_local_midnight_after_the_dst_change() -> None:
    now = datetime(2026, 10, 28, 17, tzinfo=UTC)
    start, end = resolve_window(WindowSpec(ends_on=SUNDAY), now=now, timezone="America/Los_Angeles")
    assert start == now
    # Sunday 1 Nov 2026 is 25 hours long in Los Angeles: it ends at 00:00 PST = 08:00 UTC.
    assert end == datetime(2026, 11, 2, 8, tzinfo=UTC)


def test_the_local_date_decides_which_sunday() -> None:
    # Saturday 23:30 in Los Angeles is already Sunday in UTC and in London.
    now = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert local_today(now, "America/Los_Angeles") == date(2026, 10, 31)
    la = _window("until Sunday", today=local_today(now, "America/Los_Angeles"))
    uk = _window("until Sunday", today=local_today(now, "Europe/London"))
    _, la_end = resolve_window(la, now=now, timezone="America/Los_Angeles")
    _, uk_end = resolve_window(uk, now=now, timezone="Europe/London")
    assert la_end == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert uk_end == datetime(2026, 11, 2, 0, tzinfo=UTC)


def test_a_spring_forward_day_is_23_hours() -> None:
    now = datetime(2026, 3, 25, 12, tzinfo=UTC)
    window = WindowSpec(starts_on=date(2026, 3, 29), ends_on=date(2026, 3, 29))
    start, end = resolve_window(window, now=now, timezone="Europe/Berlin")
    assert start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


def test_a_day_ending_in_a_midnight_gap_ends_at_the_jump() -> None:
    # Chile moves from 00:00 -04 to 01:00 -03 on Sunday 6 Sep 2026: Saturday ends at the jump.
    now = datetime(2026, 9, 1, 12, tzinfo=UTC)
    _, end = resolve_window(
        WindowSpec(ends_on=date(2026, 9, 5)), now=now, timezone="America/Santiago"
    )
    assert end == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert end.astimezone(ZoneInfo("America/Santiago")).hour == 1


def test_days_follow_the_wall_clock_and_hours_elapse() -> None:
    now = datetime(2026, 10, 31, 17, tzinfo=UTC)  # Saturday 10:00 PDT
    _, days = resolve_window(WindowSpec(duration_days=3), now=now, timezone="America/Los_Angeles")
    _, hours = resolve_window(
        WindowSpec(duration_hours=72), now=now, timezone="America/Los_Angeles"
    )
    assert days == datetime(2026, 11, 3, 18, tzinfo=UTC)  # Tuesday 10:00 PST
    assert hours == now + timedelta(hours=72)


def test_open_windows_and_promotion_default() -> None:
    now = datetime(2026, 10, 28, 17, tzinfo=UTC)
    assert resolve_window(WindowSpec(), now=now, timezone="UTC") == (now, None)
    _, end = resolve_window(WindowSpec(), now=now, timezone="UTC", default_days=7)
    assert end == now + timedelta(days=7)


def test_a_start_in_the_past_starts_now_and_an_end_before_it_is_refused() -> None:
    now = datetime(2026, 10, 28, 17, tzinfo=UTC)
    start, _ = resolve_window(
        WindowSpec(starts_on=date(2026, 10, 28), ends_on=SUNDAY), now=now, timezone="UTC"
    )
    assert start == now
    with pytest.raises(InvalidTaskError, match="ends"):
        resolve_window(WindowSpec(ends_on=date(2026, 10, 1)), now=now, timezone="UTC")


def test_the_store_timezone(shop: Store, sqlite_engine: Engine) -> None:
    now = datetime(2026, 10, 28, 17, tzinfo=UTC)
    assert store_timezone(shop.engine, now=now) == "America/Los_Angeles"
    assert store_timezone(shop.engine, now=now, explicit="Asia/Tokyo") == "Asia/Tokyo"
    assert store_timezone(sqlite_engine, now=now) == "UTC"
    berlin = now.astimezone(ZoneInfo("Europe/Berlin"))
    assert store_timezone(sqlite_engine, now=berlin) == "Europe/Berlin"
    with pytest.raises(InvalidTaskError, match="timezone"):
        store_timezone(sqlite_engine, now=now, explicit="Mars/Olympus")
    with transaction(sqlite_engine) as session:
        set_meta(session, "timezone", "Australia/Sydney")
    assert store_timezone(sqlite_engine, now=berlin) == "Australia/Sydney"

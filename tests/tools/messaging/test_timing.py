from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tools.messaging import DEFAULT_WINDOWS, next_allowed, send_time
from tools.store.vocab import Channel

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # half-hour DST shift
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Asia/Tokyo",
    "UTC",
]
# Three-day spans around the 2025 DST changes of the zones above.
SPANS = [
    datetime(2025, m, d, tzinfo=UTC)
    for m, d in [(3, 8), (3, 29), (4, 5), (9, 6), (10, 4), (10, 25), (11, 1)]
]
NY = ZoneInfo("America/New_York")


def _instants() -> list[datetime]:
    return [start + timedelta(minutes=35 * i) for start in SPANS for i in range(3 * 24 * 60 // 35)]


@pytest.mark.parametrize("zone_name", ZONES)
def test_sms_is_never_scheduled_outside_8_to_21_local(zone_name: str) -> None:
    tz = ZoneInfo(zone_name)
    for now in _instants():
        for preferred in (None, 2, 8, 20, 23):
            at = send_time(channel=Channel.SMS, now=now, tz=tz, preferred_hour=preferred)
            local = at.astimezone(tz)
            assert 8 <= local.hour < 21, (zone_name, now, preferred, local)
            assert now <= at <= now + timedelta(hours=36)
            if preferred is None and 8 <= now.astimezone(tz).hour < 21:
                assert at == now


def test_outside_the_window_the_message_waits_for_8_local() -> None:
    window = DEFAULT_WINDOWS[Channel.SMS]
    late = datetime(2025, 6, 10, 22, 30, tzinfo=NY)
    assert next_allowed(late, NY, window) == datetime(2025, 6, 11, 8, tzinfo=NY)
    early = datetime(2025, 6, 10, 7, 59, tzinfo=NY)
    assert next_allowed(early, NY, window) == datetime(2025, 6, 10, 8, tzinfo=NY)
    last_minute = datetime(2025, 6, 10, 20, 59, tzinfo=NY)
    assert next_allowed(last_minute, NY, window) == last_minute


def test_the_morning_after_spring_forward_is_8_local_in_the_new_offset() -> None:
    night = datetime(2025, 3, 8, 23, 0, tzinfo=NY)  # EST
    at = next_allowed(night, NY, DEFAULT_WINDOWS[Channel.SMS])
    assert at == datetime(2025, 3, 9, 12, tzinfo=UTC)  # 08:00 EDT


def test_recipient_timezone_decides_not_the_senders() -> None:
    noon_ny = datetime(2025, 6, 10, 12, tzinfo=NY)  # 01:00 in Tokyo
    tokyo = ZoneInfo("Asia/Tokyo")
    at = send_time(channel=Channel.SMS, now=noon_ny, tz=tokyo)
    assert at.astimezone(tokyo) == datetime(2025, 6, 11, 8, tzinfo=tokyo)


def test_email_goes_any_time_but_prefers_the_habitual_hour() -> None:
    morning = datetime(2025, 6, 10, 10, tzinfo=NY)
    assert send_time(channel=Channel.EMAIL, now=morning, tz=NY) == morning
    habitual = send_time(channel=Channel.EMAIL, now=morning, tz=NY, preferred_hour=19)
    assert habitual == datetime(2025, 6, 10, 19, tzinfo=NY)
    during = datetime(2025, 6, 10, 19, 40, tzinfo=NY)
    assert send_time(channel=Channel.EMAIL, now=during, tz=NY, preferred_hour=19) == during


def test_the_habitual_hour_is_skipped_when_too_far_or_past_the_deadline() -> None:
    evening = datetime(2025, 6, 10, 20, tzinfo=NY)  # tomorrow 19:00 is 23 hours away
    assert send_time(channel=Channel.EMAIL, now=evening, tz=NY, preferred_hour=19) == evening
    morning = datetime(2025, 6, 10, 10, tzinfo=NY)
    deadline = datetime(2025, 6, 10, 18, tzinfo=NY)
    assert (
        send_time(channel=Channel.EMAIL, now=morning, tz=NY, preferred_hour=19, deadline=deadline)
        == morning
    )


def test_in_chat_messages_are_immediate() -> None:
    night = datetime(2025, 6, 10, 3, tzinfo=NY)
    assert send_time(channel=Channel.CHAT, now=night, tz=NY, preferred_hour=19) == night

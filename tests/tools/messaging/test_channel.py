from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.tools.messaging.seed import set_consent
from tools.messaging import UnknownShopperError, channel_consents, choose_channel, shopper_habit
from tools.store import Shopper
from tools.store.vocab import Channel

NOW = datetime(2025, 6, 10, 12, tzinfo=UTC)


def _choice(store: Engine, shopper_id: str) -> Channel | None:
    with Session(store) as session:
        return choose_channel(session, shopper_id=shopper_id, now=NOW).channel


def test_consented_channels_in_default_order_without_habit(store: Engine) -> None:
    with Session(store) as session:
        choice = choose_channel(session, shopper_id="ana", now=NOW)
    assert choice.channel is Channel.EMAIL
    assert {c.channel.value: c.reason for c in choice.candidates} == {
        "email": "consented",
        "push": "no consent on record",
        "sms": "consented",
        "chat": "no consent on record",
    }


def test_an_opted_out_channel_is_never_chosen_even_if_preferred(store: Engine) -> None:
    with Session(store) as session:
        choice = choose_channel(session, shopper_id="ben", now=NOW)
    assert choice.habit.preferred_channel is Channel.EMAIL
    assert choice.channel is Channel.PUSH  # sms is consented but Ben has no phone number
    reasons = {c.channel: c.reason for c in choice.candidates}
    assert (reasons[Channel.EMAIL], reasons[Channel.SMS]) == ("opted out", "no phone number")


def test_the_latest_consent_record_counts(store: Engine) -> None:
    set_consent(store, "ana", "email", granted=False, at=datetime(2025, 6, 1, tzinfo=UTC))
    assert _choice(store, "ana") is Channel.SMS
    set_consent(store, "ana", "sms", granted=False, at=datetime(2025, 6, 2, tzinfo=UTC))
    assert _choice(store, "ana") is None
    set_consent(store, "ana", "email", granted=True, at=datetime(2025, 6, 3, tzinfo=UTC))
    assert _choice(store, "ana") is Channel.EMAIL
    with Session(store) as session:
        consents = channel_consents(session, shopper_id="ana")
    assert consents[Channel.EMAIL].updated_at == datetime(2025, 6, 3, tzinfo=UTC)


def test_no_consent_means_no_channel(store: Engine) -> None:
    assert _choice(store, "dee") is None


def test_habit_from_events_picks_channel_and_local_hour(store: Engine) -> None:
    with Session(store) as session:
        choice = choose_channel(session, shopper_id="eve", now=NOW)
    assert choice.channel is Channel.SMS
    assert choice.habit.preferred_hour == 18  # 08:05 UTC is 18:05 in Sydney
    assert choice.habit.channel_counts == {"sms": 5}
    assert choice.reason == "consented and preferred"


def test_stated_hour_preference_wins(store: Engine) -> None:
    with Session(store) as session:
        shopper = session.get(Shopper, "cho")
        assert shopper is not None
        assert shopper_habit(session, shopper=shopper, now=NOW).preferred_hour == 19


def test_only_the_channels_asked_for(store: Engine) -> None:
    with Session(store) as session:
        choice = choose_channel(session, shopper_id="ana", now=NOW, allowed=[Channel.SMS])
        assert choice.channel is Channel.SMS
        with pytest.raises(UnknownShopperError):
            choose_channel(session, shopper_id="zed", now=NOW)

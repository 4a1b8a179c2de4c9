"""Messaging rules: consent, opt-out keywords, SMS hours, frequency caps, email content."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from policies.actions import SendMessage
from policies.context import ChannelFacts, PolicyContext
from tests.policies.builders import codes, context, decide, shopper


def email(**changes: Any) -> SendMessage:
    base: dict[str, Any] = {
        "shopper_id": "s1",
        "channel": "email",
        "subject": "Back in stock",
        "body": "The moisturizer you asked about is back.",
        "unsubscribe_url": "https://shop.example/u/s1",
        "postal_address": "1 Main St, Springfield",
    }
    return SendMessage(**{**base, **changes})


def sms(**changes: Any) -> SendMessage:
    return SendMessage(**{"shopper_id": "s1", "channel": "sms", "body": "Back in stock", **changes})


def on(channel: str, **facts: Any) -> PolicyContext:
    return context(shopper=shopper(channels={channel: ChannelFacts(**facts)}))


MESSAGES = [
    pytest.param(email(), context(), "approve", {"MESSAGE_ALLOWED"}, id="baseline-email"),
    pytest.param(sms(), context(), "approve", {"MESSAGE_ALLOWED"}, id="baseline-sms"),
    pytest.param(sms(), on("sms", consent=False), "deny", {"NO_CONSENT"}, id="no-consent"),
    pytest.param(
        SendMessage(shopper_id="s1", channel="push", body="hi"),
        context(),
        "deny",
        {"NO_CONSENT"},
        id="channel-never-granted",
    ),
    pytest.param(
        sms(),
        on("sms", consent=True, inbound_since_consent=("STOP",)),
        "deny",
        {"OPTED_OUT"},
        id="stop",
    ),
    pytest.param(
        sms(),
        on("sms", consent=True, inbound_since_consent=("ok", "please unsubscribe me")),
        "deny",
        {"OPTED_OUT"},
        id="unsubscribe",
    ),
    pytest.param(
        sms(),
        on("sms", consent=True, inbound_since_consent=("Cancel",)),
        "deny",
        {"OPTED_OUT"},
        id="c",
    ),
    pytest.param(
        sms(),
        on("sms", consent=True, inbound_since_consent=("stopping by later", "cancellation?")),
        "approve",
        set(),
        id="not-a-keyword",
    ),
    pytest.param(
        sms(), on("sms", consent=True, sent_24h=1), "deny", {"FREQUENCY_CAP_REACHED"}, id="cap"
    ),
    pytest.param(email(), on("email", consent=True, sent_24h=1), "approve", set(), id="under-cap"),
    pytest.param(
        email(unsubscribe_url=None), context(), "deny", {"EMAIL_MISSING_UNSUBSCRIBE"}, id="no-unsub"
    ),
    pytest.param(
        email(unsubscribe_url=""),
        context(),
        "deny",
        {"EMAIL_MISSING_UNSUBSCRIBE"},
        id="empty-unsub",
    ),
    pytest.param(
        email(postal_address=None),
        context(),
        "deny",
        {"EMAIL_MISSING_POSTAL_ADDRESS"},
        id="no-addr",
    ),
    pytest.param(
        email(postal_address=""),
        context(),
        "deny",
        {"EMAIL_MISSING_POSTAL_ADDRESS"},
        id="empty-addr",
    ),
    pytest.param(sms(), context(shopper=None), "deny", {"UNKNOWN_SHOPPER"}, id="unknown-shopper"),
    pytest.param(
        sms(), context(shopper=shopper(id="s2")), "deny", {"UNKNOWN_SHOPPER"}, id="other-shopper"
    ),
]


@pytest.mark.parametrize(("action", "ctx", "effect", "expected"), MESSAGES)
def test_message_rules(
    action: SendMessage, ctx: PolicyContext, effect: str, expected: set[str]
) -> None:
    decision = decide(action, ctx)
    assert decision.effect.value == effect
    assert expected <= codes(decision)


@pytest.mark.parametrize(
    ("send_at", "expected"),
    [
        # 21:00 in New York is past the window: the next 08:00 there (13:00 UTC).
        (datetime(2026, 3, 4, 2, 0, tzinfo=UTC), datetime(2026, 3, 4, 13, 0, tzinfo=UTC)),
        # 07:00 in New York is before it: 08:00 the same day.
        (datetime(2026, 3, 3, 12, 0, tzinfo=UTC), datetime(2026, 3, 3, 13, 0, tzinfo=UTC)),
        # 20:59 is inside.
        (datetime(2026, 3, 4, 1, 59, tzinfo=UTC), None),
    ],
)
def test_sms_is_deferred_to_local_hours(send_at: datetime, expected: datetime | None) -> None:
    decision = decide(sms(send_at=send_at), context())
    assert isinstance(decision.action, SendMessage)
    if expected is None:
        assert decision.effect.value == "approve"
    else:
        assert decision.effect.value == "modify"
        assert codes(decision) == {"QUIET_HOURS_DEFERRED", "MESSAGE_ALLOWED"}
        assert decision.action.send_at == expected


def test_sms_now_uses_the_time_of_the_check() -> None:
    late = context(now=datetime(2026, 3, 4, 3, 0, tzinfo=UTC), shopper=shopper(timezone="UTC"))
    decision = decide(sms(), late)
    assert isinstance(decision.action, SendMessage)
    assert decision.action.send_at == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def test_quiet_hours_apply_to_sms_only() -> None:
    decision = decide(email(send_at=datetime(2026, 3, 4, 2, 0, tzinfo=UTC)), context())
    assert decision.effect.value == "approve"


def test_deferral_never_overrides_a_denial() -> None:
    ctx = on("sms", consent=False)
    decision = decide(sms(send_at=datetime(2026, 3, 4, 2, 0, tzinfo=UTC)), ctx)
    assert decision.effect.value == "deny"

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tests.tools.messaging.seed import SENDER, add_outbox
from tools.exceptions import InputError
from tools.messaging import (
    ChannelNotAllowedError,
    MessageProposal,
    NoChannelError,
    OfferKind,
    OfferSlot,
    plan_message,
    verify_unsubscribe_token,
)
from tools.store import OutboxMessage
from tools.store.vocab import Channel

NY = ZoneInfo("America/New_York")
NOW = datetime(2025, 6, 10, 14, tzinfo=UTC)  # 10:00 in New York
OFFER = OfferSlot(
    kind=OfferKind.PERCENT_OFF,
    discount_pct=15,
    expires_at=datetime(2025, 6, 15, 3, 59, tzinfo=UTC),
    offer_id="OF-1",
)


def _plan(store: Engine, shopper_id: str, **kwargs: object) -> MessageProposal:
    values: dict[str, object] = {"template": "back_in_stock", "skus": ["P1"], "now": NOW} | kwargs
    with Session(store) as session:
        return plan_message(session, shopper_id=shopper_id, sender=SENDER, **values)  # type: ignore[arg-type]


def test_email_carries_unsubscribe_link_and_postal_address(store: Engine) -> None:
    proposal = _plan(store, "ana", offer=OFFER)
    assert proposal.channel is Channel.EMAIL
    assert proposal.subject == "Back in stock: Calm Cream"
    assert proposal.body.startswith("Hi Ana,\n")
    assert "- Calm Cream: $24.99" in proposal.body
    assert "1 Main St, Springfield, ST 00000" in proposal.body
    link = next(
        line.split(": ", 1)[1]
        for line in proposal.body.splitlines()
        if line.startswith("Unsubscribe: ")
    )
    assert link.startswith("https://shop.example.com/unsubscribe?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert (query["shopper"], query["channel"]) == ("ana", "email")
    assert verify_unsubscribe_token(
        b"test-key", shopper_id="ana", channel="email", token=query["token"]
    )
    assert not verify_unsubscribe_token(
        b"other", shopper_id="ana", channel="email", token=query["token"]
    )
    # The offer ends 03:59 UTC on the 15th: 23:59 on the 14th in New York.
    assert "15% off, valid until Sat 14 Jun 2025, 23:59 EDT." in proposal.body
    assert (proposal.offer_id, proposal.send_after) == ("OF-1", NOW)


def test_sms_is_short_has_stop_instruction_and_waits_for_local_morning(store: Engine) -> None:
    night_in_india = datetime(2025, 6, 10, 18, tzinfo=UTC)  # 23:30 in Kolkata
    proposal = _plan(store, "cho", channel=Channel.SMS, now=night_in_india, offer=OFFER)
    assert proposal.body.endswith(" Reply STOP to opt out.")
    assert "unsubscribe" not in proposal.body.lower() and proposal.subject == ""
    assert proposal.send_after_local.isoformat() == "2025-06-11T08:00:00+05:30"
    assert "until 15 Jun 09:29 IST." in proposal.body
    assert "deferred to the recipient's allowed or habitual hours" in proposal.reasons


def test_the_habitual_hour_is_used_when_soon(store: Engine) -> None:
    afternoon = datetime(2025, 6, 10, 9, tzinfo=UTC)  # 14:30 in Kolkata; Cho prefers 19:00
    proposal = _plan(store, "cho", now=afternoon)
    assert proposal.channel is Channel.SMS  # Cho has no email address
    assert proposal.send_after_local.hour == 19


def test_catalog_text_is_inserted_literally(store: Engine) -> None:
    proposal = _plan(store, "ana", skus=["P2", "P1"], template="recommendation")
    assert "- Serum $name ${store}: $1,200.00" in proposal.body
    assert "Ana" in proposal.body and proposal.skus == ["P2", "P1"]


def test_planning_writes_nothing_and_reports_frequency(store: Engine) -> None:
    for days_ago in (1, 2, 3, 9):
        add_outbox(store, "ana", created_at=NOW - timedelta(days=days_ago))
    add_outbox(store, "ana", created_at=NOW - timedelta(hours=1), status="cancelled")
    proposal = _plan(store, "ana")
    assert (proposal.frequency.count, proposal.frequency.at_cap) == (3, True)
    assert any("cap 3" in reason for reason in proposal.reasons)
    with Session(store) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 5


def test_consent_and_channel_are_enforced(store: Engine) -> None:
    with pytest.raises(NoChannelError, match="no consent on record"):
        _plan(store, "dee")
    with pytest.raises(ChannelNotAllowedError, match="opted out"):
        _plan(store, "ben", channel=Channel.EMAIL)


def test_bad_input_is_refused(store: Engine) -> None:
    with pytest.raises(InputError, match="unknown template 'nope'; known: back_in_stock"):
        _plan(store, "ana", template="nope")
    with pytest.raises(InputError, match="needs an offer"):
        _plan(store, "ana", template="offer")
    with pytest.raises(InputError, match="unknown sku"):
        _plan(store, "ana", skus=["P1", "ZZ"])
    with pytest.raises(InputError, match="between 1 and 20"):
        _plan(store, "ana", skus=[])
    soon = OFFER.model_copy(update={"expires_at": NOW + timedelta(minutes=30)})
    with pytest.raises(InputError, match="offer ends before"):
        _plan(store, "ana", offer=soon)
    with pytest.raises(ValueError, match="needs discount_pct"):
        OfferSlot(kind=OfferKind.PERCENT_OFF, expires_at=NOW)

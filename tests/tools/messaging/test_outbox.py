from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tests.tools.messaging.seed import SENDER, seed_messaging, set_consent
from tools.exceptions import InputError
from tools.messaging import (
    ChannelNotAllowedError,
    MessageProposal,
    OfferKind,
    OfferSlot,
    enqueue,
    message_frequency,
    plan_message,
)
from tools.store import OutboxMessage, transaction
from tools.store.vocab import Channel

NOW = datetime(2025, 6, 10, 14, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(
        "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    )
    seed_messaging(engine)
    return engine


def _proposal(engine: Engine, shopper_id: str = "ana", **kwargs: object) -> MessageProposal:
    with Session(engine) as session:
        return plan_message(
            session,
            shopper_id=shopper_id,
            template="cart_reminder",
            skus=["P1"],
            now=NOW,
            sender=SENDER,
            **kwargs,  # type: ignore[arg-type]
        )


def _rows(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_enqueue_writes_exactly_once(any_store: Engine) -> None:
    proposal = _proposal(any_store)
    with transaction(any_store) as session:
        first = enqueue(session, proposal, "msg-1", NOW, decision_id="D-1")
        first_id = first.id
    with transaction(any_store) as session:
        again = enqueue(session, proposal, "msg-1", NOW + timedelta(minutes=3))
        assert (again.id, again.created_at, again.decision_id) == (first_id, NOW, "D-1")
    assert _rows(any_store) == 1
    with Session(any_store) as session:
        report = message_frequency(session, shopper_id="ana", now=NOW + timedelta(hours=1))
    assert (report.count, report.by_channel) == (1, {"email": 1})


def test_enqueue_refuses_after_consent_is_withdrawn(store: Engine) -> None:
    proposal = _proposal(store)
    set_consent(store, "ana", "email", granted=False, at=NOW)
    with (
        pytest.raises(ChannelNotAllowedError, match="consent withdrawn"),
        transaction(store) as session,
    ):
        enqueue(session, proposal, "msg-2", NOW)
    assert _rows(store) == 0


def test_late_approval_keeps_sms_inside_local_hours(store: Engine) -> None:
    proposal = _proposal(store, channel=Channel.SMS)  # planned at 10:00 New York time
    approved_late = datetime(2025, 6, 11, 3, 30, tzinfo=UTC)  # 23:30 in New York
    with transaction(store) as session:
        row = enqueue(session, proposal, "msg-3", approved_late)
        assert row.send_after == datetime(2025, 6, 11, 12, tzinfo=UTC)  # 08:00 EDT


def test_enqueue_refuses_an_offer_that_ended_while_waiting(store: Engine) -> None:
    offer = OfferSlot(kind=OfferKind.FREE_SHIPPING, expires_at=NOW + timedelta(hours=3))
    proposal = _proposal(store, offer=offer)
    with pytest.raises(InputError, match="offer ends"), transaction(store) as session:
        enqueue(session, proposal, "msg-4", NOW + timedelta(hours=2, minutes=30))
    assert _rows(store) == 0


def test_frequency_window_and_bounds(store: Engine) -> None:
    with Session(store) as session:
        report = message_frequency(session, shopper_id="ana", now=NOW, days=30, cap=5)
        assert (report.count, report.last_at, report.at_cap) == (0, None, False)
        with pytest.raises(InputError, match="between 1 and 365"):
            message_frequency(session, shopper_id="ana", now=NOW, days=0)

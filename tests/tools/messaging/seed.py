"""Shoppers with known consents, habits and messages for the messaging tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from tools.messaging import Sender
from tools.store import Consent, Event, OutboxMessage, Product, Shopper, transaction

SINCE = datetime(2025, 1, 1, tzinfo=UTC)
SENDER = Sender(
    name="Demo Store",
    postal_address="1 Main St, Springfield, ST 00000",
    unsubscribe_url="https://shop.example.com/unsubscribe",
    signing_key=b"test-key",
)

SHOPPERS: list[dict[str, Any]] = [
    {
        "id": "ana",
        "name": "Ana Silva",
        "timezone": "America/New_York",
        "email": "ana@example.com",
        "phone": "+15550001",
    },
    {
        "id": "ben",
        "name": "Ben",
        "timezone": "Europe/Berlin",
        "email": "ben@example.com",
        "preferences": {"preferred_channel": "email"},
    },
    {
        "id": "cho",
        "name": "Cho",
        "timezone": "Asia/Kolkata",
        "phone": "+91000",
        "preferences": {"preferred_hour": 19},
    },
    {"id": "dee", "name": "", "timezone": "UTC", "email": "dee@example.com"},
    {
        "id": "eve",
        "name": "Eve",
        "timezone": "Australia/Sydney",
        "email": "eve@example.com",
        "phone": "+61000",
    },
]

# shopper: channel -> granted
CONSENTS: dict[str, dict[str, bool]] = {
    "ana": {"email": True, "sms": True},
    "ben": {"email": False, "sms": True, "push": True},
    "cho": {"sms": True, "email": True},
    "eve": {"email": True, "sms": True},
}


def seed_messaging(engine: Engine) -> None:
    """Products, shoppers, consents and Eve's habit of reading texts at 18:00 Sydney time."""
    with transaction(engine) as session:
        session.add(
            Product(
                sku="P1",
                variant_group="G1",
                title="Calm Cream",
                category="beauty/cream",
                list_price_cents=2499,
            )
        )
        session.add(
            Product(
                sku="P2",
                variant_group="G2",
                title="Serum $name ${store}",
                category="beauty/serum",
                list_price_cents=120000,
            )
        )
        session.add_all([Shopper(**values) for values in SHOPPERS])
        session.flush()
        for shopper_id, channels in CONSENTS.items():
            for channel, granted in channels.items():
                session.add(
                    Consent(
                        shopper_id=shopper_id,
                        channel=channel,
                        granted=granted,
                        updated_at=SINCE,
                        source="signup",
                    )
                )
        for day in range(5):
            at = datetime(2025, 6, 1 + day, 8, 5, tzinfo=UTC)  # 18:05 in Sydney (AEST)
            session.add(
                Event(
                    shopper_id="eve",
                    session_id=f"e{day}",
                    kind="view",
                    channel="sms",
                    occurred_at=at,
                )
            )


def set_consent(
    engine: Engine, shopper_id: str, channel: str, *, granted: bool, at: datetime
) -> None:
    """Record a consent change (the latest record per channel is the one that counts)."""
    with transaction(engine) as session:
        row = session.get(Consent, (shopper_id, channel))
        if row is None:
            row = Consent(shopper_id=shopper_id, channel=channel, granted=granted, updated_at=at)
        row.granted, row.updated_at, row.source = granted, at, "test"
        session.add(row)


def add_outbox(
    engine: Engine,
    shopper_id: str,
    *,
    created_at: datetime,
    status: str = "sent",
    channel: str = "email",
) -> None:
    """A message already in the outbox."""
    key = f"{shopper_id}-{created_at.isoformat()}-{status}"
    with transaction(engine) as session:
        session.add(
            OutboxMessage(
                idempotency_key=key,
                shopper_id=shopper_id,
                channel=channel,
                body="hello",
                send_after=created_at,
                created_at=created_at,
                status=status,
                sent_at=created_at + timedelta(minutes=1) if status == "sent" else None,
            )
        )

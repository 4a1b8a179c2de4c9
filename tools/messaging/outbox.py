"""The outbox write the executor performs: each approved message is queued exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tools.exceptions import InputError
from tools.inventory.clock import as_utc, zone
from tools.messaging.consent import is_granted
from tools.messaging.exceptions import ChannelNotAllowedError
from tools.messaging.proposal import MessageProposal, MessagingPolicy
from tools.messaging.timing import next_allowed
from tools.store import OutboxMessage


def find_queued(session: Session, *, idempotency_key: str) -> OutboxMessage | None:
    """The outbox row queued under a key, if any."""
    query = select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    return session.exec(query).first()


def _send_after(proposal: MessageProposal, *, now: datetime, policy: MessagingPolicy) -> datetime:
    """The planned send time, moved into the channel's window if approval came after it."""
    window = policy.windows[proposal.channel]
    start = max(as_utc(proposal.send_after), now)
    send_after = next_allowed(start, zone(proposal.timezone), window)
    expires = proposal.offer_expires_at
    if expires is not None and send_after > as_utc(expires) - policy.offer_min_lead:
        raise InputError("the offer ends before the message may be sent", field="offer")
    return send_after


def enqueue(
    session: Session,
    proposal: MessageProposal,
    idempotency_key: str,
    now: datetime,
    *,
    decision_id: str | None = None,
    policy: MessagingPolicy = MessagingPolicy(),
) -> OutboxMessage:
    """Queue a proposed message in the caller's transaction; a repeated key returns the first row.

    Consent is checked again, and the send time is kept inside the channel's window in the
    recipient's timezone even when approval came late.
    """
    existing = find_queued(session, idempotency_key=idempotency_key)
    if existing is not None:
        return existing
    now = as_utc(now)
    if not is_granted(session, shopper_id=proposal.shopper_id, channel=proposal.channel):
        raise ChannelNotAllowedError(
            proposal.shopper_id, proposal.channel.value, "consent withdrawn"
        )
    row = OutboxMessage(
        idempotency_key=idempotency_key,
        shopper_id=proposal.shopper_id,
        channel=proposal.channel.value,
        subject=proposal.subject,
        body=proposal.body,
        send_after=_send_after(proposal, now=now, policy=policy),
        created_at=now,
        decision_id=decision_id,
    )
    return _insert_once(session, row)


def _insert_once(session: Session, row: OutboxMessage) -> OutboxMessage:
    """Insert under a savepoint; if a concurrent writer won the key, return its row."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        concurrent = find_queued(session, idempotency_key=row.idempotency_key)
        if concurrent is None:
            raise
        return concurrent
    return row

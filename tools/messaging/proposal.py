"""Message proposals: channel, timing and rendered text for one shopper. Nothing is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlmodel import Session

from tools.exceptions import InputError
from tools.inventory.clock import as_utc, zone
from tools.messaging.channel import ChannelChoice, choose_channel, get_shopper
from tools.messaging.exceptions import ChannelNotAllowedError, NoChannelError
from tools.messaging.frequency import FrequencyReport, message_frequency
from tools.messaging.render import OfferSlot, build_slots, item_slots, template_named
from tools.messaging.sender import Sender
from tools.messaging.templates import fill
from tools.messaging.timing import DEFAULT_WINDOWS, SendWindow, send_time
from tools.store.vocab import Channel


@dataclass(frozen=True)
class MessagingPolicy:
    """Send windows, how long to wait for a habitual hour, offer lead time and frequency cap."""

    windows: Mapping[Channel, SendWindow] = field(default_factory=lambda: dict(DEFAULT_WINDOWS))
    habit_max_wait: timedelta = timedelta(hours=12)
    offer_min_lead: timedelta = timedelta(hours=1)
    frequency_days: int = 7
    frequency_cap: int = 3


class MessageProposal(BaseModel):
    """A message to one shopper, ready for the policy checker and then the outbox."""

    shopper_id: str
    channel: Channel
    template: str
    subject: str = Field(description="Email subject; empty on other channels")
    body: str
    send_after: datetime = Field(description="Earliest send time (UTC)")
    send_after_local: datetime = Field(description="send_after in the recipient's timezone")
    timezone: str = Field(description="The recipient's IANA timezone")
    skus: list[str]
    offer_id: str | None = None
    offer_expires_at: datetime | None = None
    frequency: FrequencyReport
    reasons: list[str]


def plan_message(
    session: Session,
    *,
    shopper_id: str,
    template: str,
    skus: list[str],
    now: datetime,
    sender: Sender,
    offer: OfferSlot | None = None,
    channel: Channel | None = None,
    policy: MessagingPolicy = MessagingPolicy(),
) -> MessageProposal:
    """Choose the channel, time the send inside the recipient's hours and render the text."""
    form = template_named(template)
    if form.needs_offer and offer is None:
        raise InputError(f"template {template!r} needs an offer", field="offer")
    now = as_utc(now)
    shopper = get_shopper(session, shopper_id)
    tz = zone(shopper.timezone, field="shopper.timezone")
    chosen, choice = _channel(session, shopper_id=shopper_id, now=now, channel=channel)
    send_after = _schedule(chosen, choice, now=now, offer=offer, policy=policy, tz=tz)
    items = item_slots(session, skus)
    slots = build_slots(
        shopper=shopper, channel=chosen, items=items, offer=offer, sender=sender, tz=tz
    )
    subject, body = fill(form, chosen, slots)
    days, cap = policy.frequency_days, policy.frequency_cap
    frequency = message_frequency(session, shopper_id=shopper_id, now=now, days=days, cap=cap)
    return MessageProposal(
        shopper_id=shopper_id,
        channel=chosen,
        template=template,
        subject=subject,
        body=body,
        send_after=send_after,
        send_after_local=send_after.astimezone(tz),
        timezone=shopper.timezone,
        skus=[item.sku for item in items],
        offer_id=offer.offer_id if offer else None,
        offer_expires_at=as_utc(offer.expires_at, field="offer.expires_at") if offer else None,
        frequency=frequency,
        reasons=_reasons(choice, send_after, now, frequency),
    )


def _channel(
    session: Session, *, shopper_id: str, now: datetime, channel: Channel | None
) -> tuple[Channel, ChannelChoice]:
    choice = choose_channel(
        session, shopper_id=shopper_id, now=now, allowed=None if channel is None else [channel]
    )
    if channel is not None and choice.channel is None:
        reason = next(c.reason for c in choice.candidates if c.channel is channel)
        raise ChannelNotAllowedError(shopper_id, channel.value, reason)
    if choice.channel is None:
        raise NoChannelError(shopper_id, {c.channel.value: c.reason for c in choice.candidates})
    return choice.channel, choice


def _schedule(
    channel: Channel,
    choice: ChannelChoice,
    *,
    now: datetime,
    offer: OfferSlot | None,
    policy: MessagingPolicy,
    tz: ZoneInfo,
) -> datetime:
    deadline = offer.expires_at - policy.offer_min_lead if offer is not None else None
    when = send_time(
        channel=channel,
        now=now,
        tz=tz,
        preferred_hour=choice.habit.preferred_hour,
        max_wait=policy.habit_max_wait,
        deadline=deadline,
        windows=policy.windows,
    )
    if deadline is not None and when > deadline:
        raise InputError(
            f"the offer ends before a {channel.value} message may be sent", field="offer"
        )
    return when


def _reasons(
    choice: ChannelChoice, send_after: datetime, now: datetime, frequency: FrequencyReport
) -> list[str]:
    reasons = [f"channel {choice.channel}: {choice.reason}"]
    if send_after > now:
        reasons.append("deferred to the recipient's allowed or habitual hours")
    if frequency.at_cap:
        reasons.append(f"{frequency.count} messages in {frequency.days} days (cap {frequency.cap})")
    return reasons

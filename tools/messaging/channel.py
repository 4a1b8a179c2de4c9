"""Channel choice: only consented, reachable channels; then habit; then a fixed default order."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from tools.messaging.consent import ConsentState, channel_consents
from tools.messaging.exceptions import UnknownShopperError
from tools.messaging.habit import Habit, shopper_habit
from tools.store import Shopper
from tools.store.vocab import Channel

DEFAULT_ORDER = (Channel.EMAIL, Channel.PUSH, Channel.SMS, Channel.CHAT)


class ChannelCandidate(BaseModel):
    """One channel and whether it may be used, with the reason."""

    channel: Channel
    allowed: bool
    reason: str


class ChannelChoice(BaseModel):
    """The channel to use (None if none may be used) and how it was chosen."""

    shopper_id: str
    channel: Channel | None
    reason: str
    habit: Habit
    candidates: list[ChannelCandidate]


def get_shopper(session: Session, shopper_id: str) -> Shopper:
    """A shopper by id, or UnknownShopperError."""
    shopper = session.get(Shopper, shopper_id)
    if shopper is None:
        raise UnknownShopperError(shopper_id)
    return shopper


def candidate(shopper: Shopper, consent: ConsentState) -> ChannelCandidate:
    """Whether a channel may be used: consent granted and an address to reach."""
    channel = consent.channel
    if not consent.granted:
        why = "opted out" if consent.updated_at is not None else "no consent on record"
        return ChannelCandidate(channel=channel, allowed=False, reason=why)
    if channel is Channel.EMAIL and not shopper.email:
        return ChannelCandidate(channel=channel, allowed=False, reason="no email address")
    if channel is Channel.SMS and not shopper.phone:
        return ChannelCandidate(channel=channel, allowed=False, reason="no phone number")
    return ChannelCandidate(channel=channel, allowed=True, reason="consented")


def choose_channel(
    session: Session,
    *,
    shopper_id: str,
    now: datetime,
    allowed: Collection[Channel] | None = None,
) -> ChannelChoice:
    """The best channel for a shopper among `allowed` (default: all)."""
    shopper = get_shopper(session, shopper_id)
    consents = channel_consents(session, shopper_id=shopper_id)
    habit = shopper_habit(session, shopper=shopper, now=now)
    candidates = [candidate(shopper, consents[c]) for c in DEFAULT_ORDER]
    for i, c in enumerate(candidates):
        if c.allowed and allowed is not None and c.channel not in allowed:
            candidates[i] = ChannelCandidate(
                channel=c.channel, allowed=False, reason="not asked for"
            )
    usable = [c.channel for c in candidates if c.allowed]
    usable.sort(key=lambda c: _rank(c, habit))
    chosen = usable[0] if usable else None
    return ChannelChoice(
        shopper_id=shopper_id,
        channel=chosen,
        reason=_why(chosen, habit),
        habit=habit,
        candidates=candidates,
    )


def _rank(channel: Channel, habit: Habit) -> tuple[int, int, int]:
    preferred = 0 if channel is habit.preferred_channel else 1
    return preferred, -habit.channel_counts.get(channel.value, 0), DEFAULT_ORDER.index(channel)


def _why(chosen: Channel | None, habit: Habit) -> str:
    if chosen is None:
        return "no consented, reachable channel"
    if chosen is habit.preferred_channel:
        return "consented and preferred"
    if habit.channel_counts.get(chosen.value):
        return "consented and most used"
    return "consented (default order)"

"""Messaging actions: one message to one shopper on one channel, sent now or later."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from policies.actions.base import ActionBase, UTCInstant

Channel = Literal["email", "sms", "push", "chat"]
MessagePurpose = Literal["marketing", "back_in_stock", "transactional"]


class SendMessage(ActionBase):
    """Send a rendered message; it leaves through the outbox at `send_at` (None: now)."""

    kind: Literal["send_message"] = "send_message"
    shopper_id: str = Field(min_length=1, max_length=64)
    channel: Channel
    purpose: MessagePurpose = "marketing"
    subject: str = Field(default="", max_length=300)
    body: str = Field(min_length=1, max_length=20_000)
    unsubscribe_url: str | None = Field(default=None, max_length=2000)
    postal_address: str | None = Field(default=None, max_length=500)
    send_at: UTCInstant | None = None

"""Errors of the messaging engine; all are caller-fixable input errors carrying typed data."""

from __future__ import annotations

from tools.exceptions import InputError


class UnknownShopperError(InputError):
    """No shopper has this id."""

    def __init__(self, shopper_id: str) -> None:
        super().__init__(f"unknown shopper {shopper_id!r}", field="shopper_id")
        self.shopper_id = shopper_id


class NoChannelError(InputError):
    """The shopper cannot be messaged: no channel is both consented and reachable."""

    def __init__(self, shopper_id: str, reasons: dict[str, str]) -> None:
        detail = "; ".join(f"{channel}: {why}" for channel, why in sorted(reasons.items()))
        super().__init__(f"no channel may be used for shopper {shopper_id!r} ({detail})")
        self.shopper_id = shopper_id
        self.reasons = reasons


class ChannelNotAllowedError(InputError):
    """The requested channel is not consented or not reachable for this shopper."""

    def __init__(self, shopper_id: str, channel: str, reason: str) -> None:
        super().__init__(
            f"channel {channel!r} for shopper {shopper_id!r}: {reason}", field="channel"
        )
        self.shopper_id = shopper_id
        self.channel = channel
        self.reason = reason

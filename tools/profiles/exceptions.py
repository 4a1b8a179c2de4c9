"""Errors of the profile engine. Callers can fix `InputError`s (unknown shopper, bad preference)."""

from __future__ import annotations

from tools.exceptions import InputError, ToolsError


class ProfileError(ToolsError):
    """Root of the profile engine's own errors."""


class UnknownShopperError(InputError):
    """No shopper with this id is in the store."""

    def __init__(self, shopper_id: str) -> None:
        super().__init__(f"unknown shopper {shopper_id!r}", field="shopper_id")
        self.shopper_id = shopper_id


class InvalidPreferenceError(InputError):
    """A stated preference cannot be recorded as given."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason, field=key)
        self.key = key

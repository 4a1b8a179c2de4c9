"""Errors raised while loading settings."""

from __future__ import annotations


class ConfigError(Exception):
    """Root of configuration errors: the settings cannot be used as given."""


class UnsafeSettingError(ConfigError):
    """A setting holds a value that is refused outside development mode."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

"""Settings of the retail concierge (pydantic-settings, env prefix CONCIERGE_)."""

from config.exceptions import ConfigError, UnsafeSettingError
from config.settings import Settings, get_settings

__all__ = ["ConfigError", "Settings", "UnsafeSettingError", "get_settings"]

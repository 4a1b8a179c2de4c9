"""The one settings object: YAML defaults, overridden by a YAML file and CONCIERGE_ env vars."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from config.exceptions import UnsafeSettingError

DEFAULT_YAML = Path(__file__).with_name("default.yaml")
DEV_SECRET = "dev-secret-change-me"
PLACEHOLDER_ADDRESS = "100 Example Street, Springfield, ST 00000, USA"
CONFIG_FILE_ENV = "CONCIERGE_CONFIG_FILE"

Mode = Literal["dev", "test", "prod"]


class ServerSettings(BaseModel):
    """Where the HTTP API listens."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)


class LLMSettings(BaseModel):
    """Optional OpenAI-compatible endpoint; off unless enabled with a base URL and model."""

    enabled: bool = False
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    timeout_s: float = Field(default=10.0, gt=0, le=120)
    max_retries: int = Field(default=2, ge=0, le=10)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> LLMSettings:
        if self.enabled and (not self.base_url or not self.model):
            raise ValueError("llm.enabled needs llm.base_url and llm.model")
        return self


class SQLiteSettings(BaseModel):
    """Connection tuning for the embedded SQLite store."""

    busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000)


class StoreSettings(BaseModel):
    """The retailer as shoppers see it in messages (emails must carry a postal address)."""

    name: str = Field(default="Concierge Demo Store", min_length=1, max_length=120)
    postal_address: str = Field(default=PLACEHOLDER_ADDRESS, min_length=1, max_length=300)
    unsubscribe_url: str = Field(
        default="http://127.0.0.1:8000/unsubscribe", pattern=r"^https?://", max_length=500
    )
    currency_symbol: str = Field(default="$", min_length=1, max_length=4)


class Settings(BaseSettings):
    """All settings of the concierge; see config/default.yaml for the documented defaults."""

    model_config = SettingsConfigDict(
        env_prefix="CONCIERGE_",
        env_nested_delimiter="__",
        extra="forbid",
        yaml_file=[DEFAULT_YAML],
    )

    mode: Mode = "dev"
    data_dir: Path = Path("./data")
    database_url: str | None = None
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    server: ServerSettings = ServerSettings()
    llm: LLMSettings = LLMSettings()
    sqlite: SQLiteSettings = SQLiteSettings()
    store: StoreSettings = StoreSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        files: list[Path] = [DEFAULT_YAML]
        extra = os.environ.get(CONFIG_FILE_ENV)
        if extra:
            path = Path(extra)
            if not path.is_file():
                raise FileNotFoundError(f"{CONFIG_FILE_ENV}={extra}: no such file")
            files.append(path)
        yaml_settings = YamlConfigSettingsSource(settings_cls, yaml_file=files)
        return init_settings, env_settings, yaml_settings, file_secret_settings

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if self.mode == "prod" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise UnsafeSettingError("secret_key", "the development secret is refused in prod mode")
        if self.mode == "prod" and len(self.secret_key.get_secret_value()) < 32:
            raise UnsafeSettingError("secret_key", "must be at least 32 characters in prod mode")
        if self.mode == "prod" and self.store.postal_address == PLACEHOLDER_ADDRESS:
            raise UnsafeSettingError(
                "store.postal_address", "set the retailer's real postal address in prod mode"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL: the configured one, else SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'concierge.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite database."""
        return self.resolved_database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return Settings()

"""The one settings object: YAML defaults, overridden by a YAML file and CONCIERGE_ env vars."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

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
    breaker_failures: int = Field(
        default=5, ge=1, le=1000, description="Consecutive failed calls that open the breaker"
    )
    breaker_cooldown_s: float = Field(
        default=30.0, gt=0, le=3600, description="How long an open breaker waits before a probe"
    )
    max_output_tokens: int = Field(default=600, ge=16, le=8192, description="Per completion")
    cassette_mode: Literal["off", "record", "replay"] = Field(
        default="off", description="record: save every exchange; replay: answer from the file only"
    )
    cassette_path: Path | None = Field(default=None, description="JSONL file of recorded exchanges")

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> LLMSettings:
        needs_url = self.cassette_mode != "replay"
        if self.enabled and (not self.model or (needs_url and not self.base_url)):
            raise ValueError("llm.enabled needs llm.base_url and llm.model")
        if self.cassette_mode != "off" and self.cassette_path is None:
            raise ValueError(f"llm.cassette_mode={self.cassette_mode} needs llm.cassette_path")
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


class CheckpointSettings(BaseModel):
    """Where conversation threads are checkpointed, and how long checkpoints are kept."""

    url: str | None = Field(
        default=None,
        description="sqlite:///file or postgresql://...; default: the database URL when it is "
        "PostgreSQL, else a SQLite file in the data directory",
    )
    keep_per_thread: int = Field(
        default=3, ge=1, le=10_000, description="Newest checkpoints kept per thread"
    )
    max_age_days: float = Field(
        default=30.0, gt=0, le=3650, description="Threads idle longer than this are deleted"
    )
    prune_every_turns: int = Field(
        default=200, ge=1, le=1_000_000, description="Prune after this many turns per process"
    )


class ConversationSettings(BaseModel):
    """The shopper conversation: how many products a reply shows, agent limits."""

    results: int = Field(default=5, ge=1, le=20, description="Products shown per reply")
    candidates: int = Field(default=20, ge=1, le=200, description="Products searched per turn")
    agent_timeout_s: float = Field(default=5.0, gt=0, le=120, description="Per agent and turn")
    agent_actor: str = Field(
        default="concierge", min_length=1, max_length=64, description="Actor id of the agents"
    )


ApiRole = Literal["shopper", "merchandiser", "admin"]


class ApiKeyEntry(BaseModel):
    """An HTTP API key given in configuration: only the SHA-256 of the key is kept."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hex) of the key")
    role: ApiRole
    subject: str = Field(min_length=1, max_length=128, description="Who uses the key")
    shopper_id: str | None = Field(default=None, max_length=64, description="Shopper keys only")
    category_scopes: list[str] = Field(default_factory=lambda: ["*"], max_length=200)


class RateLimit(BaseModel):
    """A token bucket: `per_minute` requests on average, up to `burst` at once."""

    per_minute: int = Field(ge=1, le=1_000_000)
    burst: int = Field(ge=1, le=100_000)


RATE_LIMITS: dict[ApiRole, RateLimit] = {
    "shopper": RateLimit(per_minute=60, burst=20),
    "merchandiser": RateLimit(per_minute=120, burst=30),
    "admin": RateLimit(per_minute=600, burst=100),
}


class ApiSettings(BaseModel):
    """The HTTP API: who may call it, how much and how often."""

    dev_keys: bool = Field(
        default=True, description="Accept the documented development keys (never in prod mode)"
    )
    keys: list[ApiKeyEntry] = Field(default_factory=list, max_length=10_000)
    token_max_ttl_s: int = Field(default=86_400, ge=60, le=30 * 86_400)
    max_body_bytes: int = Field(default=65_536, ge=1024, le=16 * 1024 * 1024)
    rate_limits: dict[ApiRole, RateLimit] = Field(default_factory=lambda: dict(RATE_LIMITS))
    idempotency_ttl_s: int = Field(default=86_400, ge=60, le=30 * 86_400)
    metrics_public: bool = Field(default=True, description="Serve /metrics without a key")


class StorefrontSettings(BaseModel):
    """The storefront MCP server for external agents: the resource it is, and its limits."""

    resource_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#]+/[^?#]*$",
        max_length=500,
        description="The MCP endpoint's public URL: the audience tokens must name; default "
        "http://<host>:<port>/mcp of the address it serves on",
    )
    issuer_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#]+/?$",
        max_length=500,
        description="Who issues its tokens (their iss); default: the resource URL's origin",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Origin headers accepted besides the resource's own (scheme://host[:port])",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Host headers accepted besides the resource's own (host:port or host:*)",
    )
    max_body_bytes: int = Field(default=65_536, ge=1024, le=4 * 1024 * 1024)
    rate_limit: RateLimit = Field(
        default_factory=lambda: RateLimit(per_minute=120, burst=30),
        description="HTTP requests per agent",
    )
    token_ttl_minutes: int = Field(
        default=60, ge=1, le=7 * 24 * 60, description="Lifetime of `concierge mcp token` tokens"
    )
    stdio_token: SecretStr | None = Field(
        default=None, description="The agent's token when serving over stdio (no HTTP header)"
    )


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
    checkpoints: CheckpointSettings = CheckpointSettings()
    conversation: ConversationSettings = ConversationSettings()
    api: ApiSettings = ApiSettings()
    storefront: StorefrontSettings = StorefrontSettings()

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
        url = self.storefront.resource_url or ""
        if self.mode == "prod" and url.startswith("http://") and not _loopback_url(url):
            raise UnsafeSettingError(
                "storefront.resource_url", "must be an https URL in prod mode (or loopback)"
            )
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
    def resolved_checkpoint_url(self) -> str:
        """Where threads are checkpointed: the configured URL, the PostgreSQL store, or SQLite."""
        if self.checkpoints.url:
            return self.checkpoints.url
        if self.resolved_database_url.startswith("postgresql"):
            return self.resolved_database_url
        return f"sqlite:///{(self.data_dir / 'checkpoints.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite database."""
        return self.resolved_database_url.startswith("sqlite")


def _loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return Settings()

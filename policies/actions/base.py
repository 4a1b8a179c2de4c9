"""What every proposed action shares: a kind, a schema version, a canonical form and its hash."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, model_validator


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


UTCInstant = Annotated[AwareDatetime, PlainSerializer(_utc_iso, return_type=str)]
"""An aware timestamp, serialised in UTC so that equal instants hash equally."""


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the one serialisation that is hashed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    """The SHA-256 of a text, hex-encoded."""
    return hashlib.sha256(text.encode()).hexdigest()


class ActionBase(BaseModel):
    """A proposal to change something; it does nothing until a decision approves it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    version: int = 1

    def payload(self) -> dict[str, Any]:
        """The action as plain JSON data (timestamps in UTC)."""
        return self.model_dump(mode="json")

    def canonical_json(self) -> str:
        """The canonical serialisation of the action."""
        return canonical_json(self.payload())

    def action_hash(self) -> str:
        """SHA-256 of the canonical serialisation."""
        return sha256_hex(self.canonical_json())

    def subject_shopper(self) -> str | None:
        """The shopper the action concerns, if any."""
        value = getattr(self, "shopper_id", None)
        return value if isinstance(value, str) else None

    def spend_cents(self) -> int:
        """What executing the action would charge to the proposer's spend limit."""
        return 0


class Scope(BaseModel):
    """Which products a merchandising rule or promotion covers: a category path and/or skus."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str | None = Field(default=None, min_length=1, max_length=200)
    skus: tuple[str, ...] = Field(default=(), max_length=1000)

    @model_validator(mode="after")
    def _not_empty(self) -> Scope:
        if self.category is None and not self.skus:
            raise ValueError("a scope needs a category or at least one sku")
        return self

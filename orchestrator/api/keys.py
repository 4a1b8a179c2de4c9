"""API keys: created at random, shown once, kept only as a SHA-256; documented keys for dev mode.

A created key reads `ck_<id>_<secret>`: the id finds its row, the SHA-256 of the whole key must
match the stored one. Keys may also be listed (hashed) in the settings (`api.keys`). The dev keys
below are accepted only when `api.dev_keys` is on and the mode is not prod; in prod a configured
key equal to one of them stops the API from starting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config import Settings, UnsafeSettingError
from orchestrator.api.principals import Principal, Role
from orchestrator.api.tables import ApiKeyRow, ensure_schema, transaction

PREFIX = "ck_"
DEV_KEYS: dict[str, Principal] = {
    "dev-key-shopper-1": Principal(
        subject="shopper-000001", role="shopper", shopper_id="shopper-000001", via="dev_key"
    ),
    "dev-key-shopper-2": Principal(
        subject="shopper-000002", role="shopper", shopper_id="shopper-000002", via="dev_key"
    ),
    "dev-key-merchandiser": Principal(
        subject="dev-merchandiser", role="merchandiser", category_scopes=("*",), via="dev_key"
    ),
    "dev-key-admin": Principal(
        subject="dev-admin", role="admin", category_scopes=("*",), via="dev_key"
    ),
}
"""The documented development keys (README, "HTTP API"): never accepted in prod mode."""


def sha256_hex(key: str) -> str:
    """The SHA-256 (hex) a key is kept as."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    """A key just created: `key` is shown once and never stored."""

    key: str
    row: ApiKeyRow


def create_key(
    engine: Engine,
    *,
    role: Role,
    subject: str,
    shopper_id: str | None,
    category_scopes: list[str],
    label: str,
    now: datetime,
) -> NewKey:
    """Create and store a key; the returned `key` is the only copy of it."""
    ensure_schema(engine)
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKeyRow(
        id=key_id,
        sha256=sha256_hex(key),
        role=role,
        subject=subject,
        shopper_id=shopper_id,
        category_scopes=category_scopes,
        label=label,
        created_at=now,
    )
    with transaction(engine) as session:
        session.add(row)
    return NewKey(key=key, row=row)


def list_keys(engine: Engine) -> list[ApiKeyRow]:
    """The stored keys (hashes only), oldest first."""
    ensure_schema(engine)
    with Session(engine) as session:
        return list(session.exec(select(ApiKeyRow).order_by(col(ApiKeyRow.created_at))))


def revoke_key(engine: Engine, key_id: str, *, now: datetime) -> bool:
    """Revoke a stored key; False when there is no such key or it was already revoked."""
    ensure_schema(engine)
    with transaction(engine) as session:
        row = session.get(ApiKeyRow, key_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = now
        session.add(row)
    return True


def refuse_dev_keys_in_prod(settings: Settings) -> None:
    """In prod mode, refuse configured keys that are one of the published development keys."""
    if settings.mode != "prod":
        return
    published = {sha256_hex(k) for k in DEV_KEYS}
    for entry in settings.api.keys:
        if entry.sha256 in published:
            raise UnsafeSettingError(
                f"api.keys[{entry.id}]", "a published development key is refused in prod mode"
            )


class KeyRing:
    """Finds the principal a presented key stands for: dev, configured or stored keys."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.engine = engine
        self.dev = settings.api.dev_keys and settings.mode != "prod"
        self.configured = {
            e.sha256: Principal(
                subject=e.subject,
                role=e.role,
                shopper_id=e.shopper_id,
                category_scopes=tuple(e.category_scopes) if e.role != "shopper" else (),
                key_id=e.id,
            )
            for e in settings.api.keys
        }

    def find(self, presented: str) -> Principal | None:
        """The principal of a key, or None when no valid key matches (blocking: store look-up)."""
        if self.dev:
            for key, principal in DEV_KEYS.items():
                if hmac.compare_digest(presented.encode(), key.encode()):
                    return principal
        digest = sha256_hex(presented)
        if digest in self.configured:
            return self.configured[digest]
        if presented.startswith(PREFIX):
            return self._stored(presented, digest)
        return None

    def _stored(self, presented: str, digest: str) -> Principal | None:
        key_id = presented[len(PREFIX) :].split("_", 1)[0]
        with Session(self.engine) as session:
            row = session.get(ApiKeyRow, key_id)
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.sha256, digest):
            return None
        scopes = tuple(row.category_scopes) if row.role != "shopper" else ()
        return Principal.model_validate(
            {
                "subject": row.subject,
                "role": row.role,
                "shopper_id": row.shopper_id,
                "category_scopes": scopes,
                "key_id": row.id,
            }
        )

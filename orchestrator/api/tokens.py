"""Signed bearer tokens: JWTs (HS256) signed with a key derived from the configured secret.

A token names its subject, role, and for shoppers the shopper id; it is valid for this API only
(audience), until it expires. The signing key is derived from `secret_key` for this one purpose,
so a token can never be mistaken for another signature the concierge makes with the same secret.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import jwt
from pydantic import ValidationError

from config import Settings
from orchestrator.api.principals import Principal

ISSUER = "retail-concierge"
AUDIENCE = "retail-concierge-api"
ALGORITHM = "HS256"
CLOCK_SKEW_S = 60


class TokenError(ValueError):
    """A token that cannot be accepted."""


def signing_key(settings: Settings) -> bytes:
    """The key tokens are signed with, derived from the configured secret."""
    secret = settings.secret_key.get_secret_value().encode()
    return hmac.new(secret, b"api-token/v1", hashlib.sha256).digest()


def issue(settings: Settings, principal: Principal, *, ttl_s: int, now: datetime) -> str:
    """A signed token for `principal` that expires after `ttl_s` seconds."""
    if not 1 <= ttl_s <= settings.api.token_max_ttl_s:
        raise TokenError(f"ttl_s must be between 1 and {settings.api.token_max_ttl_s}")
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": principal.subject,
        "role": principal.role,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
    }
    if principal.shopper_id is not None:
        claims["shopper_id"] = principal.shopper_id
    if principal.category_scopes:
        claims["scopes"] = list(principal.category_scopes)
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM)


def verify(settings: Settings, token: str, *, now: datetime) -> Principal:
    """The principal a valid token stands for; `TokenError` says why a token is refused."""
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={
                "require": ["exp", "iat", "sub", "aud", "iss"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc
    if int(claims["exp"]) <= int(now.timestamp()):
        raise TokenError("the token has expired")
    if int(claims["iat"]) > int(now.timestamp()) + CLOCK_SKEW_S:
        raise TokenError("the token was issued in the future")
    try:
        return Principal(
            subject=claims["sub"],
            role=claims.get("role"),
            shopper_id=claims.get("shopper_id"),
            category_scopes=tuple(claims.get("scopes", ())),
            via="token",
        )
    except (ValidationError, TypeError) as exc:
        raise TokenError("the token's claims are not valid") from exc


def looks_like_token(credential: str) -> bool:
    """Whether a credential has the shape of a JWT (three dot-separated parts)."""
    return credential.count(".") == 2 and credential.startswith("eyJ")

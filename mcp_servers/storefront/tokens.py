"""Bearer tokens for external agents: HMAC-SHA256-signed claims naming agent, shopper and scopes.

A token is `cst1.<claims>.<signature>`: the claims as base64url JSON, and the base64url
HMAC-SHA256 of `cst1.<claims>` under a key derived from the configured secret for this use
alone, so no other signature made with the secret can pass for a token. A token is accepted
only for the audience (the MCP endpoint's URL) and issuer it names, within its lifetime.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError

from mcp_servers.storefront.exceptions import TokenError
from mcp_servers.storefront.scopes import SCOPES, SHOPPER_SCOPES

PREFIX = "cst1"
MAX_TOKEN_CHARS = 4096
MAX_LIFETIME = timedelta(days=7)
LEEWAY = timedelta(seconds=30)
"""Clock skew tolerated on `iat` and `exp`."""
_KEY_LABEL = b"concierge/storefront-token/v1"


class TokenClaims(BaseModel):
    """What a token asserts: the agent, whom it acts for, what it may do, where, until when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    iss: str = Field(min_length=1, max_length=500, description="Issuer")
    aud: str = Field(min_length=1, max_length=500, description="The MCP endpoint's URL")
    agent: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", description="Agent id")
    sub: str | None = Field(default=None, min_length=1, max_length=64, description="Shopper id")
    scopes: tuple[str, ...] = Field(max_length=len(SCOPES))
    iat: int = Field(ge=0, description="Issued at (Unix seconds)")
    exp: int = Field(ge=0, description="Expires at (Unix seconds)")
    jti: str = Field(min_length=8, max_length=64, description="Token id")


def signing_key(secret: str) -> bytes:
    """The token key derived from the configured secret."""
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def normal_url(url: str) -> str | None:
    """An http(s) URL in one spelling (case, default port and a final slash aside); else None."""
    try:
        return str(AnyHttpUrl(url)).removesuffix("/")
    except ValidationError:
        return None


def same_url(left: str, right: str) -> bool:
    """Whether two URLs name the same resource."""
    normal = normal_url(left)
    return normal is not None and normal == normal_url(right)


def mint_token(
    *,
    key: bytes,
    agent: str,
    scopes: Iterable[str],
    audience: str,
    issuer: str,
    now: datetime,
    ttl: timedelta,
    shopper_id: str | None = None,
) -> str:
    """A signed token; refuses unknown scopes, shopper scopes without a shopper, long lifetimes."""
    if not timedelta(0) < ttl <= MAX_LIFETIME:
        raise TokenError(
            "lifetime_too_long", f"the lifetime must be positive and at most {MAX_LIFETIME}"
        )
    issued = int(now.timestamp())
    try:
        claims = TokenClaims(
            iss=issuer,
            aud=audience,
            agent=agent,
            sub=shopper_id,
            scopes=tuple(sorted(set(scopes))),
            iat=issued,
            exp=issued + int(ttl.total_seconds()),
            jti=secrets.token_hex(8),
        )
    except ValidationError as exc:
        raise TokenError("malformed", _first_error(exc)) from exc
    _check_scopes(claims)
    for url, name in ((audience, "audience"), (issuer, "issuer")):
        if normal_url(url) is None:
            raise TokenError("malformed", f"the {name} must be an http(s) URL, not {url!r}")
    body = _b64(json.dumps(claims.model_dump(), sort_keys=True, separators=(",", ":")).encode())
    return f"{PREFIX}.{body}.{_b64(_sign(key, body))}"


def verify_token(
    token: str, *, key: bytes, audience: str, issuer: str, now: datetime
) -> TokenClaims:
    """The claims of a genuine token for this audience and issuer, valid now; else TokenError."""
    claims = _decode(token, key)
    moment = now.timestamp()
    if claims.exp - claims.iat > MAX_LIFETIME.total_seconds():
        raise TokenError("lifetime_too_long", "the token lives longer than allowed")
    if moment >= claims.exp + LEEWAY.total_seconds():
        raise TokenError("expired", "the token has expired")
    if moment + LEEWAY.total_seconds() < claims.iat:
        raise TokenError("not_yet_valid", "the token is issued in the future")
    if not same_url(claims.aud, audience):
        raise TokenError("wrong_audience", "the token was issued for another resource")
    if not same_url(claims.iss, issuer):
        raise TokenError("wrong_issuer", "the token was issued by another issuer")
    _check_scopes(claims)
    return claims


def _decode(token: str, key: bytes) -> TokenClaims:
    parts = token.split(".") if len(token) <= MAX_TOKEN_CHARS else []
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenError("malformed", "not a storefront token")
    _, body, signature = parts
    try:
        given = _unb64(signature)
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed", "the signature is not base64url") from exc
    if not hmac.compare_digest(given, _sign(key, body)):
        raise TokenError("bad_signature", "the signature does not match")
    try:
        return TokenClaims.model_validate_json(_unb64(body))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed", "the claims cannot be read") from exc


def _check_scopes(claims: TokenClaims) -> None:
    unknown = sorted(set(claims.scopes) - set(SCOPES))
    if unknown:
        raise TokenError("unknown_scope", f"unknown scope(s) {', '.join(unknown)}")
    needing = sorted(set(claims.scopes) & SHOPPER_SCOPES)
    if needing and claims.sub is None:
        raise TokenError("missing_shopper", f"scope(s) {', '.join(needing)} need a shopper")


def _sign(key: bytes, body: str) -> bytes:
    return hmac.new(key, f"{PREFIX}.{body}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"

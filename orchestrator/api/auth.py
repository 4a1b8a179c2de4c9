"""Authentication (API keys and signed tokens) and the role each route requires.

Credentials come as `Authorization: Bearer <key or token>` or `X-API-Key: <key>`. The gate
authenticates before the route runs (`gate.py`); routes declare the roles they accept with
`require(...)`, which also documents the two security schemes in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from config import Settings
from orchestrator.api import tokens
from orchestrator.api.exceptions import ForbiddenError, UnauthenticatedError
from orchestrator.api.keys import KeyRing
from orchestrator.api.principals import Principal, Role

bearer = HTTPBearer(auto_error=False, description="An API key or a signed token")
api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key")


def credential(headers: Any) -> str | None:
    """The key or token a request presents, if any."""
    authorization: str = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return str(value.strip())
    presented = headers.get("x-api-key", "").strip()
    return str(presented) or None


class Authenticator:
    """Finds the principal of a credential: a signed token, or one of the keys."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.keys = KeyRing(settings, engine)

    async def authenticate(self, presented: str | None, *, now: datetime) -> Principal:
        """The principal, or `UnauthenticatedError` saying what is wrong."""
        if not presented:
            raise UnauthenticatedError(
                "send an API key or token: Authorization: Bearer <key> or X-API-Key",
                reason="credentials_missing",
            )
        if tokens.looks_like_token(presented):
            try:
                return tokens.verify(self.settings, presented, now=now)
            except tokens.TokenError as exc:
                raise UnauthenticatedError(f"token refused: {exc}", reason="token_invalid") from exc
        found = await anyio.to_thread.run_sync(self.keys.find, presented)
        if found is None:
            raise UnauthenticatedError("unknown or revoked API key", reason="key_invalid")
        return found


def current(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    _key: Annotated[str | None, Security(api_key)] = None,
) -> Principal:
    """The principal the gate authenticated for this request."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        raise UnauthenticatedError(
            "this route needs an API key or token", reason="credentials_missing"
        )
    return principal


def require(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that admits only principals with one of `roles`."""

    async def check(principal: Annotated[Principal, Depends(current)]) -> Principal:
        if principal.role not in roles:
            raise ForbiddenError(
                f"this needs the role {' or '.join(roles)}; the caller is a {principal.role}",
                reason="role_not_allowed",
            )
        return principal

    return check

"""Who is calling: the agent, the shopper it acts for and its scopes, from a verified token.

Over HTTP every request carries a bearer token that `StorefrontTokenVerifier` checks before the
MCP layer sees the request. Over stdio (a local, trusted process) the identity is fixed when the
server starts, from a token in the settings or on the command line. The token goes no further:
tools see only the identity, and the engines behind them only the shopper id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import AnyHttpUrl

from config import Settings
from mcp_servers.storefront.exceptions import TokenError
from mcp_servers.storefront.tokens import TokenClaims, mint_token, signing_key, verify_token
from policies.context import ActorFacts
from tools.store.types import utcnow

logger = logging.getLogger("mcp_servers.storefront")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MCP_PATH = "/mcp"


@dataclass(frozen=True)
class AgentIdentity:
    """An authenticated external agent: its id, its scopes and the shopper it acts for."""

    agent: str
    scopes: frozenset[str]
    shopper_id: str | None = None
    expires_at: int | None = None

    @classmethod
    def of(cls, claims: TokenClaims) -> AgentIdentity:
        """The identity a verified token asserts, until the token expires."""
        return cls(
            agent=claims.agent,
            scopes=frozenset(claims.scopes),
            shopper_id=claims.sub,
            expires_at=claims.exp,
        )

    def actor(self) -> ActorFacts:
        """The proposer as the policy checker knows it."""
        return ActorFacts(
            id=self.agent,
            kind="external_agent",
            scopes=tuple(sorted(self.scopes)),
            on_behalf_of=self.shopper_id,
        )


@dataclass(frozen=True)
class TokenCheck:
    """What a token must match here: the signing key, this resource and its issuer."""

    key: bytes
    audience: str
    issuer: str

    @classmethod
    def for_resource(cls, settings: Settings, resource_url: str) -> TokenCheck:
        """The check for tokens naming `resource_url`, signed with the configured secret."""
        return cls(
            key=signing_key(settings.secret_key.get_secret_value()),
            audience=resource_url,
            issuer=issuer_url(settings, resource_url),
        )

    def verify(self, token: str, *, now: datetime | None = None) -> TokenClaims:
        """The claims of a token accepted here; else a TokenError with the reason."""
        return verify_token(
            token, key=self.key, audience=self.audience, issuer=self.issuer, now=now or utcnow()
        )


class StorefrontTokenVerifier:
    """The MCP SDK's token verifier for storefront tokens (audience and issuer checked here too)."""

    def __init__(self, check: TokenCheck) -> None:
        self.check = check

    async def verify_token(self, token: str) -> AccessToken | None:
        """Access info for a token accepted here, or None (the SDK then answers 401)."""
        try:
            claims = self.check.verify(token)
        except TokenError as exc:
            logger.info("bearer token refused: %s", exc.problem)
            return None
        return AccessToken(
            token=token,
            client_id=claims.agent,
            scopes=list(claims.scopes),
            expires_at=claims.exp,
            resource=claims.aud,
            subject=claims.sub,
            claims={"iss": claims.iss, "jti": claims.jti},
        )


def resource_url(settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """The configured resource URL, else the MCP endpoint's URL at the serving address."""
    return settings.storefront.resource_url or f"http://{host}:{port}{MCP_PATH}"


def issuer_url(settings: Settings, resource: str) -> str:
    """The configured issuer, else the resource URL's origin (spelt as the metadata spells it)."""
    parts = urlsplit(resource)
    return str(AnyHttpUrl(settings.storefront.issuer_url or f"{parts.scheme}://{parts.netloc}"))


def caller(fixed: AgentIdentity | None) -> AgentIdentity:
    """The caller of the current request: the HTTP bearer token's, else the fixed identity."""
    token = get_access_token()
    if token is not None:
        return AgentIdentity(
            agent=token.client_id, scopes=frozenset(token.scopes), shopper_id=token.subject
        )
    if fixed is None:
        raise ToolError("unauthenticated: this server needs an agent token")
    if fixed.expires_at is not None and utcnow().timestamp() >= fixed.expires_at:
        raise ToolError("unauthenticated: the agent token has expired")
    return fixed


def require(who: AgentIdentity, scope: str, *, shopper: bool = False) -> AgentIdentity:
    """The identity, if it holds the scope (and names a shopper when the tool acts for one)."""
    if scope not in who.scopes:
        raise ToolError(f"insufficient_scope: this tool needs the scope {scope!r}")
    if shopper and who.shopper_id is None:
        raise ToolError("insufficient_scope: this tool acts for a shopper; the token names none")
    return who


def mint_for(
    settings: Settings,
    *,
    agent: str,
    scopes: Iterable[str],
    shopper_id: str | None = None,
    audience: str | None = None,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """A token for an agent, signed with the configured secret, for `audience` (default: the
    configured resource URL, else the default serving address)."""
    resource = audience or resource_url(settings)
    return mint_token(
        key=signing_key(settings.secret_key.get_secret_value()),
        agent=agent,
        scopes=scopes,
        audience=resource,
        issuer=issuer_url(settings, resource),
        now=now or utcnow(),
        ttl=ttl or timedelta(minutes=settings.storefront.token_ttl_minutes),
        shopper_id=shopper_id,
    )


def stdio_identity(settings: Settings, token: str | None = None) -> AgentIdentity | None:
    """The identity of a stdio server: `token`, else the configured `storefront.stdio_token`,
    verified for the configured resource; None when neither is given."""
    configured = settings.storefront.stdio_token
    raw = token or (configured.get_secret_value() if configured is not None else None)
    if raw is None:
        return None
    return AgentIdentity.of(TokenCheck.for_resource(settings, resource_url(settings)).verify(raw))

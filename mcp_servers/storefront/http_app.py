"""The storefront over streamable HTTP: an OAuth 2.0 protected resource (RFC 9728).

- Every request needs a bearer token issued for this resource (audience) by its issuer, signed
  with the configured secret, holding catalog:read: else 401 with a `WWW-Authenticate` challenge
  that names the protected-resource metadata, or 403 `insufficient_scope`. Each tool then checks
  its own scope.
- Host and Origin headers are checked against the resource's own and the configured ones
  (DNS rebinding); a body over `max_body_bytes` gets 413; an agent over its rate gets 429.
- A session belongs to the agent and shopper whose token opened it: any other token gets 404.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mcp.server.auth.routes import create_protected_resource_routes
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import AnyHttpUrl
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from config import Settings
from mcp_servers.storefront.identity import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    MCP_PATH,
    StorefrontTokenVerifier,
    TokenCheck,
    resource_url,
)
from mcp_servers.storefront.ratelimit import AgentRateLimit, TokenBuckets
from mcp_servers.storefront.scopes import BASE_SCOPE, SCOPES
from mcp_servers.storefront.server import create_server

RESOURCE_NAME = "Concierge storefront for AI agents"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def storefront_app(
    settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> Starlette:
    """The ASGI app serving the storefront at the resource URL's path."""
    resource = resource_url(settings, host=host, port=port)
    check = TokenCheck.for_resource(settings, resource)
    auth = AuthSettings(
        issuer_url=AnyHttpUrl(check.issuer),
        resource_server_url=AnyHttpUrl(resource),
        required_scopes=[BASE_SCOPE],
        validate_token_resource=True,
    )
    server = create_server(settings, verifier=StorefrontTokenVerifier(check), auth=auth)
    limits = settings.storefront
    app = server.streamable_http_app(
        streamable_http_path=urlsplit(resource).path or MCP_PATH,
        max_request_body_size=limits.max_body_bytes,
        transport_security=_transport_security(settings, resource, host=host, port=port),
        host=host,
    )
    app.user_middleware.append(  # after authentication: the limit is per agent
        Middleware(AgentRateLimit, buckets=TokenBuckets(limits.rate_limit))
    )
    app.router.routes[:0] = _metadata_routes(resource, check.issuer)
    return app


async def serve_http(settings: Settings, *, host: str, port: int) -> None:
    """Serve the storefront over streamable HTTP until interrupted."""
    import uvicorn

    app = storefront_app(settings, host=host, port=port)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()


def _transport_security(
    settings: Settings, resource: str, *, host: str, port: int
) -> TransportSecuritySettings:
    parts = urlsplit(resource)
    hosts = {parts.netloc, f"{host}:{port}"}
    if host in LOOPBACK:
        hosts.update(f"{name}:{port}" for name in LOOPBACK)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=sorted(hosts) + settings.storefront.allowed_hosts,
        allowed_origins=[f"{parts.scheme}://{parts.netloc}", *settings.storefront.allowed_origins],
    )


def _metadata_routes(resource: str, issuer: str) -> list[BaseRoute]:
    """RFC 9728 metadata listing every scope (the SDK's own lists only the required one)."""
    routes = create_protected_resource_routes(
        resource_url=AnyHttpUrl(resource),
        authorization_servers=[AnyHttpUrl(issuer)],
        scopes_supported=list(SCOPES),
        resource_name=RESOURCE_NAME,
    )
    return list(routes)

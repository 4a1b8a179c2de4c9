"""Storefront tokens: what is accepted, every way one is refused, and the dev-token command."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from typer.testing import CliRunner

from config import Settings
from config.exceptions import UnsafeSettingError
from config.settings import RateLimit
from mcp_servers.registry import server_names
from mcp_servers.storefront.exceptions import TokenError
from mcp_servers.storefront.identity import (
    AgentIdentity,
    StorefrontTokenVerifier,
    TokenCheck,
    mint_for,
    stdio_identity,
)
from mcp_servers.storefront.ratelimit import TokenBuckets
from mcp_servers.storefront.tokens import mint_token, signing_key, verify_token
from orchestrator.cli.app import app

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
AUD = "http://127.0.0.1:8765/mcp"
ISS = "http://127.0.0.1:8765/"
KEY = signing_key("a-test-secret-of-enough-length-123")


def _mint(**overrides: Any) -> str:
    args: dict[str, Any] = {
        "key": KEY,
        "agent": "shopbot",
        "scopes": ["cart:write", "catalog:read"],
        "audience": AUD,
        "issuer": ISS,
        "now": NOW,
        "ttl": timedelta(minutes=10),
        "shopper_id": "s1",
    }
    return mint_token(**(args | overrides))


def _refused(token: str, *, at: datetime = NOW, audience: str = AUD, key: bytes = KEY) -> str:
    with pytest.raises(TokenError) as caught:
        verify_token(token, key=key, audience=audience, issuer=ISS, now=at)
    return caught.value.problem


def test_a_minted_token_verifies_with_its_claims() -> None:
    token = _mint()
    claims = verify_token(token, key=KEY, audience=AUD, issuer=ISS, now=NOW)
    assert (claims.agent, claims.sub) == ("shopbot", "s1")
    assert claims.scopes == ("cart:write", "catalog:read")
    assert claims.exp - claims.iat == 600
    # the same resource spelt differently is the same audience
    spelt = "HTTP://127.0.0.1:8765/mcp/"
    assert verify_token(token, key=KEY, audience=spelt, issuer=ISS, now=NOW) == claims
    assert _mint() != token  # every token has its own id


def test_tampered_or_foreign_tokens_are_refused() -> None:
    token = _mint()
    prefix, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["scopes"] = ["cart:write", "catalog:read", "price:quote"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert _refused(f"{prefix}.{forged}.{signature}") == "bad_signature"
    assert (
        _refused(token, key=signing_key("another-secret-of-enough-length-123")) == "bad_signature"
    )
    # signed with the raw secret instead of the derived key: no other HMAC passes for a token
    raw = _mint(key=b"a-test-secret-of-enough-length-123")
    assert _refused(raw) == "bad_signature"
    for junk in ("", "cst1", "cst1.a", "cst2.a.b", "cst1.a.b.c", "cst1.@@@.!!", token + "x" * 5000):
        assert _refused(junk) in {"malformed", "bad_signature"}


def test_time_audience_and_issuer_are_checked() -> None:
    token = _mint()
    assert _refused(token, at=NOW + timedelta(minutes=11)) == "expired"
    assert _refused(token, at=NOW - timedelta(minutes=5)) == "not_yet_valid"
    verify_token(token, key=KEY, audience=AUD, issuer=ISS, now=NOW + timedelta(seconds=620))
    assert _refused(token, audience="http://127.0.0.1:9999/mcp") == "wrong_audience"
    assert _refused(token, audience="https://shop.example/mcp") == "wrong_audience"
    with pytest.raises(TokenError, match="wrong_issuer"):
        verify_token(token, key=KEY, audience=AUD, issuer="https://idp.example/", now=NOW)


def test_minting_refuses_what_could_not_be_verified() -> None:
    for overrides, problem in (
        ({"scopes": ["catalog:read", "admin:all"]}, "unknown_scope"),
        ({"shopper_id": None}, "missing_shopper"),  # cart:write acts for a shopper
        ({"ttl": timedelta(days=8)}, "lifetime_too_long"),
        ({"ttl": timedelta(0)}, "lifetime_too_long"),
        ({"agent": "bad agent!"}, "malformed"),
        ({"audience": "not a url"}, "malformed"),
    ):
        with pytest.raises(TokenError) as caught:
            _mint(**overrides)
        assert caught.value.problem == problem, overrides
    anonymous = _mint(scopes=["catalog:read", "price:quote"], shopper_id=None)
    assert verify_token(anonymous, key=KEY, audience=AUD, issuer=ISS, now=NOW).sub is None


def test_the_sdk_verifier_and_the_identity_it_gives() -> None:
    settings = Settings(secret_key="a-test-secret-of-enough-length-123")
    check = TokenCheck.for_resource(settings, AUD)
    assert check.issuer == ISS
    scopes = ["catalog:read", "shopper:read"]
    token = mint_for(settings, agent="shopbot", scopes=scopes, shopper_id="s1")
    verifier = StorefrontTokenVerifier(check)
    access = anyio.run(verifier.verify_token, token)
    assert access is not None
    assert (access.client_id, access.subject, access.resource) == ("shopbot", "s1", AUD)
    assert anyio.run(verifier.verify_token, token[:-2]) is None
    other = TokenCheck.for_resource(settings, "http://127.0.0.1:8765/other")
    assert anyio.run(StorefrontTokenVerifier(other).verify_token, token) is None
    actor = AgentIdentity.of(check.verify(token)).actor()
    assert (actor.kind, actor.id, actor.on_behalf_of) == ("external_agent", "shopbot", "s1")
    assert actor.scopes == ("catalog:read", "shopper:read")


def test_the_stdio_identity_comes_from_a_flag_or_the_settings() -> None:
    settings = Settings(secret_key="a-test-secret-of-enough-length-123")
    assert stdio_identity(settings) is None
    token = mint_for(settings, agent="local", scopes=["catalog:read"])
    local = stdio_identity(settings, token)
    assert local is not None and local.expires_at is not None
    assert (local.agent, local.scopes, local.shopper_id) == ("local", {"catalog:read"}, None)
    configured = Settings(
        secret_key="a-test-secret-of-enough-length-123", storefront={"stdio_token": token}
    )
    assert stdio_identity(configured) == local
    with pytest.raises(TokenError, match="bad_signature"):
        stdio_identity(Settings(secret_key="another-secret-of-enough-length-123"), token)


def test_token_buckets_allow_a_burst_then_the_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(RateLimit(per_minute=60, burst=3), clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # per agent
    now[0] = 1.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_the_token_command_mints_a_verifiable_token() -> None:
    runner = CliRunner()
    assert "storefront" in server_names()
    args = ["mcp", "token", "--agent", "shopbot", "--scopes", "catalog:read,cart:write"]
    result = runner.invoke(app, [*args, "--shopper", "s1", "--ttl-minutes", "5"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    claims = TokenCheck.for_resource(Settings(), AUD).verify(token)
    assert (claims.agent, claims.sub, claims.exp - claims.iat) == ("shopbot", "s1", 300)
    assert claims.scopes == ("cart:write", "catalog:read")
    refused = runner.invoke(app, args)  # cart:write without a shopper
    assert refused.exit_code == 2 and "missing_shopper" in refused.output
    served = runner.invoke(app, ["mcp", "serve", "storefront", "--token", token[:-3] + "AAA"])
    assert served.exit_code == 2 and "token refused" in served.output


def test_prod_mode_refuses_a_plain_http_resource_that_is_not_loopback() -> None:
    prod: dict[str, Any] = {
        "mode": "prod",
        "secret_key": "x" * 40,
        "store": {"postal_address": "1 Real Street, Springfield"},
    }
    with pytest.raises(UnsafeSettingError, match=r"storefront\.resource_url"):
        Settings(**prod, storefront={"resource_url": "http://shop.example/mcp"})
    for fine in ("https://shop.example/mcp", "http://127.0.0.1:8765/mcp", None):
        assert Settings(**prod, storefront={"resource_url": fine}).storefront.resource_url == fine
    with pytest.raises(ValueError, match="resource_url"):
        Settings(storefront={"resource_url": "ftp://shop.example/mcp"})

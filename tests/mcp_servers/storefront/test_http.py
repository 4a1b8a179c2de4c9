"""The storefront over streamable HTTP on 127.0.0.1: every way a request is refused, and the
official MCP client doing an agent's work with a bearer token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from config import Settings
from mcp_servers.storefront.identity import mint_for
from tests.mcp_servers.storefront.conftest import (
    EVERY_SCOPE,
    JACKET,
    SHOPPER,
    Running,
    call,
    error,
)
from tests.orchestrator.demo import rows
from tools.store.types import utcnow

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw", "version": "1"},
    },
}
JSON = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def _post(
    served: Running, token: str | None, body: Any = INITIALIZE, **headers: str
) -> httpx.Response:
    auth = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.post(served.url, json=body, headers={**JSON, **auth, **headers}, timeout=30)


@asynccontextmanager
async def _client(served: Running, token: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http,
        Client(streamable_http_client(served.url, http_client=http)) as client,
    ):
        yield client


def test_no_token_is_challenged_with_the_resource_metadata(served: Running) -> None:
    response = _post(served, None)
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    metadata_url = f"{served.origin}/.well-known/oauth-protected-resource/mcp"
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge
    assert f'resource_metadata="{metadata_url}"' in challenge
    metadata = httpx.get(metadata_url, timeout=30).json()
    assert metadata["resource"] == served.url
    assert metadata["authorization_servers"] == [served.origin + "/"]
    assert metadata["scopes_supported"] == list(EVERY_SCOPE)
    assert metadata["bearer_methods_supported"] == ["header"]


@pytest.mark.parametrize(
    "case", ["another resource", "another secret", "expired", "garbage", "not bearer"]
)
def test_tokens_not_for_this_resource_get_401(served: Running, case: str) -> None:
    tokens = {
        "another resource": served.token("bot", audience="http://127.0.0.1:1/mcp"),
        "another secret": mint_for(
            Settings(secret_key="another-secret-of-enough-length-123"),
            agent="bot",
            scopes=EVERY_SCOPE,
            shopper_id=SHOPPER,
            audience=served.url,
        ),
        "expired": served.token("bot", now=utcnow() - timedelta(hours=2)),
        "garbage": "cst1.e30.AAAA",
    }
    if case == "not bearer":
        response = httpx.post(
            served.url, json=INITIALIZE, headers={**JSON, "authorization": "Basic Ym90OmJvdA=="}
        )
    else:
        response = _post(served, tokens[case])
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_token_without_the_base_scope_gets_403(served: Running) -> None:
    response = _post(served, served.token("quoter", "price:quote", shopper_id=None))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert "catalog:read" in response.json()["error_description"]


def test_foreign_origins_and_hosts_and_big_bodies_are_refused(served: Running) -> None:
    token = served.token("guarded")
    assert _post(served, token, origin="http://evil.example").status_code == 403
    assert _post(served, token, origin="null").status_code == 403
    assert _post(served, token, host="evil.example").status_code == 421
    assert _post(served, token, origin=served.origin).status_code == 200
    big = {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "x" * 70_000}}
    assert _post(served, token, big).status_code == 413


def test_a_session_belongs_to_the_token_that_opened_it(served: Running) -> None:
    opened = _post(served, served.token("owner"))
    assert opened.status_code == 200
    session = opened.headers["mcp-session-id"]
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
    hijack = {"mcp-session-id": session, "mcp-protocol-version": "2025-06-18"}
    for intruder in (served.token("intruder"), served.token("owner", shopper_id="shopper-000003")):
        assert _post(served, intruder, listing, **hijack).status_code == 404


def test_an_agent_over_its_rate_gets_429(served: Running) -> None:
    token = served.token("hasty")
    codes = [_post(served, token, {"jsonrpc": "2.0", "method": "x"}).status_code for _ in range(25)]
    assert 429 in codes and codes[0] != 429
    limited = _post(served, token)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert _post(served, served.token("patient")).status_code == 200  # others are not slowed


def test_an_agent_shops_with_the_official_client(served: Running) -> None:
    token = served.token("shopbot")

    async def main() -> dict[str, Any]:
        async with _client(served, token) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert {"search_products", "propose_cart", "personal_picks"} <= names
            found = await call(client, "search_products", {"query": "waterproof jacket", "k": 3})
            assert found["products"]
            picks = await call(client, "personal_picks", {"k": 3})
            assert picks["effect"] in ("approve", "modify") and picks["items"]
            ok = await call(client, "propose_cart", {"lines": [{"sku": JACKET, "quantity": 1}]})
            assert ok["effect"] == "approve"
            low = {"lines": [{"sku": JACKET, "quantity": 1, "unit_price_cents": 9999}]}
            denied = await call(client, "propose_cart", low)
            assert denied["effect"] == "deny"
            assert [r["code"] for r in denied["reasons"]] == ["CART_PRICE_NOT_CURRENT"]
            categories = await client.read_resource("storefront://categories")
            assert "apparel" in getattr(categories.contents[0], "text", "")
            return ok

    approved = anyio.run(main)
    logged = rows(served.settings, "SELECT * FROM audit_records WHERE actor = 'shopbot'")
    assert len(logged) == 3
    text = repr(logged)
    assert token not in text and token.split(".")[2] not in text  # the token went nowhere
    assert approved["decision_id"] in text


def test_scopes_spend_and_ownership_over_http(served: Running) -> None:
    reader = served.token("reader", "catalog:read", shopper_id=None)
    spender = served.token("http-spender")

    async def main() -> None:
        async with _client(served, reader) as client:
            assert "insufficient_scope" in await error(client, "get_quote", {"sku": JACKET})
            cart = {"lines": [{"sku": JACKET, "quantity": 1}]}
            assert "insufficient_scope" in await error(client, "propose_cart", cart)
        async with _client(served, spender) as client:
            first = await call(client, "propose_cart", {"lines": [{"sku": JACKET, "quantity": 4}]})
            second = await call(client, "propose_cart", {"lines": [{"sku": JACKET, "quantity": 1}]})
            assert (first["effect"], second["effect"]) == ("approve", "deny")
            assert [r["code"] for r in second["reasons"]] == ["SPEND_LIMIT_EXCEEDED"]
        async with _client(served, served.token("someone-else")) as client:
            args = {"decision_id": first["decision_id"]}
            assert "no proposal" in await error(client, "proposal_status", args)

    anyio.run(main)

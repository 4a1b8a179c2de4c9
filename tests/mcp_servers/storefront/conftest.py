"""A demo store for the storefront, agent identities and tokens for it, and the server over
streamable HTTP on a free port of 127.0.0.1 (uvicorn in a thread, stopped after the module)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from mcp import Client
from sqlalchemy import text

from config import Settings
from mcp_servers.storefront.http_app import storefront_app
from mcp_servers.storefront.identity import AgentIdentity, mint_for
from tests.orchestrator.demo import copy_of, engine_of, hashing_encoder

SHOPPER = "shopper-000006"
"""Consented to personalisation (set by the fixture)."""
OTHER_SHOPPER = "shopper-000003"
"""Did not consent."""
EVERY_SCOPE = ("catalog:read", "price:quote", "shopper:read", "cart:write")
JACKET = "SKU-0000001"
"""$209.99, well stocked."""


def consent(settings: Settings, shopper_id: str) -> None:
    """Record the shopper's consent to personalisation, as the store keeps it."""
    with engine_of(settings) as engine, engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE shoppers SET preferences = "
                "json_set(preferences, '$.personalization_consent', json('true')) WHERE id = :id"
            ),
            {"id": shopper_id},
        )


def identity(agent: str, *scopes: str, shopper_id: str | None = SHOPPER) -> AgentIdentity:
    """An agent acting for a shopper with the given scopes (all of them by default)."""
    return AgentIdentity(
        agent=agent, scopes=frozenset(scopes or EVERY_SCOPE), shopper_id=shopper_id
    )


async def call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    """A tool's structured result; fails the test on a tool error."""
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def error(client: Client, tool: str, args: dict[str, Any]) -> str:
    """A tool error's text; fails the test if the call succeeds."""
    result = await client.call_tool(tool, args)
    assert result.is_error, result.structured_content
    return " ".join(getattr(c, "text", "") for c in result.content)


@pytest.fixture(scope="module")
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A copy of the demo store for this module, SHOPPER consenting (hashing text encoder)."""
    with hashing_encoder():
        settings = copy_of(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1])
        consent(settings, SHOPPER)
        yield settings


@dataclass(frozen=True)
class Running:
    """The storefront served over HTTP: its settings and MCP endpoint."""

    settings: Settings
    url: str
    origin: str

    def token(self, agent: str, *scopes: str, shopper_id: str | None = SHOPPER, **kw: Any) -> str:
        """A token for this server."""
        return mint_for(
            self.settings,
            agent=agent,
            scopes=scopes or EVERY_SCOPE,
            shopper_id=shopper_id,
            audience=kw.pop("audience", self.url),
            **kw,
        )


@pytest.fixture(scope="module")
def served(store: Settings) -> Iterator[Running]:
    """The storefront on a free port of 127.0.0.1, with small limits, until the module ends."""
    limits = store.storefront.model_copy(
        update={"rate_limit": store.storefront.rate_limit.model_copy(update={"burst": 20})}
    )
    settings = store.model_copy(update={"storefront": limits})
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = storefront_app(settings, host="127.0.0.1", port=port)
    config = uvicorn.Config(
        app, ws="none", http="h11", lifespan="on", log_config=None, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield Running(settings, f"http://127.0.0.1:{port}/mcp", f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "the server did not stop"

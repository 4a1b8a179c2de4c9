"""The storefront alone over stdio: a local agent whose identity is the token in its settings."""

from __future__ import annotations

import anyio
from mcp import Client

from config import Settings
from mcp_servers.storefront.identity import mint_for
from tests.mcp_servers.conftest import stdio_params
from tests.mcp_servers.storefront.conftest import JACKET, SHOPPER, call, error
from tests.orchestrator.demo import rows


def test_over_stdio_the_identity_is_the_configured_token(store: Settings) -> None:
    token = mint_for(
        store, agent="local-bot", scopes=["catalog:read", "cart:write"], shopper_id=SHOPPER
    )
    params = stdio_params("mcp_servers.storefront", store)
    assert params.env is not None
    params.env["CONCIERGE_STOREFRONT__STDIO_TOKEN"] = token

    async def main() -> None:
        async with Client(params) as client:
            product = await call(client, "get_product", {"sku": JACKET})
            assert product["price_cents"] == 20999
            cart = await call(client, "propose_cart", {"lines": [{"sku": JACKET, "quantity": 1}]})
            assert cart["effect"] == "approve"
            assert "insufficient_scope" in await error(client, "get_quote", {"sku": JACKET})

    anyio.run(main)
    logged = rows(store, "SELECT actor, effect FROM audit_records WHERE actor = 'local-bot'")
    assert logged == [("local-bot", "approve")]

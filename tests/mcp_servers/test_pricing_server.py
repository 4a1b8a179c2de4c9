from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from config import Settings
from mcp_servers.pricing.server import create_server
from mcp_servers.registry import build_server, server_names
from tests.mcp_servers.conftest import stdio_params
from tests.tools.pricing.seed import seed_pricing
from tools.exceptions import StoreError
from tools.pricing import Quote, honour_quote
from tools.store import Offer

AT = "2026-11-01T10:00:00+00:00"


@pytest.fixture
def pricing_settings(sqlite_engine: Engine, sqlite_url: str, tmp_path: Any) -> Settings:
    """Settings pointing at a SQLite file with the pricing fixtures."""
    seed_pricing(sqlite_engine)
    return Settings(database_url=sqlite_url, data_dir=tmp_path)


async def _call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


async def _error(client: Client, tool: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error
    text = getattr(result.content[0], "text", "")
    assert isinstance(text, str)
    return text


def test_tools_are_listed_read_only(pricing_settings: Settings) -> None:
    assert "pricing" in server_names()

    async def main() -> None:
        async with Client(build_server("pricing", pricing_settings)) as client:
            tools = (await client.list_tools()).tools
        assert sorted(t.name for t in tools) == ["explain", "propose_offer", "quote"]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        assert all(t.description and t.output_schema for t in tools)

    anyio.run(main)


def test_every_tool_in_memory(pricing_settings: Settings, sqlite_engine: Engine) -> None:
    session_args = {
        "sku": "SER-5",
        "shopper_id": "thrifty",
        "companion_sku": "TONER",
        "purchase_propensity": 0.3,
    }

    async def main() -> dict[str, Any]:
        async with Client(create_server(pricing_settings)) as client:
            decision = await _call(client, "propose_offer", session_args)
            assert decision["sku"] == "SER-5" and decision["options"][0]["key"] == "none"
            best = max(o["expected_margin_cents"] for o in decision["options"])
            assert decision["chosen"]["expected_margin_cents"] == best
            assert decision["price_sensitivity"] > 0.5
            explanation = await _call(client, "explain", session_args)
            assert explanation["chosen"] == decision["chosen"]["key"]
            assert explanation["decision_id"] == decision["decision_id"]
            verdicts = {o["key"]: o["verdict"] for o in explanation["options"]}
            assert verdicts[decision["chosen"]["key"]] == "chosen"
            plain = await _call(client, "quote", {"sku": "SER-5", "at": AT})
            assert plain["price_cents"] == 3800 and plain["offer"] == "none"
            assert plain["expires_at"] == "2026-11-01T10:30:00Z"
            return await _call(
                client, "quote", {**session_args, "with_offer": True, "at": AT, "ttl_minutes": 5}
            )

    offer = anyio.run(main)
    quote = Quote.model_validate(offer)
    assert quote.offer == "free_shipping" or quote.price_cents < 3800 or quote.offer == "bundle"
    assert quote.decision_id is not None
    assert honour_quote(quote=quote, now=quote.created_at) == quote.price_cents
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(Offer)).one() == 0  # nothing written


def test_bad_input_is_a_tool_error_and_the_server_stays_up(pricing_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(pricing_settings)) as client:
            assert "unknown sku 'NOPE'" in await _error(client, "propose_offer", {"sku": "NOPE"})
            assert "unknown sku 'NOPE'" in await _error(client, "quote", {"sku": "NOPE"})
            assert "unknown shopper" in await _error(
                client, "explain", {"sku": "SER-1", "shopper_id": "ghost"}
            )
            assert "timezone-aware" in await _error(
                client, "quote", {"sku": "SER-1", "at": "2026-11-01T10:00:00"}
            )
            assert "greater than or equal to 1" in await _error(
                client, "propose_offer", {"sku": "SER-1", "quantity": 0}
            )
            await _error(client, "propose_offer", {"sku": "SER-1", "purchase_propensity": 2})
            assert "companion" in await _error(
                client, "propose_offer", {"sku": "SER-1", "companion_sku": "SER-1"}
            )
            decision = await _call(client, "propose_offer", {"sku": "MYSTERY"})
            assert {o["kind"] for o in decision["options"]} <= {"none", "free_shipping"}

    anyio.run(main)


def test_arguments_outside_the_schema_never_reach_pricing(pricing_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(pricing_settings)) as client:
            plain = await _call(client, "propose_offer", {"sku": "SER-3", "shopper_id": "lavish"})
            for extra in ({"gender": "f"}, {"age": 71}, {"ethnicity": "x"}):
                args = {"sku": "SER-3", "shopper_id": "lavish", **extra}
                assert await _call(client, "propose_offer", args) == plain

    anyio.run(main)


def test_over_stdio(pricing_settings: Settings) -> None:
    async def main() -> None:
        async with Client(stdio_params("mcp_servers.pricing", pricing_settings)) as client:
            assert "unknown sku" in await _error(client, "quote", {"sku": "NOPE"})
            quote = await _call(client, "quote", {"sku": "SER-0", "at": AT})
            assert quote["price_cents"] == 1000

    anyio.run(main)


def test_a_store_without_schema_is_refused_at_startup(sqlite_url: str) -> None:
    async def main() -> None:
        async with Client(create_server(Settings(database_url=sqlite_url))):
            pass  # pragma: no cover

    with pytest.raises(StoreError, match="no store at"):
        anyio.run(main)

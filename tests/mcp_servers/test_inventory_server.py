from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from config import Settings
from mcp_servers.inventory.server import create_server
from mcp_servers.registry import build_server
from tests.mcp_servers.conftest import stdio_params
from tools.exceptions import StoreError
from tools.store import Hold

NOON_NY = "2025-06-10T12:00:00-04:00"


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


def test_tools_are_listed_read_only(inventory_settings: Settings) -> None:
    async def main() -> None:
        async with Client(build_server("inventory", inventory_settings)) as client:
            tools = (await client.list_tools()).tools
        names = sorted(t.name for t in tools)
        assert names == [
            "availability",
            "fulfilment_options",
            "plan_hold",
            "refresh_index",
            "stock_signal",
            "substitutes",
        ]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        assert all(t.description and t.output_schema for t in tools)

    anyio.run(main)


def test_every_tool_in_memory(inventory_settings: Settings, sqlite_engine: Engine) -> None:
    async def main() -> None:
        async with Client(create_server(inventory_settings)) as client:
            stock = await _call(client, "availability", {"sku": "M2", "at": NOON_NY})
            assert stock["total_available"] == 51
            plan = await _call(
                client, "fulfilment_options", {"sku": "M2", "shopper_id": "ana", "at": NOON_NY}
            )
            assert [o["kind"] for o in plan["options"]] == ["same_day_pickup", "pickup", "ship"]
            assert plan["options"][0]["ready_at_local"] == "2025-06-10T14:00:00-04:00"
            subs = await _call(client, "substitutes", {"sku": "M1", "at": NOON_NY})
            assert [s["sku"] for s in subs["substitutes"]] == ["M2", "M6", "M4", "M5"]
            signals = await _call(client, "stock_signal", {"skus": ["M1", "M2"]})
            assert [s["level"] for s in signals["result"]] == ["out", "normal"]
            hold = await _call(
                client,
                "plan_hold",
                {"sku": "M2", "location_id": "NYC", "quantity": 2, "at": NOON_NY},
            )
            assert hold["available"] == 3 and hold["ttl_seconds"] == 7200
            info = await _call(client, "refresh_index", {})
            assert info["skus"] == 8

    anyio.run(main)
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(Hold)).one() == 0  # nothing written


def test_bad_input_is_a_tool_error_and_the_server_stays_up(inventory_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(inventory_settings)) as client:
            assert "unknown sku 'NOPE'" in await _error(client, "availability", {"sku": "NOPE"})
            assert "must be at least 1" in await _error(
                client, "plan_hold", {"sku": "M2", "location_id": "NYC", "quantity": -1}
            )
            bad_zone = {"sku": "M2", "destination": {"timezone": "Mars/Olympus"}}
            assert "unknown IANA timezone" in await _error(client, "fulfilment_options", bad_zone)
            assert "timezone" in await _error(
                client, "availability", {"sku": "M2", "at": "2025-06-10T12:00:00"}
            )
            assert "only 3" in await _error(
                client, "plan_hold", {"sku": "M2", "location_id": "NYC", "quantity": 9}
            )
            await _error(client, "substitutes", {"sku": "M1", "limit": "many"})
            assert "unknown shopper" in await _error(
                client, "fulfilment_options", {"sku": "M2", "shopper_id": "zed"}
            )
            stock = await _call(client, "availability", {"sku": "M2"})
            assert stock["total_available"] == 51

    anyio.run(main)


def test_over_stdio(inventory_settings: Settings) -> None:
    async def main() -> None:
        async with Client(stdio_params("mcp_servers.inventory", inventory_settings)) as client:
            assert "unknown sku" in await _error(client, "availability", {"sku": "NOPE"})
            subs = await _call(client, "substitutes", {"sku": "M1", "limit": 2})
            assert [s["sku"] for s in subs["substitutes"]] == ["M2", "M6"]

    anyio.run(main)


def test_a_store_without_schema_is_refused_at_startup(sqlite_url: str) -> None:
    async def main() -> None:
        async with Client(create_server(Settings(database_url=sqlite_url))):
            pass  # pragma: no cover

    with pytest.raises(StoreError, match="no store at"):
        anyio.run(main)

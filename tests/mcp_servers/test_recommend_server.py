"""The recommend server through a real MCP client: in memory, and alone over stdio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from config import Settings
from mcp_servers.recommend.server import create_server
from mcp_servers.registry import build_server, server_names
from tests.mcp_servers.conftest import stdio_params
from tests.tools.recommend.demo import FAKE, REFERENCE, build_demo, demo_url
from tools.recommend import open_engine
from tools.store import make_engine

SHOPPER = "shopper-000004"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    demo = build_demo(tmp_path_factory.mktemp("recommend-server"), skus=800, shoppers=150)
    db = make_engine(demo_url(demo))
    open_engine(db, data_dir=demo, encoder=FAKE)  # fitted once; every server start reads it
    db.dispose()
    return Settings(database_url=demo_url(demo), data_dir=demo)


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


def test_registered_and_every_tool_is_read_only(settings: Settings) -> None:
    assert {"recommend", "profile"} <= set(server_names())

    async def main() -> None:
        server = create_server(settings, encoder=FAKE)
        async with Client(server) as client:
            tools = (await client.list_tools()).tools
        assert sorted(t.name for t in tools) == [
            "bought_together",
            "rank_candidates",
            "recommend_for_shopper",
            "refresh_stock",
            "similar_items",
        ]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        assert all(t.description and t.output_schema for t in tools)
        assert build_server("recommend", settings).name == "recommend"

    anyio.run(main)


def test_every_tool_in_memory(settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(settings, encoder=FAKE)) as client:
            picks = await _call(
                client, "recommend_for_shopper", {"shopper_id": SHOPPER, "k": 5, "at": REFERENCE}
            )
            assert len(picks["items"]) == 5 and all(i["reasons"] for i in picks["items"])
            assert picks["strategy"] == "personal" and picks["model_version"].startswith("rec-")
            sku = picks["items"][0]["sku"]
            similar = await _call(client, "similar_items", {"sku": sku, "k": 3})
            assert similar["sku"] == sku and 0 < len(similar["items"]) <= 3
            together = await _call(client, "bought_together", {"skus": [sku], "k": 3})
            assert together["skus"] == [sku] and isinstance(together["items"], list)
            given = [i["sku"] for i in picks["items"]][::-1]
            ranked = await _call(
                client, "rank_candidates", {"skus": given, "shopper_id": SHOPPER, "k": 3}
            )
            assert {i["sku"] for i in ranked["items"]} <= set(given) and len(ranked["items"]) == 3
            again = await _call(
                client, "recommend_for_shopper", {"shopper_id": SHOPPER, "k": 5, "at": REFERENCE}
            )
            assert again == picks  # same inputs, same answer
            snapshot = await _call(client, "refresh_stock", {"at": REFERENCE})
            assert snapshot["taken_at"].startswith("2026-11-01") and snapshot["not_normal"]

    anyio.run(main)


def test_bad_input_is_a_tool_error_and_the_server_stays_up(settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(settings, encoder=FAKE)) as client:
            assert "unknown shopper 'zed'" in await _error(
                client, "recommend_for_shopper", {"shopper_id": "zed"}
            )
            assert "unknown sku 'NOPE'" in await _error(client, "similar_items", {"sku": "NOPE"})
            assert "unknown sku 'NOPE'" in await _error(
                client, "bought_together", {"skus": ["NOPE"]}
            )
            await _error(client, "recommend_for_shopper", {"shopper_id": SHOPPER, "k": 0})
            await _error(client, "rank_candidates", {"skus": []})
            assert "timezone" in await _error(
                client,
                "recommend_for_shopper",
                {"shopper_id": SHOPPER, "at": "2026-11-01T00:00:00"},
            )
            picks = await _call(client, "recommend_for_shopper", {"shopper_id": SHOPPER, "k": 2})
            assert len(picks["items"]) == 2

    anyio.run(main)


def test_a_store_without_schema_is_refused_at_startup(tmp_path: Path) -> None:
    empty = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", data_dir=tmp_path)

    async def main() -> None:
        async with Client(create_server(empty, encoder=FAKE)) as client:
            await client.list_tools()

    with pytest.raises(Exception, match="concierge init"):
        anyio.run(main)


def test_over_stdio(tmp_path: Path) -> None:
    demo = build_demo(tmp_path, skus=300, shoppers=40)
    settings = Settings(database_url=demo_url(demo), data_dir=demo)

    async def main() -> None:
        async with Client(stdio_params("mcp_servers.recommend", settings)) as client:
            assert "unknown sku" in await _error(client, "similar_items", {"sku": "NOPE"})
            picks = await _call(
                client, "recommend_for_shopper", {"shopper_id": "shopper-000001", "k": 3}
            )
            assert len(picks["items"]) == 3

    anyio.run(main)
    assert (demo / "embeddings").is_dir()  # the real encoder embedded the catalog once

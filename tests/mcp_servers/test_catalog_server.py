from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from config import Settings
from mcp_servers.catalog.server import create_server
from tests.mcp_servers.conftest import stdio_params
from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store


@pytest.fixture(scope="module")
def catalog_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("catalog")
    url = f"sqlite:///{data_dir / 'concierge.db'}"
    spec = DemoSpec(seed=7, skus=300, shoppers=20)
    build_demo_store(url=url, truth_path=data_dir / TRUTH_FILE_NAME, spec=spec)
    return Settings(database_url=url, data_dir=data_dir)


async def _call(client: Client, name: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def _error(client: Client, name: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(name, args)
    assert result.is_error
    return " ".join(getattr(c, "text", "") for c in result.content)


def test_search_honours_filters_and_returns_facts(catalog_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(catalog_settings)) as client:
            filters = {"category": "beauty", "max_price_cents": 3000}
            found = await _call(
                client, "search_products", {"query": "moisturizer", "filters": filters, "k": 5}
            )
            assert found["hits"]
            for hit in found["hits"]:
                assert hit["category"].startswith("beauty")
                assert hit["list_price_cents"] <= 3000
            first = found["hits"][0]["sku"]
            product = await _call(client, "get_product", {"sku": first})
            assert product["sku"] == first and "unit_cost_cents" not in product

    anyio.run(main)


def test_understand_and_search_applies_the_parsed_budget(catalog_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(catalog_settings)) as client:
            text = "fragrance-free moisturizer for sensitive skin under $30"
            understood = await _call(client, "understand_and_search", {"text": text, "k": 5})
            assert understood["intent"]["budget"]["max_cents"] == 3000
            assert understood["result"]["filters"]["max_price_cents"] == 3000
            assert understood["result"]["hits"]
            assert all(h["list_price_cents"] <= 3000 for h in understood["result"]["hits"])
            vague = await _call(client, "understand_and_search", {"text": "something"})
            assert vague["clarification"]

    anyio.run(main)


def test_bad_input_is_an_error_and_the_server_stays_up(catalog_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(catalog_settings)) as client:
            assert "no product" in await _error(client, "get_product", {"sku": "NOPE"})
            assert "k must be" in await _error(client, "search_products", {"k": 0})
            bad = {"filters": {"min_price_cents": 50, "max_price_cents": 10}}
            assert "above" in await _error(client, "search_products", bad)
            vocabulary = await _call(client, "vocabulary", {})
            assert len(vocabulary["categories"]) >= 12 and vocabulary["brands"]

    anyio.run(main)


def test_over_stdio(catalog_settings: Settings) -> None:
    async def main() -> None:
        async with Client(stdio_params("mcp_servers.catalog", catalog_settings)) as client:
            intent = await _call(client, "parse_query", {"text": "vegan shampoo under 20 dollars"})
            assert intent["budget"]["max_cents"] == 2000

    anyio.run(main)

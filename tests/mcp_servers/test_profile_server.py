"""The profile server through a real MCP client: profiles, explanations, preference proposals."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from sqlmodel import Session

from config import Settings
from mcp_servers.profile.server import create_server
from tests.tools.recommend.demo import FAKE, build_demo, demo_url
from tools.recommend import open_engine
from tools.store import Shopper, make_engine


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    demo = build_demo(tmp_path_factory.mktemp("profile-server"), skus=800, shoppers=150)
    db = make_engine(demo_url(demo))
    open_engine(db, data_dir=demo, encoder=FAKE)
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


def test_profiles_and_their_explanations(settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(settings, encoder=FAKE)) as client:
            tools = (await client.list_tools()).tools
            assert sorted(t.name for t in tools) == ["get_profile", "record_preference"]
            assert all(t.annotations and t.annotations.read_only_hint for t in tools)
            profile = await _call(client, "get_profile", {"shopper_id": "shopper-000002"})
            assert profile["known"] and profile["departments"] and profile["explanation"]
            assert {"price", "departments"} <= {line["about"] for line in profile["explanation"]}
            assert profile["taste"]["dimension"] == 96

    anyio.run(main)


def test_recording_a_preference_only_proposes_it(settings: Settings) -> None:
    db = make_engine(settings.resolved_database_url)
    with Session(db) as session:
        shopper = session.get(Shopper, "shopper-000003")
        assert shopper is not None
        before = dict(shopper.preferences)

    async def main() -> None:
        async with Client(create_server(settings, encoder=FAKE)) as client:
            change = {"key": "budget", "op": "set", "value": "premium"}
            proposal = await _call(
                client, "record_preference", {"shopper_id": "shopper-000003", "changes": [change]}
            )
            assert proposal["changes"]["budget"] == "premium"
            assert proposal["action_kind"] == "update_preferences"
            assert "unknown value 'Nobody'" in await _error(
                client,
                "record_preference",
                {"shopper_id": "shopper-000003", "changes": [{"key": "brands", "value": "Nobody"}]},
            )
            assert "unknown shopper" in await _error(
                client, "record_preference", {"shopper_id": "zed", "changes": [change]}
            )
            assert "give a shopper_id" in await _error(client, "get_profile", {})
            assert "unknown shopper" in await _error(client, "get_profile", {"shopper_id": "zed"})
            profile = await _call(client, "get_profile", {"shopper_id": "shopper-000003"})
            assert profile["shopper_id"] == "shopper-000003"

    anyio.run(main)
    with Session(db) as session:
        shopper = session.get(Shopper, "shopper-000003")
        assert shopper is not None and shopper.preferences == before  # nothing written
    db.dispose()

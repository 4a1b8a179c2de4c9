from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from config import Settings
from mcp_servers.messaging.server import create_server
from mcp_servers.registry import build_server
from tests.mcp_servers.conftest import stdio_params
from tools.exceptions import StoreError
from tools.store import OutboxMessage

MORNING_NY = "2025-06-10T10:00:00-04:00"


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


def test_tools_are_listed_read_only(messaging_settings: Settings) -> None:
    async def main() -> None:
        async with Client(build_server("messaging", messaging_settings)) as client:
            tools = (await client.list_tools()).tools
        assert sorted(t.name for t in tools) == [
            "choose_channel",
            "detect_opt_out",
            "frequency",
            "plan_message",
        ]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)

    anyio.run(main)


def test_every_tool_in_memory(messaging_settings: Settings, sqlite_engine: Engine) -> None:
    async def main() -> None:
        async with Client(create_server(messaging_settings)) as client:
            choice = await _call(client, "choose_channel", {"shopper_id": "ben", "at": MORNING_NY})
            assert choice["channel"] == "push"
            offer = {
                "kind": "percent_off",
                "discount_pct": 15,
                "expires_at": "2025-06-15T03:59:00Z",
            }
            args = {
                "shopper_id": "ana",
                "template": "offer",
                "skus": ["P1"],
                "offer": offer,
                "at": MORNING_NY,
            }
            message = await _call(client, "plan_message", args)
            assert message["channel"] == "email"
            assert "Unsubscribe: http://127.0.0.1:8000/unsubscribe?shopper=ana" in message["body"]
            assert messaging_settings.store.postal_address in message["body"]
            sms = await _call(
                client, "plan_message", args | {"channel": "sms", "at": "2025-06-10T23:00:00-04:00"}
            )
            assert sms["send_after_local"] == "2025-06-11T08:00:00-04:00"
            report = await _call(client, "frequency", {"shopper_id": "ana", "days": 7})
            assert report["count"] == 0
            assert (await _call(client, "detect_opt_out", {"text": "STOP"}))["opted_out"] is True

    anyio.run(main)
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_bad_input_is_a_tool_error_and_the_server_stays_up(messaging_settings: Settings) -> None:
    async def main() -> None:
        async with Client(create_server(messaging_settings)) as client:
            assert "unknown shopper 'zed'" in await _error(
                client, "choose_channel", {"shopper_id": "zed"}
            )
            assert "no channel may be used" in await _error(
                client,
                "plan_message",
                {"shopper_id": "dee", "template": "back_in_stock", "skus": ["P1"]},
            )
            assert "opted out" in await _error(
                client,
                "plan_message",
                {
                    "shopper_id": "ben",
                    "template": "back_in_stock",
                    "skus": ["P1"],
                    "channel": "email",
                },
            )
            assert "unknown template" in await _error(
                client, "plan_message", {"shopper_id": "ana", "template": "spam", "skus": ["P1"]}
            )
            await _error(
                client,
                "plan_message",
                {"shopper_id": "ana", "template": "offer", "skus": ["P1"], "channel": "fax"},
            )
            assert "between 1 and 365" in await _error(
                client, "frequency", {"shopper_id": "ana", "days": -3}
            )
            choice = await _call(client, "choose_channel", {"shopper_id": "ana"})
            assert choice["channel"] == "email"

    anyio.run(main)


def test_over_stdio(messaging_settings: Settings) -> None:
    async def main() -> None:
        async with Client(stdio_params("mcp_servers.messaging", messaging_settings)) as client:
            assert "unknown shopper" in await _error(client, "frequency", {"shopper_id": "zed"})
            choice = await _call(client, "choose_channel", {"shopper_id": "eve", "at": MORNING_NY})
            assert choice["channel"] == "sms"

    anyio.run(main)


def test_a_store_without_schema_is_refused_at_startup(sqlite_url: str) -> None:
    async def main() -> None:
        async with Client(create_server(Settings(database_url=sqlite_url))):
            pass  # pragma: no cover

    with pytest.raises(StoreError, match="no store at"):
        anyio.run(main)

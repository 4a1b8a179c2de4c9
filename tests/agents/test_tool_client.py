"""Bounded tool access: allow-list, budget, pinned schemas, failures; every attempt audited."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

from agents.exceptions import ToolCallError, ToolRefused
from agents.tool_client import AgentSpec, BoundedTools
from agents.tool_hub import ToolHub


class Echo(BaseModel):
    text: str
    calls: int


def _server(calls: list[str]) -> MCPServer[Any]:
    server: MCPServer[Any] = MCPServer("toy", log_level="WARNING")

    def echo(text: str) -> Echo:
        """Say it back."""
        calls.append(text)
        return Echo(text=text, calls=len(calls))

    def secret(name: str) -> Echo:
        """A tool no agent is allowed."""
        calls.append(f"secret:{name}")
        return Echo(text=name, calls=len(calls))

    def broken(text: str) -> Echo:
        """Always fails."""
        raise ToolError("the engine said no")

    async def slow(text: str) -> Echo:
        """Takes too long."""
        await anyio.sleep(2)
        return Echo(text=text, calls=len(calls))

    for tool in (echo, secret, broken, slow):
        server.add_tool(tool)
    return server


SPEC = AgentSpec(
    name="tester", tools=frozenset({"toy.echo", "toy.broken", "toy.slow", "toy.gone"}), budget=3
)


def _run(check: Any) -> None:
    async def main() -> None:
        calls: list[str] = []
        server = _server(calls)
        async with ToolHub.open({"toy": server}) as hub:
            await check(hub, server, calls)

    anyio.run(main)


def test_a_call_outside_the_allow_list_is_refused_audited_and_never_reaches_the_server() -> None:
    async def check(hub: ToolHub, server: MCPServer[Any], calls: list[str]) -> None:
        tools = BoundedTools(hub, SPEC)
        with pytest.raises(ToolRefused) as refused:
            await tools.call("toy.secret", {"name": "x"}, Echo)
        assert refused.value.code == "NOT_ALLOWED"
        assert calls == []
        assert [(r.tool, r.outcome, r.code) for r in tools.records] == [
            ("toy.secret", "refused", "NOT_ALLOWED")
        ]

    _run(check)


def test_calls_over_the_budget_are_refused_and_audited() -> None:
    async def check(hub: ToolHub, server: MCPServer[Any], calls: list[str]) -> None:
        tools = BoundedTools(hub, SPEC)
        for word in ("a", "b", "c"):
            assert (await tools.call("toy.echo", {"text": word}, Echo)).text == word
        with pytest.raises(ToolRefused) as refused:
            await tools.call("toy.echo", {"text": "d"}, Echo)
        assert refused.value.code == "OVER_BUDGET"
        assert calls == ["a", "b", "c"]
        assert [r.outcome for r in tools.records] == ["ok", "ok", "ok", "refused"]

    _run(check)


def test_a_tool_whose_schema_changed_since_start_up_is_refused() -> None:
    async def check(hub: ToolHub, server: MCPServer[Any], calls: list[str]) -> None:
        assert hub.offers("toy.echo") and await hub.refresh() == []

        def echo(text: str, shout: bool = False) -> Echo:
            """Say it back, maybe louder."""
            return Echo(text=text.upper() if shout else text, calls=0)

        server.remove_tool("echo")
        server.add_tool(echo)
        assert await hub.refresh() == ["toy.echo"]
        tools = BoundedTools(hub, SPEC)
        with pytest.raises(ToolRefused) as refused:
            await tools.call("toy.echo", {"text": "hi"}, Echo)
        assert refused.value.code == "SCHEMA_CHANGED"
        assert tools.records[0].code == "SCHEMA_CHANGED" and calls == []

    _run(check)


def test_tool_errors_wrong_shapes_timeouts_and_unknown_tools_are_reported() -> None:
    async def check(hub: ToolHub, server: MCPServer[Any], calls: list[str]) -> None:
        tools = BoundedTools(hub, AgentSpec("t", SPEC.tools, budget=10), timeout_s=0.2)
        with pytest.raises(ToolCallError) as failed:
            await tools.call("toy.broken", {"text": "x"}, Echo)
        assert failed.value.code == "TOOL_ERROR" and "the engine said no" in failed.value.reason

        class Other(BaseModel):
            missing: int

        with pytest.raises(ToolCallError) as bad:
            await tools.call("toy.echo", {"text": "x"}, Other)
        assert bad.value.code == "BAD_RESULT"
        with pytest.raises(ToolCallError) as slow:
            await tools.call("toy.slow", {"text": "x"}, Echo)
        assert slow.value.code == "TIMEOUT"
        with pytest.raises(ToolRefused) as gone:
            await tools.call("toy.gone", {}, Echo)
        assert gone.value.code == "UNKNOWN_TOOL"
        codes = [r.code for r in tools.records]
        assert codes == ["TOOL_ERROR", "BAD_RESULT", "TIMEOUT", "UNKNOWN_TOOL"]

    _run(check)

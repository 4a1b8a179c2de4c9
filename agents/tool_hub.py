"""One MCP client session per tool server for the whole process, with every tool's schema pinned.

The hub lists each server's tools when it opens and pins the SHA-256 of every input schema.
`refresh()` lists them again: a tool whose schema differs from its pin (or that disappeared) is
refused from then on, until the process restarts with the new schema pinned deliberately.
Tools are named `server.tool`, e.g. `catalog.search_products`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, Tool

logger = logging.getLogger("agents.tools")


def schema_hash(schema: Mapping[str, Any]) -> str:
    """SHA-256 of a JSON schema in canonical form (sorted keys, no whitespace)."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ToolHub:
    """Open client sessions by server name, the pinned schema of every tool, and drifted tools."""

    def __init__(self, clients: Mapping[str, Client], pins: Mapping[str, str]) -> None:
        self._clients = dict(clients)
        self.pins: dict[str, str] = dict(pins)
        self.drifted: set[str] = set()

    @classmethod
    @asynccontextmanager
    async def open(cls, servers: Mapping[str, MCPServer[Any]]) -> AsyncIterator[ToolHub]:
        """Connect to every server in-process, pin its tools' schemas, close them all on exit."""
        async with AsyncExitStack() as stack:
            clients: dict[str, Client] = {}
            for name, server in sorted(servers.items()):
                client = await stack.enter_async_context(Client(server))
                # Every result is validated by the calling agent into its pydantic type (the type
                # the server's output schema is generated from), so the SDK's second, generic
                # JSON-schema pass over the same data is skipped: it cost ~10 ms per turn.
                setattr(client.session, "validate_tool_result", _validated_by_caller)  # noqa: B010
                clients[name] = client
            pins = {tool: digest for tool, digest in (await _listing(clients)).items()}
            yield cls(clients, pins)

    def offers(self, tool: str) -> bool:
        """Whether a tool was pinned at start-up and has not drifted since."""
        return tool in self.pins and tool not in self.drifted

    def servers(self) -> list[str]:
        """The names of the connected servers."""
        return sorted(self._clients)

    async def refresh(self) -> list[str]:
        """List every server's tools again; returns (and from now refuses) tools that drifted."""
        current = await _listing(self._clients)
        changed = sorted(t for t, pin in self.pins.items() if current.get(t) != pin)
        for tool in changed:
            if tool not in self.drifted:
                logger.warning("tool %s changed its input schema; it is refused from now", tool)
        self.drifted.update(changed)
        return changed

    async def call(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        """Call a pinned tool (callers go through `BoundedTools`, which enforces the limits)."""
        server, _, name = tool.partition(".")
        return await self._clients[server].call_tool(name, arguments)


async def _validated_by_caller(name: str, result: CallToolResult) -> None:
    """Leave result validation to `BoundedTools`, which validates into the agent's type."""


async def _listing(clients: Mapping[str, Client]) -> dict[str, str]:
    found: dict[str, str] = {}
    for server, client in clients.items():
        tools: list[Tool] = []
        cursor: str | None = None
        while True:
            page = await client.list_tools(cursor=cursor, cache_mode="refresh")
            tools.extend(page.tools)
            cursor = page.next_cursor
            if cursor is None:
                break
        for tool in tools:
            found[f"{server}.{tool.name}"] = schema_hash(tool.input_schema)
    return found

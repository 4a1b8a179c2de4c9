"""Run the recommend MCP server alone over stdio: `python -m mcp_servers.recommend`."""

from __future__ import annotations

import anyio

from config import get_settings
from mcp_servers.recommend.server import create_server

if __name__ == "__main__":
    anyio.run(create_server(get_settings()).run_stdio_async)

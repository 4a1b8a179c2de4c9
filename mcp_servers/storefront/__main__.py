"""Run the storefront alone over stdio: `python -m mcp_servers.storefront`.

The agent's identity is the token in CONCIERGE_STOREFRONT__STDIO_TOKEN (`concierge mcp token`).
"""

from __future__ import annotations

import anyio

from config import get_settings
from mcp_servers.storefront.server import stdio_server

if __name__ == "__main__":
    anyio.run(stdio_server(get_settings()).run_stdio_async)

"""Every runnable MCP server by name, imported lazily so listing them costs nothing."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from mcp.server.mcpserver import MCPServer

from config import Settings
from mcp_servers.exceptions import UnknownServerError

ServerFactory = Callable[[Settings], MCPServer[Any]]

# name -> "module:factory"; each factory builds the server from settings.
SERVERS: dict[str, str] = {
    "catalog": "mcp_servers.catalog.server:create_server",
    "inventory": "mcp_servers.inventory.server:create_server",
    "messaging": "mcp_servers.messaging.server:create_server",
    "pricing": "mcp_servers.pricing.server:create_server",
    "profile": "mcp_servers.profile.server:create_server",
    "recommend": "mcp_servers.recommend.server:create_server",
    "storefront": "mcp_servers.storefront.server:stdio_server",
}


def server_names() -> list[str]:
    """The names of the registered servers, sorted."""
    return sorted(SERVERS)


def build_server(name: str, settings: Settings) -> MCPServer[Any]:
    """Build the named server for these settings."""
    target = SERVERS.get(name)
    if target is None:
        raise UnknownServerError(name, server_names())
    module_name, factory_name = target.split(":")
    factory = cast(ServerFactory, getattr(importlib.import_module(module_name), factory_name))
    return factory(settings)

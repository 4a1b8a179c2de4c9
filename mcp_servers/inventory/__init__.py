"""MCP server over the inventory engine."""

from mcp_servers.inventory.server import create_server

__all__ = ["create_server"]

"""MCP server over the messaging engine."""

from mcp_servers.messaging.server import create_server

__all__ = ["create_server"]

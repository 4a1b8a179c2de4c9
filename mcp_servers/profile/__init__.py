"""MCP server over the shopper-profile engine."""

from mcp_servers.profile.server import create_server

__all__ = ["create_server"]

"""MCP server over the recommendation engine."""

from mcp_servers.recommend.server import create_server

__all__ = ["create_server"]

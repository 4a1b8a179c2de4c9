"""Errors of the MCP server layer."""

from __future__ import annotations


class McpServersError(Exception):
    """Root of MCP server errors."""


class UnknownServerError(McpServersError):
    """No MCP server is registered under the requested name."""

    def __init__(self, name: str, known: list[str]) -> None:
        listed = ", ".join(known) or "none"
        super().__init__(f"unknown MCP server {name!r}; known servers: {listed}")
        self.name = name
        self.known = known

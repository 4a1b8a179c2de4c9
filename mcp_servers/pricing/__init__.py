"""MCP server over the pricing engine."""

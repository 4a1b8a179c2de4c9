"""MCP servers: one per engine (thin wrappers over tools/), plus the storefront."""

"""The storefront MCP server: the store as external AI agents see it, behind bearer tokens.

Read-only tools (search, product details, availability, quotes) and proposals (personal picks,
offers, carts) that the policy checker decides on; nothing here writes to the store.
"""

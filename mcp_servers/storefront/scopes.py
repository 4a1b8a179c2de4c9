"""The scopes a storefront token may carry, and which of them act for a shopper."""

from __future__ import annotations

CATALOG_READ = "catalog:read"
PRICE_QUOTE = "price:quote"
SHOPPER_READ = "shopper:read"
CART_WRITE = "cart:write"

SCOPES: dict[str, str] = {
    CATALOG_READ: "search, product details, availability, categories and store policies",
    PRICE_QUOTE: "price quotes, and offers proposed for the token's shopper",
    SHOPPER_READ: "personal picks and home-store fulfilment for the token's shopper",
    CART_WRITE: "carts proposed for the token's shopper",
}
"""Every scope, with what it allows (the protected-resource metadata lists them)."""

SHOPPER_SCOPES = frozenset({SHOPPER_READ, CART_WRITE})
"""Scopes that only make sense in a token naming a shopper."""

BASE_SCOPE = CATALOG_READ
"""The scope every HTTP request needs; without it the server answers 403."""

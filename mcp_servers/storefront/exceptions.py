"""Errors of the storefront server: tokens that are refused, and how it was set up."""

from __future__ import annotations

from typing import Literal

from mcp_servers.exceptions import McpServersError

TokenProblem = Literal[
    "malformed",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "lifetime_too_long",
    "wrong_audience",
    "wrong_issuer",
    "unknown_scope",
    "missing_shopper",
]


class StorefrontError(McpServersError):
    """Root of storefront errors."""


class TokenError(StorefrontError):
    """A bearer token that is refused (or cannot be minted), with the reason as a code."""

    def __init__(self, problem: TokenProblem, detail: str) -> None:
        super().__init__(f"{problem}: {detail}")
        self.problem = problem
        self.detail = detail

"""What the storefront's tools share: the store, the policy gate, the caller's identity, and the
engines that are heavy to open (search index, recommender, pricing models), loaded on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from mcp.server.mcpserver import Context
from sqlalchemy import Engine

import tools.pricing as pricing
import tools.recommend as rec
from config import Settings
from mcp_servers.storefront.gate import ProposalGate
from mcp_servers.storefront.identity import AgentIdentity, caller, require
from policies.pack import Pack
from tools.search import CatalogIndex

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value loaded once, on first use, however many threads ask at the same time."""

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value, loading it if no caller has yet."""
        with self._lock:
            if self._value is None:
                self._value = self._load()
            return self._value


@dataclass
class StorefrontState:
    """The store, the gate, the fixed identity (stdio and in-process) and the lazy engines."""

    engine: Engine
    settings: Settings
    pack: Pack
    gate: ProposalGate
    identity: AgentIdentity | None
    search: Lazy[CatalogIndex]
    recommend: Lazy[rec.RecommendService]
    pricing: Lazy[pricing.PricingContext]


def state_of(ctx: Context[StorefrontState]) -> StorefrontState:
    """The shared state of the server handling this request."""
    return ctx.request_context.lifespan_context


def allowed(ctx: Context[StorefrontState], scope: str, *, shopper: bool = False) -> AgentIdentity:
    """The caller, if it holds the scope (and acts for a shopper when asked); else a tool error."""
    return require(caller(state_of(ctx).identity), scope, shopper=shopper)

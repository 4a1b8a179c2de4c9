"""Small builders of actions' facts for the policy tests, with defaults that pass every rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from policies.actions import ActionBase
from policies.context import (
    ActorFacts,
    ChannelFacts,
    PolicyContext,
    ProductFacts,
    PromotionFacts,
    ShopperFacts,
)
from policies.decision import PolicyDecision
from policies.engine import check
from policies.loader import default_pack
from policies.pack import Pack

NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
"""10:00 in New York (before the DST change of 8 March 2026)."""
SOON = NOW + timedelta(days=3)


def product(sku: str = "p1", **changes: Any) -> ProductFacts:
    """A product with list price 20.00, unit cost 10.00 (floor 10.50), in stock."""
    base: dict[str, Any] = {
        "sku": sku,
        "category": "beauty/skincare",
        "brand": "acme",
        "list_price_cents": 2000,
        "unit_cost_cents": 1000,
        "map_cents": None,
        "lowest_price_30d_cents": 1900,
        "available_units": 10,
        "available_at": {"store-1": 5},
    }
    return ProductFacts(**{**base, **changes})


def shopper(**changes: Any) -> ShopperFacts:
    """Shopper s1 in New York, consenting on email and SMS."""
    base: dict[str, Any] = {
        "id": "s1",
        "timezone": "America/New_York",
        "channels": {"email": ChannelFacts(consent=True), "sms": ChannelFacts(consent=True)},
    }
    return ShopperFacts(**{**base, **changes})


def agent(**changes: Any) -> ActorFacts:
    """The concierge's own agent, acting for s1."""
    return ActorFacts(**{"id": "agent-1", "kind": "agent", "on_behalf_of": "s1", **changes})


def staff(role: str = "merchandiser", scopes: tuple[str, ...] = ("*",)) -> ActorFacts:
    """A staff member with a role and category scopes."""
    return ActorFacts(id=f"{role}-1", kind="staff", role=role, category_scopes=scopes)


def external(*scopes: str, on_behalf_of: str | None = "s1") -> ActorFacts:
    """An external agent with a token's scopes."""
    return ActorFacts(id="ext-1", kind="external_agent", scopes=scopes, on_behalf_of=on_behalf_of)


def promotion(pid: str, **changes: Any) -> PromotionFacts:
    """An active promotion."""
    return PromotionFacts(**{"id": pid, "discount_pct": 10.0, **changes})


def context(
    *products: ProductFacts, actor: ActorFacts | None = None, **changes: Any
) -> PolicyContext:
    """Facts at NOW: an agent acting for shopper s1, and the given products (default: p1)."""
    chosen = products or (product(),)
    base: dict[str, Any] = {
        "now": NOW,
        "actor": actor or agent(),
        "shopper": shopper(),
        "products": {p.sku: p for p in chosen},
    }
    return PolicyContext(**{**base, **changes})


def decide(action: ActionBase, ctx: PolicyContext, pack: Pack | None = None) -> PolicyDecision:
    """The decision of the default pack (or the given one)."""
    return check(action, ctx, pack or default_pack())


def codes(decision: PolicyDecision) -> set[str]:
    """The reason codes of a decision."""
    return {r.code for r in decision.reasons}

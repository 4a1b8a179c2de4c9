"""The facts a decision may use, gathered from the store by the caller before the check.

The checker reads nothing else: the same action and context always give the same decision.
No fact here describes a protected attribute of a shopper.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.actions.base import UTCInstant
from policies.actions.pricing import LoyaltyTier

ActorKind = Literal["shopper", "agent", "staff", "external_agent", "system"]


class _Facts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActorFacts(_Facts):
    """Who proposes the action, as authenticated: never as claimed in a conversation."""

    id: str = Field(min_length=1, max_length=128)
    kind: ActorKind
    role: str = Field(default="", max_length=64, description="Staff role, e.g. merchandiser")
    scopes: tuple[str, ...] = Field(default=(), description="Granted scopes (external agents)")
    category_scopes: tuple[str, ...] = Field(
        default=(), description="Category paths a staff member may change; '*' for all"
    )
    on_behalf_of: str | None = Field(default=None, description="Shopper an agent acts for")


class ChannelFacts(_Facts):
    """One messaging channel of one shopper."""

    consent: bool = False
    inbound_since_consent: tuple[str, ...] = Field(
        default=(), description="Texts the shopper sent on this channel since consenting"
    )
    sent_24h: int = Field(default=0, ge=0, description="Messages sent in the last 24 hours")


class ShopperFacts(_Facts):
    """The shopper an action concerns, as the store records them."""

    id: str = Field(min_length=1, max_length=64)
    loyalty_tier: LoyaltyTier = "none"
    timezone: str = Field(default="UTC", max_length=64, description="IANA timezone name")
    offers_24h: int = Field(default=0, ge=0, description="Offers quoted in the last 24 hours")
    age_verified: bool = False
    personalization_consent: bool = False
    channels: dict[str, ChannelFacts] = Field(default_factory=dict)


class ProductFacts(_Facts):
    """One product an action concerns."""

    sku: str = Field(min_length=1, max_length=64)
    category: str = Field(max_length=200)
    brand: str = Field(default="", max_length=120)
    list_price_cents: int = Field(ge=0)
    unit_cost_cents: int | None = Field(default=None, ge=0, description="None: unknown")
    map_cents: int | None = Field(default=None, ge=0, description="Minimum advertised price")
    lowest_price_30d_cents: int | None = Field(default=None, ge=0)
    list_price_changes_24h: int = Field(default=0, ge=0)
    available_units: int = Field(default=0, ge=0, description="Sellable units, all locations")
    available_at: dict[str, int] = Field(default_factory=dict, description="Units by location")
    age_restricted: bool = False
    regulated: bool = False


class PromotionFacts(_Facts):
    """An active promotion an action refers to."""

    id: str = Field(min_length=1, max_length=64)
    discount_pct: float = Field(gt=0, le=100)
    stackable: bool = False
    loyalty_tiers: tuple[LoyaltyTier, ...] = ()


class PromotionImpact(_Facts):
    """What a proposed promotion would do to the margin of the products it covers."""

    sku_count: int = Field(ge=0)
    skus_below_floor: int = Field(default=0, ge=0, description="Below cost floor or MAP")
    skus_cost_unknown: int = Field(default=0, ge=0)
    margin_before_pct: float = 0.0
    margin_after_pct: float = 0.0


class AgentUsage(_Facts):
    """What the proposing agent has already done (rate and spend limits)."""

    actions_last_minute: int = Field(default=0, ge=0)
    spend_today_cents: int = Field(default=0, ge=0)


class PolicyContext(_Facts):
    """Everything the checker may know when it decides on one action."""

    now: UTCInstant
    actor: ActorFacts
    shopper: ShopperFacts | None = None
    products: dict[str, ProductFacts] = Field(default_factory=dict)
    promotions: dict[str, PromotionFacts] = Field(default_factory=dict)
    promotion_impact: PromotionImpact | None = None
    agent: AgentUsage = AgentUsage()

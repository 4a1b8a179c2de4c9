"""The typed parameters of a rule pack: the thresholds its rules compare against."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PricingParams(_Params):
    """Price floors, discount depths and offer limits."""

    floor_margin: float = Field(ge=0, le=10, description="Floor = unit cost * (1 + this)")
    max_discount_pct: dict[str, float] = Field(
        description="Deepest discount by category path prefix; '*' is the default"
    )
    max_offers_per_24h: int = Field(ge=0)
    max_list_price_changes_per_day: int = Field(ge=0)
    disclosure_text: str = Field(min_length=1)
    tier_rank: dict[str, int] = Field(description="Loyalty tiers in ascending order")

    @model_validator(mode="after")
    def _has_default_depth(self) -> PricingParams:
        if "*" not in self.max_discount_pct:
            raise ValueError("max_discount_pct needs a '*' default")
        return self


class QuietHours(_Params):
    """Local hours in which the listed channels may send; outside them sends are deferred."""

    channels: tuple[str, ...]
    start_hour: int = Field(ge=0, le=23)
    end_hour: int = Field(ge=1, le=24)

    @model_validator(mode="after")
    def _ordered(self) -> QuietHours:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        return self


class MessagingParams(_Params):
    """Consent, opt-out, quiet hours and frequency caps."""

    opt_out_pattern: str = Field(description="RE2 pattern matched against inbound texts")
    quiet_hours: QuietHours
    frequency_caps: dict[str, int] = Field(description="Messages per channel per 24 hours")


class RecommendationParams(_Params):
    """What a list of recommendations may show."""

    max_per_brand: int = Field(ge=1)
    sponsored_label: str = Field(min_length=1)
    regulated_surfaces: tuple[str, ...] = ()


class MerchandisingParams(_Params):
    """Who may change what, and when a human must approve it."""

    permissions: dict[str, tuple[str, ...]] = Field(description="Action or op → allowed roles")
    max_auto_weight: float = Field(ge=0, le=1)
    max_auto_days: int = Field(ge=1)
    price_change_escalation_pct: float = Field(ge=0)
    promotion_margin_drop_escalation_pct: float = Field(ge=0)


class ShoppingParams(_Params):
    """Holds, carts and preferences."""

    max_hold_units: int = Field(ge=1)
    max_hold_minutes: int = Field(ge=1)
    max_line_quantity: int = Field(ge=1)
    protected_preference_keys: tuple[str, ...]


class AgentParams(_Params):
    """External agents: scopes per action kind, rate and spend limits."""

    required_scopes: dict[str, str] = Field(description="Action kind → scope; absent: refused")
    rate_per_minute: int = Field(ge=0)
    daily_spend_cents: int = Field(ge=0)


class PackParams(_Params):
    """All parameters of a pack, one section per domain."""

    pricing: PricingParams
    messaging: MessagingParams
    recommendations: RecommendationParams
    merchandising: MerchandisingParams
    shopping: ShoppingParams
    agents: AgentParams

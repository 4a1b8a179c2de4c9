"""Pricing actions: a price or offer quoted to one shopper, list-price changes, promotions.

The quote carries no field for protected attributes (age, gender, ethnicity, religion, health,
…): a personalised price cannot depend on what the schema cannot hold.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from policies.actions.base import ActionBase, Scope, UTCInstant

OfferKind = Literal["none", "percent_off", "free_shipping", "bundle"]
LoyaltyTier = Literal["none", "silver", "gold", "platinum"]


class QuoteOffer(ActionBase):
    """Quote one shopper a unit price (and optionally an offer) for one sku."""

    kind: Literal["quote_offer"] = "quote_offer"
    shopper_id: str = Field(min_length=1, max_length=64)
    sku: str = Field(min_length=1, max_length=64)
    offer: OfferKind = "none"
    price_cents: int = Field(ge=0, description="Unit price quoted")
    was_price_cents: int | None = Field(
        default=None, ge=0, description="Reference ('was') price shown next to the quote"
    )
    promotion_ids: tuple[str, ...] = Field(default=(), description="Promotions the quote applies")
    required_tier: LoyaltyTier = Field(default="none", description="Loyalty tier the offer needs")
    personalised: bool = Field(default=False, description="Whether the price was personalised")
    disclosure: str = Field(default="", max_length=500, description="Disclosure shown with it")
    expires_at: UTCInstant | None = None


class ChangeListPrice(ActionBase):
    """Change the list price of one sku for everyone."""

    kind: Literal["change_list_price"] = "change_list_price"
    sku: str = Field(min_length=1, max_length=64)
    new_price_cents: int = Field(ge=0)
    note: str = Field(default="", max_length=500)


class CreatePromotion(ActionBase):
    """Create a percentage promotion over a scope for a time window."""

    kind: Literal["create_promotion"] = "create_promotion"
    name: str = Field(min_length=1, max_length=200)
    discount_pct: float = Field(gt=0, le=100)
    scope: Scope
    loyalty_tiers: tuple[LoyaltyTier, ...] = Field(default=(), description="Empty: everyone")
    stackable: bool = False
    starts_at: UTCInstant
    ends_at: UTCInstant

    @model_validator(mode="after")
    def _window(self) -> CreatePromotion:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self

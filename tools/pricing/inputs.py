"""What an offer decision may look at: the schema is the whole of it.

There is deliberately no field for protected attributes (age, gender, ethnicity, religion,
health, …) and every model here refuses unknown fields, so such data cannot reach a price.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

IntentStage = Literal["about_to_buy", "hesitating", "browsing"]
LoyaltyTier = Literal["none", "silver", "gold", "platinum"]
Fulfilment = Literal["ship", "pickup"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SkuFacts(_Strict):
    """The facts about one sku that pricing uses. Money is in integer cents."""

    sku: str = Field(min_length=1, max_length=64)
    category: str = Field(min_length=1, max_length=200, description="Category path")
    brand: str = Field(default="", max_length=120)
    list_price_cents: int = Field(ge=1, description="Current list price")
    unit_cost_cents: int | None = Field(default=None, ge=0, description="None: cost unknown")


class BasketLine(_Strict):
    """Another item already in the cart."""

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100)
    unit_price_cents: int = Field(ge=0)
    unit_cost_cents: int | None = Field(default=None, ge=0, description="None: cost unknown")


class ShippingTerms(_Strict):
    """The store's shipping terms: orders at or above the threshold ship free."""

    free_threshold_cents: int = Field(default=5_000, ge=0, description="Free-shipping threshold")
    fee_cents: int = Field(default=599, ge=0, description="Fee charged below the threshold")
    cost_cents: int = Field(default=550, ge=0, description="What shipping one order costs us")


class PricingInput(_Strict):
    """Everything one offer decision may use."""

    item: SkuFacts = Field(description="The item the offer is about")
    quantity: int = Field(default=1, ge=1, le=100)
    basket: tuple[BasketLine, ...] = Field(default=(), max_length=200, description="Rest of cart")
    companion: SkuFacts | None = Field(
        default=None, description="An item often bought with it: the bundle candidate"
    )
    price_sensitivity: float | None = Field(
        default=None, ge=0, le=1, description="Estimated from the shopper's history; None: unknown"
    )
    purchase_propensity: float | None = Field(
        default=None, ge=0, le=1, description="P(purchase) of this session from the intent model"
    )
    intent: IntentStage | None = Field(default=None, description="None: from the propensity")
    loyalty_tier: LoyaltyTier = Field(default="none", description="As the store records it")
    fulfilment: Fulfilment = "ship"
    shipping: ShippingTerms = ShippingTerms()

    @model_validator(mode="after")
    def _companion_differs(self) -> PricingInput:
        if self.companion is not None and self.companion.sku == self.item.sku:
            raise ValueError("the companion must be another sku than the item")
        return self

    @property
    def cart_value_cents(self) -> int:
        """Value of the rest of the cart at its current prices."""
        return sum(line.unit_price_cents * line.quantity for line in self.basket)

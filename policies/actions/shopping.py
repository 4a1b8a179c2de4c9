"""Shopper-facing actions: recommendations shown, stock held, carts proposed, preferences saved."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.actions.base import ActionBase

Surface = Literal["chat", "search", "home", "email", "push", "agent"]


class RecommendedItem(BaseModel):
    """One product in a list of recommendations, in display order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    sponsored: bool = False
    label: str = Field(default="", max_length=100, description="Badge shown with the item")


class ShowRecommendations(ActionBase):
    """Show a ranked list of products to a shopper (anonymous when shopper_id is None)."""

    kind: Literal["show_recommendations"] = "show_recommendations"
    shopper_id: str | None = Field(default=None, max_length=64)
    surface: Surface = "chat"
    personalised: bool = False
    items: tuple[RecommendedItem, ...] = Field(max_length=200)


class HoldInventory(ActionBase):
    """Reserve units of a sku at a location for a shopper's pickup."""

    kind: Literal["hold_inventory"] = "hold_inventory"
    shopper_id: str = Field(min_length=1, max_length=64)
    sku: str = Field(min_length=1, max_length=64)
    location_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1)
    hold_minutes: int = Field(ge=1, le=7 * 24 * 60)


class CartLine(BaseModel):
    """One line of a proposed cart."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=0)


class ProposeCart(ActionBase):
    """Propose a cart to a shopper (typically from an external agent acting for them)."""

    kind: Literal["propose_cart"] = "propose_cart"
    shopper_id: str = Field(min_length=1, max_length=64)
    lines: tuple[CartLine, ...] = Field(min_length=1, max_length=100)

    def total_cents(self) -> int:
        """The cart total at the proposed prices."""
        return sum(line.quantity * line.unit_price_cents for line in self.lines)

    def spend_cents(self) -> int:
        """A cart counts its total against the proposer's spend limit."""
        return self.total_cents()


class UpdatePreferences(ActionBase):
    """Record zero-party preferences a shopper stated (set keys; None removes a key)."""

    kind: Literal["update_preferences"] = "update_preferences"
    shopper_id: str = Field(min_length=1, max_length=64)
    changes: dict[str, Any] = Field(min_length=1, max_length=50)

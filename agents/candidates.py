"""A product an agent found or ranked, with the facts a reply may quote and why it was chosen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Candidate(BaseModel):
    """One product under consideration for the shopper, best first in any list of them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str
    title: str
    brand: str
    category: str
    list_price_cents: int = Field(ge=0)
    group: str = Field(default="", description="Variant group: sizes and colours of one product")
    score: float = 0.0
    reasons: tuple[str, ...] = Field(default=(), description="Why it is shown, for the reply")

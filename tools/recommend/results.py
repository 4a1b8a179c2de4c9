"""What the ranker returns: ranked items, each with the terms of its score and its reasons."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReasonCode(StrEnum):
    """Why an item is recommended."""

    PINNED = "pinned"
    PROMOTED = "promoted"
    BECAUSE_YOU_BOUGHT = "because_you_bought"
    BECAUSE_YOU_VIEWED = "because_you_viewed"
    SIMILAR_TO = "similar_to"
    ALSO_VIEWED = "also_viewed"
    POPULAR_WITH_SIMILAR = "popular_with_similar"
    BOUGHT_TOGETHER = "bought_together"
    VIEWED_BEFORE = "viewed_before"
    BUY_AGAIN = "buy_again"
    NEW_FROM_BRAND = "new_from_brand"
    BRAND_YOU_LIKE = "brand_you_like"
    MATCHES_PREFERENCE = "matches_preference"
    LEARNED = "learned"
    POPULAR = "popular"
    MATCHES_REQUEST = "matches_request"


class Reason(BaseModel):
    """One reason, in words, with the item it refers to (if any)."""

    model_config = ConfigDict(frozen=True)

    code: ReasonCode
    text: str
    sku: str | None = Field(default=None, description="The item the reason refers to")


class RankedItem(BaseModel):
    """A recommended item."""

    model_config = ConfigDict(frozen=True)

    rank: int = Field(description="1-based position")
    sku: str
    title: str
    brand: str
    category: str
    price_cents: int
    score: float
    pinned: bool = False
    low_stock: bool = Field(default=False, description="Few units left: say so, don't hide it")
    terms: dict[str, float] = Field(description="Each term's contribution to the score")
    reasons: list[Reason] = Field(description="Strongest first")


Strategy = Literal["personal", "cold_start", "popular"]


class RecommendationList(BaseModel):
    """A ranked list for one shopper (or session), with how it was made."""

    shopper_id: str | None
    strategy: Strategy = Field(description="personal, cold_start (session/lookalikes) or popular")
    items: list[RankedItem]
    sources: list[str] = Field(description="Candidate sources consulted")
    model_version: str = Field(description="Identifies the fitted models and the ranker config")

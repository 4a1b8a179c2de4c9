"""A shopper's preference state as agents and rankers read it, and where each part came from."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from tools.profiles.items import Scalar, Vector
from tools.profiles.preferences import StatedPreferences

Source = Literal["history", "session", "stated", "lookalikes", "default"]


class Affinity(BaseModel):
    """How much of the shopper's interest goes to one department or brand."""

    model_config = ConfigDict(frozen=True)

    value: str
    score: float = Field(description="Share of the shopper's weighted interest, 0-1")
    items: int = Field(description="Distinct items behind it")
    purchases: int = Field(description="Purchases behind it")
    source: Source = "history"


class AttributeAffinity(BaseModel):
    """An attribute value the shopper picks more often than the catalog offers it."""

    model_config = ConfigDict(frozen=True)

    key: str
    value: Scalar
    score: float = Field(description="Share of their interest in items with this key")
    lift: float = Field(description="score over the value's share of the catalog")
    items: int = Field(description="Distinct items behind it")
    source: Source = "history"


class PriceSensitivity(BaseModel):
    """How strongly price steers the shopper, 0 (not at all) to 1 (very)."""

    model_config = ConfigDict(frozen=True)

    estimate: float = Field(description="0-1; 0.5 is the average shopper")
    typical_price_ratio: float | None = Field(
        description="Median paid price over the category's typical price"
    )
    observations: int = Field(description="Priced purchases (or views) it rests on")
    source: Source


class Habits(BaseModel):
    """Where and when the shopper shops."""

    model_config = ConfigDict(frozen=True)

    channels: dict[str, float] = Field(
        default_factory=dict, description="Share of events per shopping channel (web, app, store)"
    )
    devices: dict[str, float] = Field(default_factory=dict, description="Share of events")
    active_hours: list[int] = Field(
        default_factory=list, description="Local hours sessions start most, busiest first"
    )
    shopping_channel: str | None = Field(default=None, description="Where they shop most")
    device: str | None = Field(default=None, description="The device they use most")
    preferred_channel: str | None = Field(
        default=None, description="Messaging channel they asked for (email, sms, push, chat)"
    )
    preferred_hour: int | None = Field(
        default=None, description="Local hour: stated, else their busiest"
    )


class TasteSummary(BaseModel):
    """The taste vector: recency-weighted mean embedding of the items the shopper engaged with."""

    model_config = ConfigDict(frozen=True)

    items: int = Field(description="Items averaged")
    dimension: int
    half_life_days: float
    source: Source


class SessionSignals(BaseModel):
    """What the current session shows."""

    model_config = ConfigDict(frozen=True)

    session_id: str | None = None
    skus: list[str] = Field(default_factory=list, description="Items touched, latest first")
    departments: list[str] = Field(default_factory=list)
    queries: list[str] = Field(default_factory=list)
    in_cart: list[str] = Field(default_factory=list)


class Inference(BaseModel):
    """One thing the profile concludes, and what it concludes it from."""

    model_config = ConfigDict(frozen=True)

    about: str = Field(description="departments, brands, attributes, price, habits, taste, …")
    statement: str
    source: Source
    evidence: str


class ShopperProfile(BaseModel):
    """Everything the concierge believes about one shopper's preferences, and why."""

    shopper_id: str | None
    known: bool = Field(description="A shopper in the store (not an anonymous session)")
    cold_start: bool = Field(description="Too little history: session and lookalikes fill in")
    tier: str | None = None
    events: int = Field(description="History events used")
    purchases: int
    departments: list[Affinity] = Field(default_factory=list)
    brands: list[Affinity] = Field(default_factory=list)
    attributes: list[AttributeAffinity] = Field(default_factory=list)
    avoid: list[AttributeAffinity] = Field(
        default_factory=list, description="Values stated as unwanted (score 0)"
    )
    price: PriceSensitivity
    habits: Habits
    taste: TasteSummary | None = None
    stated: StatedPreferences
    session: SessionSignals
    lookalikes: list[str] = Field(default_factory=list, description="Similar shoppers consulted")
    bought: list[str] = Field(
        default_factory=list, description="Items bought and kept, latest first"
    )
    explanation: list[Inference] = Field(default_factory=list)

    _taste: Vector | None = PrivateAttr(default=None)

    @property
    def taste_vector(self) -> Vector | None:
        """The unit-length taste vector, or None without any embedded item."""
        return self._taste

    def with_taste(self, vector: Vector | None) -> ShopperProfile:
        """The profile holding this taste vector (kept out of its JSON)."""
        self._taste = None if vector is None else np.asarray(vector, dtype=np.float32)
        return self

    def brand_score(self, brand: str) -> float:
        """The brand's affinity score, 0 if none."""
        return next((a.score for a in self.brands if a.value == brand), 0.0)

    def department_score(self, department: str) -> float:
        """The department's affinity score, 0 if none."""
        return next((a.score for a in self.departments if a.value == department), 0.0)

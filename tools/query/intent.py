"""`ShopperIntent`: what a shopper asked for, as typed slots with the evidence for each."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AttributeValue = str | bool | int | float
SortOrder = Literal["price_asc", "price_desc", "rating_desc", "newest", "popularity"]
PriceBand = Literal["cheap", "affordable", "premium", "luxury"]
BudgetSource = Literal["explicit", "around", "band", "bare_amount", "refinement"]
MatchSource = Literal["exact", "fuzzy", "pattern", "context", "refinement"]
Slot = Literal[
    "query",
    "category",
    "attributes",
    "excluded_attributes",
    "tags",
    "excluded_tags",
    "brands",
    "excluded_brands",
    "exclusions",
    "budget",
    "fulfilment",
    "gift",
    "occasion",
    "recipient",
    "quantity",
    "sort",
    "similar_to",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlotMatch(_Model):
    """The words that filled a slot: a span of `normalized_text`, the value and a confidence."""

    slot: Slot
    value: str = Field(description="The slot value as a short human-readable string")
    start: int = Field(ge=0, description="Start offset in normalized_text")
    end: int = Field(ge=0, description="End offset in normalized_text")
    text: str = Field(description="The matched words")
    confidence: float = Field(ge=0.0, le=1.0)
    source: MatchSource


class Budget(_Model):
    """A price range in integer cents; either end may be open."""

    min_cents: int | None = Field(default=None, ge=0)
    max_cents: int | None = Field(default=None, ge=0)
    band: PriceBand | None = Field(default=None, description="A relative band, when one was named")
    source: BudgetSource = "explicit"


class Fulfilment(_Model):
    """How and by when the shopper wants the goods."""

    method: Literal["pickup", "delivery"] | None = None
    need_by: date | None = Field(default=None, description="Latest acceptable date")
    same_day: bool = False
    location_id: str | None = Field(default=None, description="A named store for pickup")


class Quantity(_Model):
    """How many the shopper wants (`count`), of what unit, and a pack size if one was named."""

    count: int | None = Field(default=None, ge=1)
    unit: str | None = None
    pack_size: int | None = Field(default=None, ge=1)


class Exclusion(_Model):
    """Something to avoid that the catalog vocabulary does not name ("without parabens")."""

    term: str = Field(description="The avoided thing, normalised and singular")
    phrase: str = Field(description="The words as the shopper wrote them")
    cue: str = Field(description="The negation: without, no, not, non, free, ...")


class ShopperIntent(_Model):
    """A shopping request as typed slots; empty slots were not asked for."""

    text: str = Field(description="The request as given (capped in length)")
    normalized_text: str = Field(description="The text that match offsets refer to")
    truncated: bool = False
    notes: list[str] = Field(default_factory=list, description="What the parser had to assume")
    query: str = Field(default="", description="Words left to search for after slot extraction")
    search_text: str = Field(default="", description="Product words: query plus catalog terms")
    category: str | None = Field(default=None, description="Category path, '/'-separated")
    category_alternatives: list[str] = Field(default_factory=list)
    attributes: dict[str, list[AttributeValue]] = Field(default_factory=dict)
    excluded_attributes: dict[str, list[AttributeValue]] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    excluded_tags: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    excluded_brands: list[str] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    budget: Budget | None = None
    fulfilment: Fulfilment | None = None
    gift: bool = False
    occasion: str | None = None
    recipient: str | None = Field(default=None, description="Who it is for: sister, father, ...")
    quantity: Quantity | None = None
    sort: SortOrder | None = None
    similar_to: str | None = Field(default=None, description="A sku to find products like")
    matches: list[SlotMatch] = Field(default_factory=list)
    inherited: list[Slot] = Field(
        default_factory=list, description="Slots carried over from the previous turn"
    )

    def filled_slots(self) -> list[Slot]:
        """The slots that hold a value, in declaration order."""
        filled: list[Slot] = []
        for slot in _SLOT_ORDER:
            value = getattr(self, slot)
            if value not in (None, False, "", [], {}):
                filled.append(slot)
        return filled

    def has_product_signal(self) -> bool:
        """Whether the request names something to search for (words, category, brand, ...)."""
        return bool(
            self.query
            or self.category
            or self.attributes
            or self.tags
            or self.brands
            or self.similar_to
        )


_SLOT_ORDER: tuple[Slot, ...] = (
    "query",
    "category",
    "attributes",
    "excluded_attributes",
    "tags",
    "excluded_tags",
    "brands",
    "excluded_brands",
    "exclusions",
    "budget",
    "fulfilment",
    "gift",
    "occasion",
    "recipient",
    "quantity",
    "sort",
    "similar_to",
)


class ShownItem(_Model):
    """A product the shopper was shown in the previous turn, in display order."""

    sku: str
    brand: str = ""
    price_cents: int | None = Field(default=None, ge=0)
    category: str = ""

"""Hard filters of a catalog search: what a hit must (and must not) be."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

AttributeValue = bool | int | float | str
AttributeCondition = AttributeValue | list[AttributeValue]


class SearchFilters(BaseModel):
    """Conditions every hit satisfies. Empty filters allow the whole catalog.

    Attribute and brand matching ignores case. An attribute condition given as a list is met by
    any one of its values; a product whose attribute is a list meets it when any item does.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str | None = Field(
        default=None, description="Category path prefix, e.g. 'beauty/skin care'"
    )
    min_price_cents: int | None = Field(default=None, ge=0, description="Lowest list price")
    max_price_cents: int | None = Field(default=None, ge=0, description="Highest list price")
    attributes: dict[str, AttributeCondition] = Field(
        default_factory=dict, description="Required attribute values, e.g. fragrance_free=True"
    )
    exclude_attributes: dict[str, AttributeCondition] = Field(
        default_factory=dict,
        description="Attribute values a hit must not have, e.g. material='leather'",
    )
    exclude_terms: list[str] = Field(
        default_factory=list, description="Terms a hit's title must not contain, e.g. 'leather'"
    )
    brands: list[str] = Field(default_factory=list, description="Allowed brands (any of)")
    exclude_brands: list[str] = Field(default_factory=list, description="Brands to leave out")
    in_stock_at: str | None = Field(
        default=None, description="Location id where a hit must have available stock"
    )
    same_day_pickup: bool = Field(
        default=False,
        description="Only products available for pickup today: at `in_stock_at` if given "
        "(and it offers same-day pickup), else at any same-day-pickup location",
    )
    exclude_skus: list[str] = Field(default_factory=list, description="Skus to leave out")

    @model_validator(mode="after")
    def _price_range_ordered(self) -> SearchFilters:
        low, high = self.min_price_cents, self.max_price_cents
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_price_cents {low} is above max_price_cents {high}")
        return self

    def is_empty(self) -> bool:
        """Whether these filters allow every product."""
        return self == SearchFilters()

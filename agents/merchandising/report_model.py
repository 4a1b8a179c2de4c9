"""`MerchReport`: the typed answer to a read-only merchandising question."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.merchandising.spec import ReportSpec
from policies.actions.base import UTCInstant


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StockRow(_Row):
    """A product and its stock level."""

    row: Literal["stock"] = "stock"
    sku: str
    title: str
    category: str
    brand: str
    level: str = Field(description="out, low, normal or overstock")
    available: int
    daily_sales: float = Field(description="Average units sold per day over the last 28 days")
    days_of_cover: float | None = Field(description="available / daily_sales; None without sales")
    category_rank: int | None = Field(
        default=None, description="Position in its category's ranking, for recommended products"
    )


class PromotionRow(_Row):
    """A promotion in force."""

    row: Literal["promotion"] = "promotion"
    id: str
    name: str
    discount_pct: float
    scope: str = Field(description="The category or how many skus it covers")
    loyalty_tiers: list[str]
    stackable: bool
    starts_at: UTCInstant
    ends_at: UTCInstant


class RuleRow(_Row):
    """A merchandising rule in force."""

    row: Literal["rule"] = "rule"
    id: str
    kind: str
    scope: str
    weight: float
    query: str | None
    starts_at: UTCInstant | None
    ends_at: UTCInstant | None
    created_by: str


ReportRow = Annotated[StockRow | PromotionRow | RuleRow, Field(discriminator="row")]


class MerchReport(BaseModel):
    """Rows answering a question, with a short templated summary."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: ReportSpec
    generated_at: UTCInstant
    timezone: str
    total: int = Field(ge=0, description="Rows found (before the limit)")
    rows: list[ReportRow]
    truncated: bool = Field(description="Whether rows were cut to the limit")
    summary: str
    definition: str = Field(description="What the report counts, in words")

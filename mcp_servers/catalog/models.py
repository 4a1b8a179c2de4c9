"""What the catalog server returns: found products with their facts, and the catalog's words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tools.query.intent import ShopperIntent
from tools.search.filters import SearchFilters


class FoundProduct(BaseModel):
    """One product found, best first, with the facts a reply may quote."""

    sku: str
    title: str
    brand: str
    category: str
    list_price_cents: int
    attributes: dict[str, Any]
    variant_group: str = Field(default="", description="The product its variants share")
    score: float = Field(description="Fused rank score; 0 when browsing")
    bm25_rank: int | None
    dense_rank: int | None


class SearchResult(BaseModel):
    """The products found for a query under filters."""

    query: str
    filters: SearchFilters
    hits: list[FoundProduct]


class UnderstoodSearch(BaseModel):
    """A request parsed into an intent, and what searching for it found."""

    intent: ShopperIntent
    clarification: str | None = Field(description="A question to ask instead, if too vague")
    result: SearchResult


class VocabularySummary(BaseModel):
    """The words the catalog is described with."""

    categories: list[str]
    brands: list[str]
    attributes: dict[str, list[str]]

"""`CatalogVocabulary`: the words a catalog uses, counted, with price quantiles per category.

Built in one pass over the products (a store of 100k SKUs takes about a second), serialisable to
JSON, and the only source of catalog words the parser knows: categories and their path words,
attribute keys and values (colours, materials, sizes, ...), brands, tags and pickup locations.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from sqlalchemy import Engine, select
from sqlmodel import col

from tools.exceptions import InputError
from tools.query.index import TermIndex
from tools.query.vocabulary_terms import terms_of

FORMAT_VERSION = 1
MAX_VALUE_CHARS = 60
MAX_VALUES_PER_KEY = 5000
_QUANTILES = {"p10": 10, "p25": 25, "p50": 50, "p75": 75, "p90": 90}


class ProductLike(Protocol):
    """What the vocabulary reads from a product (a store `Product` has all of it)."""

    @property
    def title(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def brand(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, Any]: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def list_price_cents(self) -> int: ...


class PriceQuantiles(BaseModel):
    """List-price quantiles in cents (nearest rank)."""

    model_config = ConfigDict(extra="forbid")

    min: int
    p10: int
    p25: int
    p50: int
    p75: int
    p90: int
    max: int

    @classmethod
    def of(cls, prices: list[int]) -> PriceQuantiles:
        """Quantiles of a non-empty list of prices."""
        ordered = sorted(prices)
        n = len(ordered)
        ranks = {name: ordered[max(0, -(-pct * n // 100) - 1)] for name, pct in _QUANTILES.items()}
        return cls(min=ordered[0], max=ordered[-1], **ranks)


class CategoryStats(BaseModel):
    """How many products sit under a category path, and what they cost."""

    model_config = ConfigDict(extra="forbid")

    count: int
    prices: PriceQuantiles


class AttributeStats(BaseModel):
    """The values one attribute key takes, counted by kind."""

    model_config = ConfigDict(extra="forbid")

    text: dict[str, int] = Field(default_factory=dict)
    numbers: dict[str, int] = Field(default_factory=dict)
    true_count: int = 0
    false_count: int = 0


class CatalogVocabulary(BaseModel):
    """The catalog's own words, counted; the parser's only source of catalog knowledge."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    product_count: int = 0
    categories: dict[str, CategoryStats] = Field(default_factory=dict)
    attributes: dict[str, AttributeStats] = Field(default_factory=dict)
    brands: dict[str, int] = Field(default_factory=dict)
    ordinary_brands: list[str] = Field(
        default_factory=list,
        description="One-word brands that other products' titles use as ordinary words",
    )
    tags: dict[str, int] = Field(default_factory=dict)
    locations: dict[str, str] = Field(default_factory=dict, description="Location id -> name")
    prices: PriceQuantiles | None = None
    _index: TermIndex | None = PrivateAttr(default=None)

    @classmethod
    def from_products(
        cls, products: Iterable[ProductLike], *, locations: Mapping[str, str] | None = None
    ) -> CatalogVocabulary:
        """The vocabulary of some products (and, optionally, pickup locations by id)."""
        builder = _Builder()
        for p in products:
            builder.add(p.title, p.category, p.brand, p.attributes, p.tags, p.list_price_cents)
        return builder.build(locations or {})

    @classmethod
    def from_store(cls, engine: Engine) -> CatalogVocabulary:
        """The vocabulary of every product and location in a store."""
        from tools.store import Location, Product

        builder = _Builder()
        query = select(
            col(Product.title),
            col(Product.category),
            col(Product.brand),
            col(Product.attributes),
            col(Product.tags),
            col(Product.list_price_cents),
        )
        with engine.connect() as conn:
            for row in conn.execution_options(yield_per=5000).execute(query):
                builder.add(row[0], row[1], row[2], row[3] or {}, row[4] or [], row[5])
            located = conn.execute(select(col(Location.id), col(Location.name)))
            places = {location_id: name for location_id, name in located}
        return builder.build(places)

    @classmethod
    def from_json(cls, text: str | bytes) -> CatalogVocabulary:
        """A vocabulary saved with `to_json`."""
        try:
            vocabulary = cls.model_validate_json(text)
        except ValidationError as exc:
            raise InputError(f"not a catalog vocabulary: {exc.errors()[0]['msg']}") from exc
        if vocabulary.format_version != FORMAT_VERSION:
            raise InputError(f"vocabulary format {vocabulary.format_version} is not supported")
        return vocabulary

    def to_json(self) -> str:
        """The vocabulary as JSON with sorted keys (same catalog, same bytes)."""
        return self.model_dump_json()

    def __eq__(self, other: object) -> bool:
        """Equal words and counts (whether or not either has built its index yet)."""
        if not isinstance(other, CatalogVocabulary):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def index(self) -> TermIndex:
        """The term index the parser matches against (built once, then cached)."""
        if self._index is None:
            self._index = TermIndex.from_terms(terms_of(self))
        return self._index

    def price_quantiles(self, category: str | None) -> PriceQuantiles | None:
        """Price quantiles of a category path, or of the whole catalog when none is given."""
        if category and category in self.categories:
            return self.categories[category].prices
        return self.prices


class _Builder:
    """One pass over products; `build` sorts everything so equal catalogs give equal JSON."""

    def __init__(self) -> None:
        self.count = 0
        self.paths: dict[str, list[list[int]]] = {}
        self.category_prices: defaultdict[str, list[int]] = defaultdict(list)
        self.flags: defaultdict[str, Counter[bool]] = defaultdict(Counter)
        self.text_values: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.number_values: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.brands: Counter[str] = Counter()
        self.title_words: Counter[str] = Counter()
        self.own_title_words: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.prices: list[int] = []

    def add(
        self,
        title: str,
        category: str,
        brand: str,
        attributes: Mapping[str, Any],
        tags: Sequence[str],
        price_cents: int,
    ) -> None:
        self.count += 1
        self.prices.append(price_cents)
        for prices in self._price_lists(category or ""):
            prices.append(price_cents)
        brand = brand.strip()
        if brand:
            self.brands[brand] += 1
        title_words = set(title.lower().split())
        self.title_words.update(title_words)
        if brand.lower() in title_words:
            self.own_title_words[brand.lower()] += 1
        for tag in tags:
            if isinstance(tag, str) and tag.strip():
                self.tags[tag.strip()] += 1
        for key, value in attributes.items():
            if isinstance(value, list):
                for item in value:
                    self._add_value(str(key), item)
            else:
                self._add_value(str(key), value)

    def _price_lists(self, category: str) -> list[list[int]]:
        """The price lists of a category path and each of its parents (looked up once)."""
        found = self.paths.get(category)
        if found is None:
            parts = [p for p in category.split("/") if p.strip()]
            prefixes = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
            found = self.paths[category] = [self.category_prices[p] for p in prefixes]
        return found

    def _add_value(self, key: str, value: Any) -> None:
        if isinstance(value, str):
            if value.strip() and len(value) <= MAX_VALUE_CHARS:
                self.text_values[key][value.strip()] += 1
        elif isinstance(value, bool):
            self.flags[key][value] += 1
        elif isinstance(value, int | float) and math.isfinite(value):
            number = int(value) if float(value).is_integer() else value
            self.number_values[key][str(number)] += 1

    def _ordinary_brands(self) -> list[str]:
        """One-word brands that at least two other products' titles use as a word."""
        return [
            brand
            for brand in sorted(self.brands)
            if self.title_words[brand.lower()] - self.own_title_words[brand.lower()] >= 2
        ]

    def build(self, locations: Mapping[str, str]) -> CatalogVocabulary:
        keys = sorted(set(self.flags) | set(self.text_values) | set(self.number_values))
        attributes = {
            key: AttributeStats(
                text=_top(self.text_values[key]),
                numbers=_top(self.number_values[key]),
                true_count=self.flags[key][True],
                false_count=self.flags[key][False],
            )
            for key in keys
        }
        categories = {
            path: CategoryStats(count=len(prices), prices=PriceQuantiles.of(prices))
            for path, prices in sorted(self.category_prices.items())
        }
        return CatalogVocabulary(
            product_count=self.count,
            categories=categories,
            attributes=attributes,
            brands=dict(sorted(self.brands.items())),
            ordinary_brands=self._ordinary_brands(),
            tags=dict(sorted(self.tags.items())),
            locations=dict(sorted(locations.items())),
            prices=PriceQuantiles.of(self.prices) if self.prices else None,
        )


def _top(counts: Counter[str]) -> dict[str, int]:
    """The most frequent values (ties by value), returned in value order."""
    kept = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_VALUES_PER_KEY]
    return dict(sorted(kept))

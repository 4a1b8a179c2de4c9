"""What shoppers can act on: a compact view of a product, and a bounded sample of them.

Shopper histories draw from an `ItemPool`: per category, a seeded reservoir sample of the
products that were on sale before the new-arrival window. Its size is bounded, so a catalog
of a million skus costs no more memory than one of fifty thousand, and events scale with
shoppers, not skus.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tools.demo_store.pricing import price_at
from tools.demo_store.taxonomy import AttrValue, CategorySpec, Scalar

POOL_CAP_PER_CATEGORY = 800
NEW_ITEM_DAYS = 14


@dataclass(frozen=True, slots=True)
class ItemView:
    """A product as tastes and histories see it."""

    sku: str
    category: str
    brand: str
    attributes: Mapping[str, AttrValue]
    price_cents: int
    launch_date: date | None = None
    popularity: float = 1.0
    prices: tuple[tuple[datetime, int], ...] = ()

    @property
    def spec_path(self) -> str:
        """The two-level category the product belongs to."""
        return "/".join(self.category.split("/")[:2])

    @property
    def leaf(self) -> str:
        """The third level of the category path."""
        return self.category.split("/")[2]

    def price_at(self, when: datetime) -> int:
        """The list price in effect at a time."""
        return price_at(self.prices, when) if self.prices else self.price_cents

    @classmethod
    def of_product(cls, row: Mapping[Any, Any]) -> ItemView:
        """A view of a products-table row (a mapping with the table's column names)."""
        return cls(
            sku=row["sku"],
            category=row["category"],
            brand=row["brand"],
            attributes=row["attributes"],
            price_cents=row["list_price_cents"],
            launch_date=row["launch_date"],
        )


IndexKey = tuple[str, bool, Scalar]


def index_key(key: str, value: Scalar) -> IndexKey:
    """How an attribute value is looked up (flags apart from numbers: True is not 1)."""
    return (key, isinstance(value, bool), value)


@dataclass(frozen=True)
class CategoryIndex:
    """A category's sampled items with what weighting them by taste needs, precomputed."""

    items: list[ItemView]
    log_price: list[float]
    popularity: list[float]
    by_brand: dict[str, list[int]]
    by_value: dict[IndexKey, list[int]]


def build_index(
    items: Sequence[ItemView], *, reference_price: Callable[[str], float]
) -> CategoryIndex:
    """Index items by brand and by every attribute value (each element of a list value)."""
    by_brand: dict[str, list[int]] = {}
    by_value: dict[IndexKey, list[int]] = {}
    for i, item in enumerate(items):
        by_brand.setdefault(item.brand, []).append(i)
        for key, value in item.attributes.items():
            for element in value if isinstance(value, list) else [value]:
                by_value.setdefault(index_key(key, element), []).append(i)
    return CategoryIndex(
        items=list(items),
        log_price=[math.log(i.price_cents / reference_price(i.leaf)) for i in items],
        popularity=[i.popularity for i in items],
        by_brand=by_brand,
        by_value=by_value,
    )


@dataclass
class ItemPool:
    """A seeded reservoir sample of event-eligible items per category."""

    rng: random.Random
    cap: int = POOL_CAP_PER_CATEGORY
    _items: dict[str, list[ItemView]] = field(default_factory=dict)
    _seen: dict[str, int] = field(default_factory=dict)
    _indexes: dict[str, CategoryIndex] = field(default_factory=dict)

    def offer(self, item: ItemView) -> None:
        """Consider an item for the sample (reservoir sampling, so every item is equally likely)."""
        path = item.spec_path
        self._indexes.pop(path, None)
        bucket = self._items.setdefault(path, [])
        seen = self._seen.get(path, 0) + 1
        self._seen[path] = seen
        if len(bucket) < self.cap:
            bucket.append(item)
            return
        slot = self.rng.randrange(seen)
        if slot < self.cap:
            bucket[slot] = item

    def index(self, spec: CategorySpec) -> CategoryIndex:
        """The category's sampled items, indexed (built on first use, after the catalog)."""
        found = self._indexes.get(spec.path)
        if found is None:
            found = build_index(self.items(spec.path), reference_price=spec.reference_price)
            self._indexes[spec.path] = found
        return found

    def items(self, spec_path: str) -> Sequence[ItemView]:
        """The sampled items of a category, possibly none."""
        return self._items.get(spec_path, ())

    def categories(self) -> list[str]:
        """Categories with at least one sampled item, sorted."""
        return sorted(path for path, items in self._items.items() if items)

    def __len__(self) -> int:
        return sum(len(items) for items in self._items.values())

"""What profiles (and the rankers built on them) need to know of the catalog's products."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Scalar = str | int | float | bool
Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """A product as the profile and recommendation engines see it. Money is in cents."""

    sku: str
    title: str
    brand: str
    category: str
    price_cents: int
    variant_group: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    description: str = ""
    unit_cost_cents: int | None = None
    launch_date: date | None = None

    @property
    def department(self) -> str:
        """The two-level category path ("beauty/skincare") shoppers' tastes are about."""
        return "/".join(self.category.split("/")[:2])

    def values(self) -> Iterator[tuple[str, Scalar]]:
        """Every (attribute, value) pair, one per element of a list value."""
        for key in sorted(self.attributes):
            value = self.attributes[key]
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, str | int | float | bool):
                    yield key, element


class ItemLookup(Protocol):
    """A catalog the engines can ask about a sku."""

    def item(self, sku: str) -> ItemInfo | None:
        """The product with this sku, or None."""
        ...

    def value_share(self, key: str, value: Scalar) -> float:
        """Share of the products carrying `key` whose value is (or contains) `value`."""
        ...


class VectorLookup(Protocol):
    """Unit-length item embeddings by sku."""

    def vector(self, sku: str) -> Vector | None:
        """The item's embedding, or None for an unknown sku."""
        ...


def value_key(key: str, value: Scalar) -> str:
    """A stable text key for an attribute value (flags apart from numbers)."""
    if isinstance(value, bool):
        return f"{key}={'true' if value else 'false'}"
    return f"{key}={value}"

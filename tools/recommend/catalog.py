"""The catalog in memory: products in sku order, with the arrays rankers score in bulk.

Position i is the i-th sku in sorted order everywhere in this package, so ordering by
(score descending, position) breaks ties by sku.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlmodel import Session, col

from tools.profiles import ItemInfo, Scalar, value_key
from tools.store import Product

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
DESCRIPTION_CHARS = 400


def _codes(values: Sequence[str]) -> tuple[tuple[str, ...], IntArray]:
    names = tuple(sorted(set(values)))
    where = {name: i for i, name in enumerate(names)}
    return names, np.fromiter((where[v] for v in values), dtype=np.int64, count=len(values))


@dataclass(frozen=True)
class Catalog:
    """Products by position (sku order) and their per-position arrays."""

    items: tuple[ItemInfo, ...]
    positions: dict[str, int] = field(init=False)
    skus: tuple[str, ...] = field(init=False, repr=False)
    departments: tuple[str, ...] = field(init=False)
    department_of: IntArray = field(init=False)
    brands: tuple[str, ...] = field(init=False)
    brand_of: IntArray = field(init=False)
    group_of: IntArray = field(init=False)
    category_of: IntArray = field(init=False)
    launch_day: IntArray = field(init=False)
    price_cents: FloatArray = field(init=False)
    unit_cost_cents: FloatArray = field(init=False, repr=False)
    _value_shares: dict[str, float] = field(init=False, repr=False)
    _codes: dict[str, dict[str, int]] = field(init=False, repr=False)
    _with_value: dict[str, IntArray] = field(init=False, repr=False)
    _by_department: list[IntArray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        items = self.items
        if any(a.sku >= b.sku for a, b in pairwise(items)):
            raise ValueError("catalog items must be in strictly increasing sku order")
        put = object.__setattr__
        put(self, "positions", {item.sku: i for i, item in enumerate(items)})
        put(self, "skus", tuple(item.sku for item in items))
        departments, department_of = _codes([item.department for item in items])
        put(self, "departments", departments)
        put(self, "department_of", department_of)
        brands, brand_of = _codes([item.brand for item in items])
        put(self, "brands", brands)
        put(self, "brand_of", brand_of)
        put(self, "group_of", _codes([item.variant_group or item.sku for item in items])[1])
        put(self, "category_of", _codes([item.category for item in items])[1])
        days = [-1 if i.launch_date is None else i.launch_date.toordinal() for i in items]
        put(self, "launch_day", np.array(days, dtype=np.int64))
        put(
            self,
            "_codes",
            {
                "department": {name: i for i, name in enumerate(departments)},
                "brand": {name: i for i, name in enumerate(brands)},
            },
        )
        put(self, "_with_value", _value_index(items))
        by_department = [np.flatnonzero(department_of == c) for c in range(len(departments))]
        put(self, "_by_department", by_department)
        put(self, "price_cents", np.array([i.price_cents for i in items], dtype=np.float64))
        costs = [np.nan if i.unit_cost_cents is None else i.unit_cost_cents for i in items]
        put(self, "unit_cost_cents", np.array(costs, dtype=np.float64))
        put(self, "_value_shares", _value_shares(items))

    def __len__(self) -> int:
        return len(self.items)

    def item(self, sku: str) -> ItemInfo | None:
        """The product with this sku, or None."""
        at = self.positions.get(sku)
        return None if at is None else self.items[at]

    def position(self, sku: str) -> int | None:
        """Where the sku sits, or None."""
        return self.positions.get(sku)

    def value_share(self, key: str, value: Scalar) -> float:
        """Share of the products carrying `key` whose value is (or contains) `value`."""
        return self._value_shares.get(value_key(key, value), 0.0)

    def code(self, kind: str, name: str) -> int | None:
        """The code of a department or brand name, or None."""
        return self._codes[kind].get(name)

    def in_departments(self, names: Iterable[str]) -> IntArray:
        """Positions of the products of these departments, in order."""
        codes = [c for name in names if (c := self.code("department", name)) is not None]
        if not codes:
            return _NONE
        return np.sort(np.concatenate([self._by_department[c] for c in codes]))

    def has_value(self, positions: IntArray, key: str, value: Scalar) -> np.ndarray:
        """Which of the positions hold products whose `key` is (or contains) `value`."""
        holders = self.with_value(key, value)
        if holders.size == 0:
            return np.zeros(positions.size, dtype=bool)
        at = np.minimum(np.searchsorted(holders, positions), holders.size - 1)
        found: np.ndarray = holders[at] == positions
        return found

    def with_value(self, key: str, value: Scalar) -> IntArray:
        """Positions of the products whose attribute `key` is (or contains) `value`."""
        return self._with_value.get(value_key(key, value), _NONE)


_NONE: IntArray = np.zeros(0, dtype=np.int64)


def _value_index(items: Sequence[ItemInfo]) -> dict[str, IntArray]:
    found: dict[str, list[int]] = defaultdict(list)
    for position, item in enumerate(items):
        for key, value in dict.fromkeys(item.values()):
            found[value_key(key, value)].append(position)
    return {name: np.array(found[name], dtype=np.int64) for name in sorted(found)}


def _value_shares(items: Iterable[ItemInfo]) -> dict[str, float]:
    with_key: Counter[str] = Counter()
    with_value: dict[str, int] = defaultdict(int)
    for item in items:
        for key in item.attributes:
            with_key[key] += 1
        for key, value in dict.fromkeys(item.values()):
            with_value[value_key(key, value)] += 1
    return {name: count / with_key[name.split("=", 1)[0]] for name, count in with_value.items()}


def catalog_of(items: Iterable[ItemInfo]) -> Catalog:
    """A catalog of these products (put in sku order)."""
    return Catalog(items=tuple(sorted(items, key=lambda item: item.sku)))


def load_catalog(session: Session) -> Catalog:
    """Every product of the store."""
    query = select(
        col(Product.sku),
        col(Product.title),
        col(Product.brand),
        col(Product.category),
        col(Product.list_price_cents),
        col(Product.variant_group),
        col(Product.attributes),
        col(Product.tags),
        col(Product.description),
        col(Product.unit_cost_cents),
        col(Product.launch_date),
    )
    return catalog_of(_item(*row) for row in session.connection().execute(query))


def _item(
    sku: str,
    title: str,
    brand: str,
    category: str,
    price: int,
    group: str,
    attributes: dict[str, object] | None,
    tags: list[str] | None,
    description: str | None,
    cost: int | None,
    launch: date | None,
) -> ItemInfo:
    return ItemInfo(
        sku=sku,
        title=title,
        brand=brand,
        category=category,
        price_cents=price,
        variant_group=group,
        attributes=attributes or {},
        tags=tuple(tags or ()),
        description=(description or "")[:DESCRIPTION_CHARS],
        unit_cost_cents=cost,
        launch_date=launch,
    )

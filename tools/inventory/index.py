"""The in-memory substitutes index: per category, numpy arrays of price, attributes and stock.

Loaded once from the store and refreshed on demand. Attribute values are encoded per category:
numeric attributes as floats, every other value (text, booleans, lists) as an integer code of
its canonical form; a missing value is -1 (codes) or NaN (numbers). Stock is a snapshot taken
at load time and only narrows the candidates; live stock is checked before anything is returned.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel
from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from tools.inventory.clock import as_utc
from tools.store import Hold, InventoryLevel, Product
from tools.store.types import utcnow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ProductRow:
    """What the index needs of a product."""

    sku: str
    category: str
    title: str
    price_cents: int
    attributes: dict[str, Any]


@dataclass(frozen=True)
class CategoryBlock:
    """One category's products in sku order, as parallel arrays."""

    skus: tuple[str, ...]
    titles: tuple[str, ...]
    price_cents: IntArray
    log_price: FloatArray
    codes: IntArray
    numbers: FloatArray
    n_attrs: IntArray
    stock: IntArray


@dataclass(frozen=True)
class CatalogIndex:
    """Every category block, and where each sku sits."""

    blocks: dict[str, CategoryBlock]
    rows: dict[str, tuple[str, int]]
    loaded_at: datetime

    @property
    def size(self) -> int:
        """Number of indexed skus."""
        return len(self.rows)

    def info(self) -> IndexInfo:
        """What the index holds."""
        return IndexInfo(skus=self.size, categories=len(self.blocks), loaded_at=self.loaded_at)


class IndexInfo(BaseModel):
    """The size and age of a substitutes index."""

    skus: int
    categories: int
    loaded_at: datetime


def _canonical(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value.strip().lower())
    if isinstance(value, list | tuple):
        return json.dumps(sorted(_canonical(v) for v in value))
    return json.dumps(value, sort_keys=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def encode_attributes(attrs: list[dict[str, Any]]) -> tuple[IntArray, FloatArray, IntArray]:
    """Attribute code matrix, numeric matrix and attribute count per product."""
    present = [{k: v for k, v in a.items() if v is not None} for a in attrs]
    keys = sorted({k for a in present for k in a})
    numeric = [k for k in keys if all(_is_number(a[k]) for a in present if k in a)]
    categorical = [k for k in keys if k not in set(numeric)]
    codes = np.full((len(attrs), len(categorical)), -1, dtype=np.int64)
    numbers = np.full((len(attrs), len(numeric)), np.nan, dtype=np.float64)
    vocab: dict[tuple[str, str], int] = {}
    for i, a in enumerate(present):
        for j, key in enumerate(categorical):
            if key in a:
                codes[i, j] = vocab.setdefault((key, _canonical(a[key])), len(vocab))
        for j, key in enumerate(numeric):
            if key in a:
                numbers[i, j] = float(a[key])
    counts = np.array([len(a) for a in present], dtype=np.int64)
    return codes, numbers, counts


def build_block(rows: list[ProductRow], stock: dict[str, int]) -> CategoryBlock:
    """A category block from its products (any order; stored in sku order)."""
    rows = sorted(rows, key=lambda r: r.sku)
    codes, numbers, counts = encode_attributes([r.attributes for r in rows])
    prices = np.array([r.price_cents for r in rows], dtype=np.int64)
    return CategoryBlock(
        skus=tuple(r.sku for r in rows),
        titles=tuple(r.title for r in rows),
        price_cents=prices,
        log_price=np.log(np.maximum(prices, 1).astype(np.float64)),
        codes=codes,
        numbers=numbers,
        n_attrs=counts,
        stock=np.array([stock.get(r.sku, 0) for r in rows], dtype=np.int64),
    )


def stock_snapshot(session: Session, *, now: datetime) -> dict[str, int]:
    """Units available per sku over all locations, less active holds."""
    levels = select(
        InventoryLevel.sku, func.sum(InventoryLevel.on_hand - InventoryLevel.reserved)
    ).group_by(col(InventoryLevel.sku))
    holds = (
        select(Hold.sku, func.sum(Hold.quantity))
        .where(col(Hold.released).is_(False), col(Hold.expires_at) > as_utc(now))
        .group_by(col(Hold.sku))
    )
    stock = {sku: int(units) for sku, units in session.exec(levels)}
    for sku, units in session.exec(holds):
        stock[sku] = stock.get(sku, 0) - int(units)
    return stock


def load_index(engine: Engine, *, now: datetime | None = None) -> CatalogIndex:
    """Read the catalog and stock into a fresh index."""
    now = as_utc(now) if now is not None else utcnow()
    query = sa_select(
        col(Product.sku),
        col(Product.category),
        col(Product.title),
        col(Product.list_price_cents),
        col(Product.attributes),
    )
    by_category: dict[str, list[ProductRow]] = defaultdict(list)
    with Session(engine) as session:
        for sku, category, title, price, attrs in session.connection().execute(query):
            by_category[category].append(ProductRow(sku, category, title, price, attrs or {}))
        stock = stock_snapshot(session, now=now)
    blocks = {cat: build_block(rows, stock) for cat, rows in sorted(by_category.items())}
    positions = {sku: (cat, i) for cat, b in blocks.items() for i, sku in enumerate(b.skus)}
    return CatalogIndex(blocks=blocks, rows=positions, loaded_at=now)


class IndexHolder:
    """The current index of one store, swapped whole on refresh (safe across threads)."""

    def __init__(self, engine: Engine, *, index: CatalogIndex | None = None) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._index = index if index is not None else load_index(engine)

    @property
    def index(self) -> CatalogIndex:
        """The index in use."""
        return self._index

    def covering(self, session: Session, sku: str) -> CatalogIndex:
        """The index, reloaded first when `sku` is in the store but newer than the index."""
        if sku not in self._index.rows and session.get(Product, sku) is not None:
            return self.refresh()
        return self._index

    def refresh(self, *, now: datetime | None = None) -> CatalogIndex:
        """Reload the index from the store and use it from now on."""
        with self._lock:
            self._index = load_index(self._engine, now=now)
            return self._index

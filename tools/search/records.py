"""The catalog as search sees it: one light record per product, read in sku order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from tools.store import OrderLine, Product


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    """The fields of a product that search indexes and filters on."""

    sku: str
    title: str
    list_price_cents: int
    description: str = ""
    brand: str = ""
    category: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def read_catalog(engine: Engine) -> list[CatalogRecord]:
    """Every product of the store as a `CatalogRecord`, ordered by sku."""
    table = SQLModel.metadata.tables[Product.__tablename__]
    columns = table.c
    query = select(
        columns.sku,
        columns.title,
        columns.list_price_cents,
        columns.description,
        columns.brand,
        columns.category,
        columns.attributes,
        columns.tags,
    ).order_by(columns.sku)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        CatalogRecord(
            sku=row[0],
            title=row[1],
            list_price_cents=int(row[2]),
            description=row[3] or "",
            brand=row[4] or "",
            category=row[5] or "",
            attributes=_json(row[6]) or {},
            tags=tuple(_json(row[7]) or ()),
        )
        for row in rows
    ]


def read_units_sold(engine: Engine, *, row_of: Mapping[str, int]) -> npt.NDArray[np.int64]:
    """Units sold per catalog row (order lines summed); products never sold have 0."""
    sold = np.zeros(len(row_of), dtype=np.int64)
    table = SQLModel.metadata.tables[OrderLine.__tablename__]
    query = select(table.c.sku, func.sum(table.c.quantity)).group_by(table.c.sku)
    with engine.connect() as conn:
        for sku, units in conn.execute(query):
            row = row_of.get(sku)
            if row is not None:
                sold[row] = int(units or 0)
    return sold

"""Refreshing the live parts of an index (prices, stock, browse order) without rebuilding it."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from tools.search.index import CatalogIndex
from tools.search.records import read_units_sold
from tools.search.stock import read_stock
from tools.store import Product


def refresh_stock(index: CatalogIndex, *, engine: Engine) -> None:
    """Re-read available stock per location (and which locations offer same-day pickup)."""
    index.stock = read_stock(engine, row_of=index.row_of)


def refresh_prices(index: CatalogIndex, *, engine: Engine) -> None:
    """Re-read list prices; products no longer in the store keep their last price."""
    prices = index.prices.copy()
    table = SQLModel.metadata.tables[Product.__tablename__]
    with engine.connect() as conn:
        for sku, cents in conn.execute(select(table.c.sku, table.c.list_price_cents)):
            row = index.row_of.get(sku)
            if row is not None:
                prices[row] = int(cents)
    index.prices = prices


def refresh_browse_order(index: CatalogIndex, *, engine: Engine) -> None:
    """Re-rank the browse order: most units sold first, then by sku."""
    sold = read_units_sold(engine, row_of=index.row_of)
    rows = np.arange(index.size, dtype=np.int32)
    index.browse_order = rows[np.lexsort((rows, -sold))]

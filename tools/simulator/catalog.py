"""The items simulated shoppers meet: the store's products with known unit cost, by category."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from tools.demo_store.items import ItemView
from tools.demo_store.taxonomy import Taxonomy
from tools.store import Product

MAX_ITEMS_PER_CATEGORY = 400


@dataclass(frozen=True, slots=True)
class SimItem:
    """A product as the simulator sees it: its taste view and its economics."""

    view: ItemView
    unit_cost_cents: int

    @property
    def sku(self) -> str:
        """The product's sku."""
        return self.view.sku

    @property
    def list_price_cents(self) -> int:
        """The current list price."""
        return self.view.price_cents

    @property
    def margin_cents(self) -> int:
        """Margin of one unit at list price."""
        return self.view.price_cents - self.unit_cost_cents


@dataclass(frozen=True)
class SimCatalog:
    """Items by two-level category (a seeded sample of at most a few hundred per category)."""

    items: dict[str, tuple[SimItem, ...]]

    def categories(self) -> list[str]:
        """Categories with items, sorted."""
        return sorted(path for path, items in self.items.items() if items)

    def of(self, category: str) -> Sequence[SimItem]:
        """The category's items (none for an unknown category)."""
        return self.items.get(category, ())


def load_catalog(engine: Engine, *, taxonomy: Taxonomy, seed: int) -> SimCatalog:
    """Products with a unit cost in categories the taxonomy knows, sampled per category."""
    known = {spec.path for spec in taxonomy.categories}
    grouped: dict[str, list[SimItem]] = {}
    query = select(Product).where(col(Product.unit_cost_cents).is_not(None)).order_by(Product.sku)
    with Session(engine) as session:
        for product in session.exec(query):
            path = "/".join(product.category.split("/")[:2])
            if path not in known or product.category.count("/") < 2:
                continue
            view = ItemView.of_product(product.model_dump())
            grouped.setdefault(path, []).append(SimItem(view, int(product.unit_cost_cents or 0)))
    items: dict[str, tuple[SimItem, ...]] = {}
    for path, found in sorted(grouped.items()):
        if len(found) > MAX_ITEMS_PER_CATEGORY:
            found = random.Random(f"{seed}:{path}").sample(found, MAX_ITEMS_PER_CATEGORY)
            found.sort(key=lambda item: item.sku)
        items[path] = tuple(found)
    return SimCatalog(items=items)

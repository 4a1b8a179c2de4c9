"""Generating the catalog in chunks: products (variant groups), price history and stock.

Chunk `i` covers skus [start, stop) and draws from its own stream derived from (seed, i), so
chunks are independent and the output does not depend on how much was generated before.
The first chunk opens with the taxonomy's showcase products (so the example requests of the
docs always have answers); then the first groups of every chunk walk through every category
once, so even a small catalog covers them all; later groups follow the category weights.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tools.demo_store.attributes import (
    draw_attributes,
    draw_axes,
    price_factor,
    variant_combinations,
)
from tools.demo_store.items import NEW_ITEM_DAYS, ItemView
from tools.demo_store.pricing import (
    draw_base_price,
    draw_map,
    draw_price_history,
    draw_unit_cost,
    price_floor,
    price_point,
)
from tools.demo_store.rng import derive_rng
from tools.demo_store.stock import draw_stock
from tools.demo_store.taxonomy import AttrValue, Brand, CategorySpec, Leaf, Showcase, Taxonomy
from tools.demo_store.text import base_title, make_description, make_tags, option_label

NEW_SHARE = 0.04
RECENT_SHARE = 0.15
OLDEST_LAUNCH_DAYS = 1_500
SHOWCASE_AGE_DAYS = 400
SHOWCASE_PRICE_SHARE = 0.85


@dataclass
class CatalogChunk:
    """Rows for one chunk of skus, and the views of its event-eligible items."""

    products: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    stock: list[dict[str, Any]] = field(default_factory=list)
    items: list[ItemView] = field(default_factory=list)


@dataclass(frozen=True)
class _Group:
    spec: CategorySpec
    leaf: Leaf
    brand: Brand
    group_id: str
    attributes: dict[str, AttrValue]
    base_price: float
    launch_date: date
    popularity: float
    is_new: bool
    stock_state: str | None = None
    max_price: int | None = None


def chunk_ranges(total: int, size: int) -> list[tuple[int, int]]:
    """[start, stop) ranges of at most `size` covering 0..total."""
    return [(start, min(total, start + size)) for start in range(0, total, size)]


def sku_id(index: int) -> str:
    """The sku of the index-th generated product."""
    return f"SKU-{index:07d}"


def generate_catalog_chunk(
    *, taxonomy: Taxonomy, seed: int, index: int, start: int, stop: int, as_of: datetime
) -> CatalogChunk:
    """Products [start, stop) with their price history, stock and item views."""
    rng = derive_rng(seed, "catalog", index)
    specs = taxonomy.categories
    cum_weights = list(itertools.accumulate(spec.weight for spec in specs))
    chunk = CatalogChunk()
    showcases = [(spec, sc) for spec in specs for sc in spec.showcase] if index == 0 else []
    position, group_no = start, 0
    while position < stop:
        if group_no < len(showcases):
            spec, showcase = showcases[group_no]
            group = _draw_showcase(rng, spec=spec, showcase=showcase, first=position, as_of=as_of)
        else:
            walk = group_no - len(showcases)
            if walk < len(specs):
                spec = specs[walk]
            else:
                spec = rng.choices(specs, cum_weights=cum_weights)[0]
            group = _draw_group(rng, spec=spec, first=position, as_of=as_of)
        position = _add_variants(rng, chunk, group=group, first=position, stop=stop, as_of=as_of)
        group_no += 1
    return chunk


def _draw_launch_date(rng: random.Random, as_of: datetime) -> date:
    today = as_of.date()
    roll = rng.random()
    if roll < NEW_SHARE:
        return today - timedelta(days=rng.randint(0, NEW_ITEM_DAYS - 1))
    if roll < NEW_SHARE + RECENT_SHARE:
        return today - timedelta(days=rng.randint(NEW_ITEM_DAYS, 120))
    return today - timedelta(days=rng.randint(121, OLDEST_LAUNCH_DAYS))


def _draw_group(rng: random.Random, *, spec: CategorySpec, first: int, as_of: datetime) -> _Group:
    leaf = rng.choice(spec.leaves)
    brand = rng.choice(spec.brands)
    launch = _draw_launch_date(rng, as_of)
    return _Group(
        spec=spec,
        leaf=leaf,
        brand=brand,
        group_id=f"GRP-{first:07d}",
        attributes=draw_attributes(rng, spec=spec, leaf=leaf.slug),
        base_price=draw_base_price(rng, spec=spec, leaf=leaf, brand=brand),
        launch_date=launch,
        popularity=round(rng.lognormvariate(0.0, 0.8), 4),
        is_new=(as_of.date() - launch).days < NEW_ITEM_DAYS,
    )


def _draw_showcase(
    rng: random.Random, *, spec: CategorySpec, showcase: Showcase, first: int, as_of: datetime
) -> _Group:
    drawn = _draw_group(rng, spec=spec, first=first, as_of=as_of)
    return replace(
        drawn,
        leaf=spec.leaf(showcase.leaf),
        attributes={**draw_attributes(rng, spec=spec, leaf=showcase.leaf), **showcase.attributes},
        max_price=showcase.max_price,
        launch_date=as_of.date() - timedelta(days=SHOWCASE_AGE_DAYS),
        is_new=False,
        stock_state=showcase.stock or "normal",
    )


def _add_variants(
    rng: random.Random,
    chunk: CatalogChunk,
    *,
    group: _Group,
    first: int,
    stop: int,
    as_of: datetime,
) -> int:
    spec, leaf, brand = group.spec, group.leaf, group.brand.name
    axes = draw_axes(rng, spec=spec, leaf=leaf.slug)
    combos = variant_combinations(axes)[: stop - first]
    base_price = group.base_price
    if group.max_price is not None:
        cheapest = group.max_price * SHOWCASE_PRICE_SHARE / price_factor(axes, combos[0])
        base_price = min(base_price, cheapest)
    description = make_description(
        rng, spec=spec, leaf=leaf, brand=brand, attributes=group.attributes
    )
    shared_title = None
    if not any(attr.place for attr, _ in axes):
        shared_title = base_title(spec=spec, leaf=leaf, brand=brand, attributes=group.attributes)
    labels = {
        attr.key: {value: option_label(attr, value) for value in values}
        for attr, values in axes
        if not attr.place
    }
    for offset, combo in enumerate(combos):
        attributes: dict[str, AttrValue] = {**group.attributes, **combo}
        title = shared_title or base_title(spec=spec, leaf=leaf, brand=brand, attributes=attributes)
        if labels:
            title += " - " + ", ".join(labels[key][combo[key]] for key in labels)
        sku = _Sku(
            sku=sku_id(first + offset),
            title=title,
            attributes=attributes,
            price=price_point(base_price * price_factor(axes, combo)),
        )
        _add_sku(rng, chunk, group=group, sku=sku, description=description, as_of=as_of)
    return first + len(combos)


@dataclass(frozen=True)
class _Sku:
    sku: str
    title: str
    attributes: dict[str, AttrValue]
    price: int


def _add_sku(
    rng: random.Random,
    chunk: CatalogChunk,
    *,
    group: _Group,
    sku: _Sku,
    description: str,
    as_of: datetime,
) -> None:
    cost = draw_unit_cost(rng, spec=group.spec, list_price=sku.price)
    map_cents = draw_map(rng, brand=group.brand, list_price=sku.price, unit_cost=cost)
    history = draw_price_history(
        rng,
        list_price=sku.price,
        floor=price_floor(unit_cost=cost, map_cents=map_cents),
        launched_at=datetime.combine(group.launch_date, time(), tzinfo=UTC),
        as_of=as_of,
    )
    chunk.products.append(
        _product_row(group, sku, description=description, cost=cost, map_cents=map_cents)
    )
    chunk.prices.extend(
        {
            "sku": sku.sku,
            "price_cents": p.price_cents,
            "effective_at": p.effective_at,
            "reason": p.reason,
        }
        for p in history
    )
    chunk.stock.extend(draw_stock(rng, sku=sku.sku, is_new=group.is_new, state=group.stock_state))
    if not group.is_new:
        chunk.items.append(
            ItemView(
                sku=sku.sku,
                category=f"{group.spec.path}/{group.leaf.slug}",
                brand=group.brand.name,
                attributes=sku.attributes,
                price_cents=sku.price,
                launch_date=group.launch_date,
                popularity=group.popularity,
                prices=tuple((p.effective_at, p.price_cents) for p in history),
            )
        )


def _product_row(
    group: _Group, sku: _Sku, *, description: str, cost: int, map_cents: int | None
) -> dict[str, Any]:
    spec, leaf, attributes = group.spec, group.leaf, sku.attributes
    return {
        "sku": sku.sku,
        "variant_group": group.group_id,
        "title": sku.title,
        "description": description,
        "brand": group.brand.name,
        "category": f"{spec.path}/{leaf.slug}",
        "attributes": attributes,
        "tags": make_tags(spec=spec, leaf=leaf, attributes=attributes, is_new=group.is_new),
        "list_price_cents": sku.price,
        "unit_cost_cents": cost,
        "map_cents": map_cents,
        "age_restricted": spec.age_restricted or leaf.age_restricted,
        "regulated": _is_regulated(spec, leaf, attributes),
        "launch_date": group.launch_date,
    }


def _is_regulated(spec: CategorySpec, leaf: Leaf, attributes: dict[str, AttrValue]) -> bool:
    if spec.regulated or leaf.regulated:
        return True
    return any(
        attr.regulated_when_true and attributes.get(attr.key) is True
        for attr in spec.attributes_for(leaf.slug)
    )

"""Substitutes for an item: same category, closest attributes and price, and in stock now.

similarity = (matching attribute values + closeness of numeric ones) / attributes in either
product; score = similarity - price_weight * |ln(price / target price)|. Ties break on the
smaller price gap, then the sku. Candidates are ranked from the index and then checked against
live stock, so nothing out of stock is ever returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pydantic import BaseModel, Field
from sqlmodel import Session

from tools.exceptions import InputError
from tools.inventory.availability import available_by_sku
from tools.inventory.clock import as_utc
from tools.inventory.exceptions import StaleIndexError, UnknownLocationError, UnknownSkuError
from tools.inventory.index import CatalogIndex, CategoryBlock, FloatArray, IntArray
from tools.store import Location, Product

MAX_LIMIT = 50


@dataclass(frozen=True)
class SubstituteWeights:
    """How price distance weighs against attribute similarity, and how far to search."""

    price_weight: float = 0.5
    max_checked: int = 200


class Substitute(BaseModel):
    """One in-stock alternative."""

    sku: str
    title: str
    list_price_cents: int
    similarity: float = Field(description="Attribute similarity in [0, 1]")
    price_ratio: float = Field(description="Its price / the item's price")
    score: float
    available: int = Field(description="Units available now (at the location, if one was given)")


class SubstituteList(BaseModel):
    """Substitutes for one sku, best first."""

    sku: str
    category: str
    at: datetime
    location_id: str | None
    substitutes: list[Substitute]


def similarity(block: CategoryBlock, row: int) -> FloatArray:
    """Attribute similarity of every product in the block to the product at `row`."""
    target_codes = block.codes[row]
    has_code = target_codes >= 0
    codes = block.codes[:, has_code]
    matches = (codes == target_codes[has_code]).sum(axis=1).astype(np.float64)
    shared = (codes >= 0).sum(axis=1)
    target_numbers = block.numbers[row]
    has_number = ~np.isnan(target_numbers)
    numbers = block.numbers[:, has_number]
    values = target_numbers[has_number]
    scale = np.maximum(np.maximum(np.abs(numbers), np.abs(values)), 1e-9)
    closeness = 1.0 - np.minimum(1.0, np.abs(numbers - values) / scale)
    matches += np.where(np.isnan(closeness), 0.0, closeness).sum(axis=1)
    shared = shared + (~np.isnan(numbers)).sum(axis=1)
    union = block.n_attrs[row] + block.n_attrs - shared
    return np.where(union > 0, matches / np.maximum(union, 1), 1.0)


def rank_rows(
    block: CategoryBlock, row: int, *, weights: SubstituteWeights
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Rows of the block's in-stock products other than `row`, best first; similarity; score."""
    sims = similarity(block, row)
    gap = np.abs(block.log_price - block.log_price[row])
    scores = np.round(sims - weights.price_weight * gap, 9)
    mask = block.stock > 0
    mask[row] = False
    rows = np.flatnonzero(mask)
    order = np.lexsort((rows, gap[rows], -scores[rows]))
    return rows[order], sims, scores


def substitutes(
    session: Session,
    index: CatalogIndex,
    *,
    sku: str,
    now: datetime,
    limit: int = 5,
    quantity: int = 1,
    location_id: str | None = None,
    weights: SubstituteWeights = SubstituteWeights(),
) -> SubstituteList:
    """Up to `limit` substitutes with at least `quantity` units available now."""
    _check(session, index, sku=sku, limit=limit, quantity=quantity, location_id=location_id)
    category, row = index.rows[sku]
    block = index.blocks[category]
    ranked, sims, scores = rank_rows(block, row, weights=weights)
    found: list[Substitute] = []
    batch = max(2 * limit, 10)
    for start in range(0, min(len(ranked), weights.max_checked), batch):
        rows = [int(r) for r in ranked[start : start + batch]]
        skus = [block.skus[r] for r in rows]
        live = available_by_sku(session, skus=skus, now=now, location_id=location_id)
        for r, candidate in zip(rows, skus, strict=True):
            if live[candidate] >= quantity and len(found) < limit:
                found.append(_substitute(block, r, row, live[candidate], sims, scores))
        if len(found) >= limit:
            break
    return SubstituteList(
        sku=sku, category=category, at=as_utc(now), location_id=location_id, substitutes=found
    )


def _check(
    session: Session,
    index: CatalogIndex,
    *,
    sku: str,
    limit: int,
    quantity: int,
    location_id: str | None,
) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    if quantity < 1:
        raise InputError("must be at least 1", field="quantity")
    if sku not in index.rows:
        raise StaleIndexError(sku) if session.get(Product, sku) else UnknownSkuError(sku)
    if location_id is not None and session.get(Location, location_id) is None:
        raise UnknownLocationError(location_id)


def _substitute(
    block: CategoryBlock, r: int, target: int, available: int, sims: FloatArray, scores: FloatArray
) -> Substitute:
    price = int(block.price_cents[r])
    return Substitute(
        sku=block.skus[r],
        title=block.titles[r],
        list_price_cents=price,
        similarity=round(float(sims[r]), 4),
        price_ratio=round(price / max(int(block.price_cents[target]), 1), 4),
        score=round(float(scores[r]), 4),
        available=available,
    )

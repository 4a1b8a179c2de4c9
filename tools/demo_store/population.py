"""Generating shoppers in chunks: tastes, shopper rows, consents, histories and orders.

Each shopper draws from a stream derived from (seed, "shopper", index), so a shopper's
record and history do not depend on the chunking or on the shoppers before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tools.demo_store.history import simulate_history
from tools.demo_store.items import ItemPool
from tools.demo_store.rng import derive_rng
from tools.demo_store.sessions import plan_sessions
from tools.demo_store.shoppers import consent_rows, draw_home, shopper_id, shopper_row
from tools.demo_store.tastes import Taste, draw_taste
from tools.demo_store.taxonomy import Taxonomy

MAX_TENURE_DAYS = 1_500


@dataclass
class ShopperChunk:
    """Rows for one chunk of shoppers, and their tastes for the truth file."""

    shoppers: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    tastes: list[Taste] = field(default_factory=list)


def generate_shopper_chunk(
    *,
    taxonomy: Taxonomy,
    pool: ItemPool,
    seed: int,
    start: int,
    stop: int,
    as_of: datetime,
) -> ShopperChunk:
    """Shoppers [start, stop) with everything they did."""
    chunk = ShopperChunk()
    categories = pool.categories()
    for index in range(start, stop):
        rng = derive_rng(seed, "shopper", index)
        taste = draw_taste(
            rng, shopper_id=shopper_id(index), taxonomy=taxonomy, home=draw_home(rng)
        )
        member_since = as_of - timedelta(days=rng.randint(30, MAX_TENURE_DAYS))
        row = shopper_row(rng, index=index, taste=taste, member_since=member_since)
        uses_app = taste.device == "app" or rng.random() < 0.3
        chunk.shoppers.append(row)
        chunk.consents.extend(
            consent_rows(
                rng, shopper=row, uses_app=uses_app, member_since=member_since, as_of=as_of
            )
        )
        plans = plan_sessions(
            rng, taste=taste, categories=categories, member_since=member_since, as_of=as_of
        )
        history = simulate_history(
            rng, index=index, taste=taste, plans=plans, pool=pool, taxonomy=taxonomy, as_of=as_of
        )
        chunk.events.extend(history.events)
        chunk.orders.extend(history.orders)
        chunk.lines.extend(history.lines)
        chunk.tastes.append(taste)
    return chunk

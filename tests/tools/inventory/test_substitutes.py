from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.tools.inventory.seed import CLEANSER, MOISTURIZER, add_hold, product
from tools.exceptions import InputError
from tools.inventory import (
    StaleIndexError,
    SubstituteWeights,
    UnknownLocationError,
    UnknownSkuError,
    available_by_sku,
    load_index,
    substitutes,
)
from tools.inventory.index import IndexHolder, ProductRow, build_block
from tools.inventory.substitutes import rank_rows, similarity
from tools.store import InventoryLevel, Location, transaction

NOW = datetime(2025, 6, 10, 16, tzinfo=UTC)


def _skus(store: Engine, sku: str, **kwargs: object) -> list[str]:
    index = load_index(store, now=NOW)
    with Session(store) as session:
        result = substitutes(session, index, sku=sku, now=NOW, **kwargs)  # type: ignore[arg-type]
    return [s.sku for s in result.substitutes]


def test_closest_attributes_and_price_first_in_stock_only(store: Engine) -> None:
    index = load_index(store, now=NOW)
    with Session(store) as session:
        result = substitutes(session, index, sku="M1", now=NOW)
    # M3 and M7 match exactly but have nothing available; C1 is another category.
    assert [s.sku for s in result.substitutes] == ["M2", "M6", "M4", "M5"]
    first = result.substitutes[0]
    assert (first.similarity, first.price_ratio, first.available) == (1.0, 1.04, 51)
    assert result.category == MOISTURIZER
    assert all(s.available > 0 for s in result.substitutes)


def test_limit_location_and_quantity(store: Engine) -> None:
    assert _skus(store, "M1", limit=2) == ["M2", "M6"]
    assert _skus(store, "M1", location_id="NYC") == ["M2", "M5"]
    assert _skus(store, "M1", location_id="NYC", quantity=4) == []


def test_stock_that_went_after_the_index_was_loaded_is_never_offered(store: Engine) -> None:
    index = load_index(store, now=NOW)
    add_hold(
        store,
        sku="M6",
        location_id="BKN",
        quantity=5,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
    )
    with transaction(store) as session:
        level = session.get(InventoryLevel, ("M2", "WH"))
        assert level is not None
        level.on_hand = 0
        session.add(level)
    with Session(store) as session:
        result = substitutes(session, index, sku="M1", now=NOW)
        assert [(s.sku, s.available) for s in result.substitutes] == [
            ("M2", 11),
            ("M4", 8),
            ("M5", 3),
        ]
        later = substitutes(session, index, sku="M1", now=NOW + timedelta(hours=1))
        assert [s.sku for s in later.substitutes] == ["M2", "M6", "M4", "M5"]


def test_same_answer_every_time_and_ties_break_by_sku() -> None:
    rows = [ProductRow(f"X{i}", "c", f"X{i}", 1000, {"a": "same"}) for i in (3, 1, 2, 0)]
    block = build_block(rows, {f"X{i}": 1 for i in range(4)})
    ranked, _, _ = rank_rows(block, 0, weights=SubstituteWeights())
    assert [block.skus[r] for r in ranked] == ["X1", "X2", "X3"]
    again, _, _ = rank_rows(block, 0, weights=SubstituteWeights())
    assert np.array_equal(ranked, again)


def test_similarity_counts_missing_attributes_against_the_match() -> None:
    rows = [
        ProductRow("A", "c", "A", 100, {"color": "Blue", "tags": ["x", "y"], "ml": 50}),
        ProductRow("B", "c", "B", 100, {"color": "blue ", "tags": ["y", "x"], "ml": 50}),
        ProductRow("C", "c", "C", 100, {"color": "blue"}),
        ProductRow("D", "c", "D", 100, {"ml": 25, "extra": True}),
        ProductRow("E", "c", "E", 100, {}),
    ]
    block = build_block(rows, {})
    assert similarity(block, 0).round(4).tolist() == [1.0, 1.0, 0.3333, 0.125, 0.0]


def test_unknown_and_stale_skus_and_bad_arguments(store: Engine) -> None:
    index = load_index(store, now=NOW)
    with transaction(store) as session:
        session.add(product("M9", MOISTURIZER, 2500, {}))
    with Session(store) as session:
        with pytest.raises(UnknownSkuError):
            substitutes(session, index, sku="NOPE", now=NOW)
        with pytest.raises(StaleIndexError):
            substitutes(session, index, sku="M9", now=NOW)
        with pytest.raises(InputError, match="between 1 and 50"):
            substitutes(session, index, sku="M1", now=NOW, limit=0)
        with pytest.raises(UnknownLocationError):
            substitutes(session, index, sku="M1", now=NOW, location_id="MARS")
    holder = IndexHolder(store, index=index)
    assert "M9" in holder.refresh(now=NOW).rows


def test_substitutes_are_never_out_of_stock_on_random_catalogs(sqlite_engine: Engine) -> None:
    rng = random.Random(7)
    categories = [MOISTURIZER, CLEANSER]
    skus = [f"R{i:03d}" for i in range(120)]
    with transaction(sqlite_engine) as session:
        session.add(Location(id="S", name="S", kind="store", timezone="UTC"))
        session.add(Location(id="W", name="W", kind="warehouse", timezone="UTC"))
        for sku in skus:
            attrs = {"a": rng.choice("xyz"), "b": rng.choice([1, 2, 3]), "c": rng.random() < 0.5}
            session.add(product(sku, rng.choice(categories), rng.randint(500, 5000), attrs))
        session.flush()
        for sku in skus:
            for loc in ("S", "W"):
                on_hand = rng.choice([0, 0, 1, 2, 5])
                session.add(
                    InventoryLevel(
                        sku=sku,
                        location_id=loc,
                        on_hand=on_hand,
                        reserved=min(on_hand, rng.choice([0, 1])),
                    )
                )
    index = load_index(sqlite_engine, now=NOW)
    for sku in rng.sample(skus, 15):  # holds placed after the index was loaded
        add_hold(
            sqlite_engine,
            sku=sku,
            location_id="S",
            quantity=1,
            created_at=NOW,
            expires_at=NOW + timedelta(days=1),
        )
    category_of = {sku: index.rows[sku][0] for sku in skus}
    with Session(sqlite_engine) as session:
        for sku in skus:
            for location in (None, "S"):
                found = substitutes(
                    session, index, sku=sku, now=NOW, limit=8, location_id=location
                ).substitutes
                live = available_by_sku(
                    session, skus=[s.sku for s in found], now=NOW, location_id=location
                )
                assert all(live[s.sku] >= 1 and s.available == live[s.sku] for s in found)
                assert all(category_of[s.sku] == category_of[sku] and s.sku != sku for s in found)

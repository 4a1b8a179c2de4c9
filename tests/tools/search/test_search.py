from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.tools.search.conftest import HashingEncoder
from tools.exceptions import InputError
from tools.search import (
    CatalogIndex,
    CatalogRecord,
    SearchFilters,
    build_index,
    load_or_build,
    refresh_browse_order,
    refresh_prices,
    refresh_stock,
    search,
)
from tools.store import InventoryLevel, Product, transaction


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("fragrance free moisturizer", "SKU-001"),
        ("waterproof hiking boots", "SKU-007"),
        ("oat milk", "SKU-014"),
        ("dark roast coffee", "SKU-015"),
        ("TENTS", "SKU-018"),
        ("leather chelsea boot", "SKU-006"),
    ],
)
def test_relevant_product_ranks_first(index: CatalogIndex, query: str, best: str) -> None:
    hits = search(index, query=query, k=5)
    assert hits[0].sku == best
    assert hits[0].bm25_rank == 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_report_fused_score_and_both_ranks(index: CatalogIndex) -> None:
    hit = search(index, query="oat milk", k=1)[0]
    assert hit.bm25_rank is not None and hit.dense_rank is not None
    assert hit.score == pytest.approx(1 / (60 + hit.bm25_rank) + 1 / (60 + hit.dense_rank))


def test_text_search_under_filters(index: CatalogIndex) -> None:
    filters = SearchFilters(category="apparel", exclude_terms=["leather"], max_price_cents=10_000)
    hits = search(index, query="boots", filters=filters, k=3)
    assert [h.sku for h in hits][:2] == ["SKU-007", "SKU-008"]


def test_empty_query_browses_best_sellers_then_sku(index: CatalogIndex) -> None:
    skus = [h.sku for h in search(index, query="   ", k=5)]
    assert skus == ["SKU-014", "SKU-001", "SKU-007", "SKU-002", "SKU-003"]
    in_ny = search(index, filters=SearchFilters(in_stock_at="store-ny"))
    assert [h.sku for h in in_ny] == ["SKU-001", "SKU-003", "SKU-006", "SKU-008"]
    assert all(h.score == 0.0 and h.bm25_rank is None for h in in_ny)


def test_equal_scores_are_ordered_by_sku(encoder: HashingEncoder) -> None:
    twins = [
        CatalogRecord(sku=sku, title="Blue wool scarf", list_price_cents=900)
        for sku in ("B-2", "B-10", "B-1")
    ]
    twins.sort(key=lambda r: r.sku)
    index = build_index(records=twins, encoder=encoder)
    hits = search(index, query="wool scarf", k=3)
    assert [h.sku for h in hits] == ["B-1", "B-10", "B-2"]
    assert [(h.bm25_rank, h.dense_rank) for h in hits] == [(1, 1), (2, 2), (3, 3)]


def test_same_inputs_give_byte_identical_results(
    store: Engine, tmp_path: Path, index: CatalogIndex
) -> None:
    other = load_or_build(engine=store, data_dir=tmp_path / "elsewhere", encoder=HashingEncoder())
    filters = SearchFilters(exclude_brands=["Bloom"])
    for query in ["boots", "fragrance free moisturizer", "", "coffee beans"]:
        first = [h.model_dump_json() for h in search(index, query=query, filters=filters)]
        again = [h.model_dump_json() for h in search(index, query=query, filters=filters)]
        rebuilt = [h.model_dump_json() for h in search(other, query=query, filters=filters)]
        assert first == again == rebuilt


def test_refresh_stock_updates_availability_without_rebuilding(
    store: Engine, index: CatalogIndex
) -> None:
    lexical, dense = index.lexical, index.dense
    same_day = SearchFilters(same_day_pickup=True)
    assert "SKU-003" not in {h.sku for h in search(index, filters=same_day)}
    with transaction(store) as session:
        session.add(InventoryLevel(sku="SKU-003", location_id="store-sf", on_hand=2))
        level = session.get(InventoryLevel, ("SKU-001", "store-sf"))
        assert level is not None
        level.reserved = level.on_hand
    refresh_stock(index, engine=store)
    assert [h.sku for h in search(index, filters=same_day)] == ["SKU-014", "SKU-007", "SKU-003"]
    assert index.lexical is lexical and index.dense is dense


def test_refresh_prices_and_browse_order(store: Engine, index: CatalogIndex) -> None:
    with transaction(store) as session:
        product = session.get(Product, "SKU-018")
        assert product is not None
        product.list_price_cents = 999
    cheap = SearchFilters(max_price_cents=1000)
    assert {h.sku for h in search(index, filters=cheap)} == {"SKU-014"}
    refresh_prices(index, engine=store)
    assert {h.sku for h in search(index, filters=cheap)} == {"SKU-014", "SKU-018"}
    refresh_browse_order(index, engine=store)
    assert search(index, k=1)[0].sku == "SKU-014"


@pytest.mark.parametrize(("k", "query"), [(0, "boots"), (1001, "boots"), (5, "x" * 1001)])
def test_bad_arguments_are_input_errors(index: CatalogIndex, k: int, query: str) -> None:
    with pytest.raises(InputError):
        search(index, query=query, k=k)


def test_empty_catalog_finds_nothing(sqlite_engine: Engine, tmp_path: Path) -> None:
    index = load_or_build(engine=sqlite_engine, data_dir=tmp_path, encoder=HashingEncoder())
    assert index.size == 0
    assert search(index, query="boots") == []
    assert search(index, filters=SearchFilters(brands=["x"])) == []
    again = load_or_build(engine=sqlite_engine, data_dir=tmp_path, encoder=HashingEncoder())
    assert search(again, query="boots") == []

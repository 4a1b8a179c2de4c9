from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from tests.tools.search.conftest import HashingEncoder
from tools.embeddings import Vectors
from tools.search import (
    CatalogIndex,
    CatalogRecord,
    DenseIndex,
    SearchFilters,
    build_index,
    load_or_build,
    load_or_build_records,
    search,
)
from tools.store import Product, transaction

QUERIES = ["fragrance free moisturizer", "boots", "coffee", "rain jacket", ""]
FILTERS = [None, SearchFilters(category="apparel"), SearchFilters(same_day_pickup=True)]


def _results(index: CatalogIndex) -> list[str]:
    return [
        hit.model_dump_json()
        for query, filters in itertools.product(QUERIES, FILTERS)
        for hit in search(index, query=query, filters=filters)
    ]


def test_second_load_reads_the_saved_index_without_encoding(store: Engine, tmp_path: Path) -> None:
    first_encoder, second_encoder = HashingEncoder(), HashingEncoder()
    built = load_or_build(engine=store, data_dir=tmp_path, encoder=first_encoder)
    assert (first_encoder.encode_calls, first_encoder.encoded_texts) == (1, 20)
    manifest = json.loads((tmp_path / "index" / built.fingerprint / "manifest.json").read_text())
    assert manifest["rows"] == 20 and manifest["dense"] == "flat"

    loaded = load_or_build(engine=store, data_dir=tmp_path, encoder=second_encoder)
    assert second_encoder.encode_calls == 0
    assert loaded.fingerprint == built.fingerprint
    assert _results(loaded) == _results(built)


@pytest.mark.parametrize("damage", ["folder", "dense/vectors.faiss", "manifest.json", "lexical"])
def test_a_damaged_index_is_rebuilt_from_cached_embeddings(
    store: Engine, tmp_path: Path, damage: str
) -> None:
    built = load_or_build(engine=store, data_dir=tmp_path, encoder=HashingEncoder())
    folder = tmp_path / "index" / built.fingerprint
    target = folder if damage == "folder" else folder / damage
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.write_bytes(b"{")
    encoder = HashingEncoder()
    rebuilt = load_or_build(engine=store, data_dir=tmp_path, encoder=encoder)
    assert encoder.encode_calls == 0
    assert _results(rebuilt) == _results(built)
    assert json.loads((folder / "manifest.json").read_text())["rows"] == 20


def test_price_changes_keep_the_index_and_text_changes_rebuild_it(
    store: Engine, tmp_path: Path
) -> None:
    first = load_or_build(engine=store, data_dir=tmp_path, encoder=HashingEncoder())
    with transaction(store) as session:
        product = session.get(Product, "SKU-014")
        assert product is not None
        product.list_price_cents = 100_000
    encoder = HashingEncoder()
    repriced = load_or_build(engine=store, data_dir=tmp_path, encoder=encoder)
    assert repriced.fingerprint == first.fingerprint and encoder.encode_calls == 0
    assert search(repriced, filters=SearchFilters(min_price_cents=50_000))[0].sku == "SKU-014"

    with transaction(store) as session:
        product = session.get(Product, "SKU-014")
        assert product is not None
        product.title = "Organic Almond Milk"
    renamed = load_or_build(engine=store, data_dir=tmp_path, encoder=encoder)
    assert renamed.fingerprint != first.fingerprint and encoder.encode_calls == 1
    assert search(renamed, query="almond milk", k=1)[0].sku == "SKU-014"


def test_an_edited_description_re_encodes_that_product_only(store: Engine, tmp_path: Path) -> None:
    load_or_build(engine=store, data_dir=tmp_path, encoder=HashingEncoder())
    with transaction(store) as session:
        product = session.get(Product, "SKU-003")
        assert product is not None
        product.description = "A rich overnight cream with ceramides. Daily hydrating face cream."
    encoder = HashingEncoder()
    edited = load_or_build(engine=store, data_dir=tmp_path, encoder=encoder)
    assert (encoder.encode_calls, encoder.encoded_texts) == (1, 1)
    assert search(edited, query="ceramides", k=1)[0].sku == "SKU-003"

    fresh = load_or_build(engine=store, data_dir=tmp_path / "fresh", encoder=HashingEncoder())
    assert fresh.fingerprint == edited.fingerprint
    assert _results(fresh) == _results(edited)
    a, b = (r / "index" / edited.fingerprint / "dense" for r in (tmp_path, tmp_path / "fresh"))
    assert (a / "vectors.faiss").read_bytes() == (b / "vectors.faiss").read_bytes()


def test_exact_below_the_threshold_and_hnsw_from_it(store: Engine, tmp_path: Path) -> None:
    small = load_or_build(engine=store, data_dir=tmp_path, encoder=HashingEncoder())
    assert small.dense.kind == "flat"
    graph = load_or_build(
        engine=store, data_dir=tmp_path, encoder=HashingEncoder(), hnsw_threshold=20
    )
    assert graph.dense.kind == "hnsw" and graph.fingerprint != small.fingerprint
    reloaded = load_or_build(
        engine=store, data_dir=tmp_path, encoder=HashingEncoder(), hnsw_threshold=20
    )
    assert reloaded.dense.kind == "hnsw"
    assert search(graph, query="oat milk", k=1)[0].sku == "SKU-014"
    assert _results(reloaded) == _results(graph)


def _catalog(size: int) -> list[CatalogRecord]:
    colors = ["red", "blue", "green", "black", "white", "grey", "navy", "tan"]
    kinds = ["boots", "jacket", "scarf", "mug", "lamp", "tent", "shirt", "bag", "hat", "sock"]
    records = [
        CatalogRecord(
            sku=f"P-{i:05d}",
            title=f"{colors[i % 8]} {kinds[i % 10]} model {i % 37}",
            brand="Rare" if i % 500 == 7 else f"Brand{i % 13}",
            category=f"dept{i % 4}/{kinds[i % 10]}",
            list_price_cents=100 + i,
        )
        for i in range(size)
    ]
    return sorted(records, key=lambda r: r.sku)


def test_restrictive_filters_still_find_their_products(tmp_path: Path) -> None:
    records = _catalog(1500)
    index = load_or_build_records(
        records=records, data_dir=tmp_path, encoder=HashingEncoder(), hnsw_threshold=100
    )
    assert index.dense.kind == "hnsw"
    rare = {r.sku for r in records if r.brand == "Rare"}
    assert len(rare) == 3
    hits = search(index, query="green tent", filters=SearchFilters(brands=["rare"]), k=10)
    assert {h.sku for h in hits} == rare
    assert all(h.dense_rank is not None for h in hits)


def _unit_vectors(rows: int, dimension: int, *, seed: int) -> Vectors:
    vectors = np.random.default_rng(seed).standard_normal((rows, dimension)).astype(np.float32)
    normalized: Vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalized


def _exact_top(vectors: Vectors, query: Vectors, allowed: np.ndarray, depth: int) -> list[int]:
    rows = np.flatnonzero(allowed)
    best: list[int] = rows[np.argsort(-(vectors[rows] @ query), kind="stable")][:depth].tolist()
    return best


def test_dense_search_within_allowed_rows_exact_and_approximate() -> None:
    vectors = _unit_vectors(3000, 32, seed=3)
    query = vectors[11]
    allowed = np.random.default_rng(4).random(3000) < 0.3
    allowed[11] = False
    expected = _exact_top(vectors, query, allowed, 20)

    exact = DenseIndex.build(vectors, hnsw_threshold=100, exact_limit=5000)
    assert exact.kind == "hnsw"
    assert exact.ranked(query, allowed=allowed, depth=20).tolist() == expected

    graph_walk = DenseIndex.build(vectors, hnsw_threshold=100, exact_limit=10, span_limit=10)
    found = graph_walk.ranked(query, allowed=allowed, depth=20)
    assert len(found) == 20 and allowed[found].all()
    assert len(set(found.tolist()) & set(expected)) >= 16
    assert graph_walk.ranked(query, allowed=np.zeros(3000, dtype=np.bool_), depth=5).size == 0


def test_rows_stored_side_by_side_are_searched_exactly() -> None:
    vectors = _unit_vectors(3000, 32, seed=8)
    order = np.argsort(np.arange(3000) % 7, kind="stable").astype(np.int32)  # groups of rows
    group = np.arange(3000) % 7 == 2  # one group: 429 rows, scattered in row order
    dense = DenseIndex.build(
        vectors, order=order, hnsw_threshold=100, exact_limit=10, span_limit=500
    )
    for query in vectors[:5]:
        assert dense.ranked(query, allowed=group, depth=30).tolist() == _exact_top(
            vectors, query, group, 30
        )
    assert dense.ranked(vectors[0], allowed=None, depth=1).tolist() == [0]


def test_hnsw_builds_are_byte_identical(tmp_path: Path) -> None:
    vectors = _unit_vectors(2000, 16, seed=5)
    DenseIndex.build(vectors, hnsw_threshold=1).save(tmp_path / "a")
    DenseIndex.build(vectors, hnsw_threshold=1).save(tmp_path / "b")
    for name in ("vectors.faiss", "order.npy"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_records_out_of_sku_order_are_refused(tmp_path: Path) -> None:
    records = [
        CatalogRecord(sku="B", title="b", list_price_cents=1),
        CatalogRecord(sku="A", title="a", list_price_cents=1),
    ]
    with pytest.raises(ValueError, match="out of sku order"):
        build_index(records=records, encoder=HashingEncoder())

"""Search with the real all-MiniLM-L6-v2 encoder: meaning is found without shared words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tools.search.conftest import seed_store
from tools.embeddings import TextEncoder
from tools.search import CatalogIndex, SearchFilters, load_or_build, search
from tools.store import create_schema, make_engine


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogIndex]:
    root = tmp_path_factory.mktemp("real")
    engine = make_engine(f"sqlite:///{root / 'store.db'}")
    create_schema(engine)
    seed_store(engine)
    yield load_or_build(engine=engine, data_dir=root / "data", encoder=TextEncoder())
    engine.dispose()


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("sunblock", "SKU-005"),
        ("footwear for mountain trails", "SKU-007"),
        ("espresso", "SKU-015"),
    ],
)
def test_dense_side_finds_meaning_without_shared_words(
    real_index: CatalogIndex, query: str, best: str
) -> None:
    hit = search(real_index, query=query, k=3)[0]
    assert (hit.sku, hit.bm25_rank, hit.dense_rank) == (best, None, 1)


def test_hybrid_query_with_filters(real_index: CatalogIndex) -> None:
    filters = SearchFilters(
        category="beauty", exclude_attributes={"fragrance_free": False}, max_price_cents=3000
    )
    hits = search(
        real_index, query="fragrance-free moisturizer for sensitive skin", filters=filters
    )
    assert hits[0].sku == "SKU-001"
    assert {h.sku for h in hits} == {"SKU-001", "SKU-004", "SKU-005"}

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.tools.search.conftest import (
    LOCATIONS,
    PRODUCTS,
    STOCK,
    WAREHOUSE_SKUS,
    HashingEncoder,
    seed_store,
)
from tools.exceptions import InputError
from tools.search import CatalogIndex, SearchFilters, count_matching, load_or_build, search
from tools.store import create_schema, make_engine

ALL = {p["sku"] for p in PRODUCTS}


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogIndex]:
    root = tmp_path_factory.mktemp("filters")
    engine = make_engine(f"sqlite:///{root / 'store.db'}")
    create_schema(engine)
    seed_store(engine)
    yield load_or_build(engine=engine, data_dir=root / "data", encoder=HashingEncoder())
    engine.dispose()


# --- an independent, slow, obviously-correct reading of the filters -------------------------


def _norm(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(float(value))
    return str(value).strip().lower()


def _values(value: Any) -> set[str]:
    return {_norm(v) for v in (value if isinstance(value, list) else [value])}


def _has(product: dict[str, Any], key: str, wanted: Any) -> bool:
    attributes = {k.lower(): v for k, v in product["attributes"].items()}
    return key.lower() in attributes and bool(_values(attributes[key.lower()]) & _values(wanted))


def _in_category(product: dict[str, Any], prefix: str) -> bool:
    path = [part.strip() for part in product["category"].lower().split("/")]
    wanted = [part.strip() for part in prefix.lower().split("/") if part.strip()]
    return path[: len(wanted)] == wanted


def _available(sku: str, location: str) -> bool:
    if location == "wh-1":
        return sku in WAREHOUSE_SKUS
    return any(s == sku and loc == location and on > res for s, loc, on, res in STOCK)


def _title_has(product: dict[str, Any], term: str) -> bool:
    words = set(product["title"].lower().replace("-", " ").split())
    return set(term.lower().split()) <= words


def allows(product: dict[str, Any], f: SearchFilters) -> bool:
    price = product["list_price_cents"]
    same_day = [loc.id for loc in LOCATIONS if loc.same_day_pickup]
    pickup = [f.in_stock_at] if f.in_stock_at else same_day
    checks = [
        f.category is None or _in_category(product, f.category),
        f.min_price_cents is None or price >= f.min_price_cents,
        f.max_price_cents is None or price <= f.max_price_cents,
        all(_has(product, k, v) for k, v in f.attributes.items()),
        not any(_has(product, k, v) for k, v in f.exclude_attributes.items()),
        not any(_title_has(product, term) for term in f.exclude_terms),
        not f.brands or product["brand"].lower() in {b.lower() for b in f.brands},
        product["brand"].lower() not in {b.lower() for b in f.exclude_brands},
        f.in_stock_at is None or _available(product["sku"], f.in_stock_at),
        not f.same_day_pickup
        or any(_available(product["sku"], loc) for loc in pickup if loc in same_day),
        product["sku"] not in f.exclude_skus,
    ]
    return all(checks)


def expected(f: SearchFilters) -> set[str]:
    return {p["sku"] for p in PRODUCTS if allows(p, f)}


# --- each filter, spelled out -------------------------------------------------------------


def _skus(*numbers: int) -> set[str]:
    return {f"SKU-{n:03d}" for n in numbers}


CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"category": "beauty/skin care"}, _skus(1, 2, 3, 4, 5)),
    ({"category": " Beauty / Skin Care / Moisturizers "}, _skus(1, 2, 3)),
    ({"category": "apparel"}, _skus(6, 7, 8, 9, 10, 11, 12, 13)),
    ({"min_price_cents": 1200, "max_price_cents": 1600}, _skus(4, 5, 15, 16, 20)),
    ({"attributes": {"fragrance_free": True}}, _skus(1, 4, 5)),
    ({"attributes": {"skin_type": ["dry", "oily"]}}, _skus(1, 3)),
    ({"attributes": {"color": "NAVY", "waterproof": False}}, set()),
    ({"attributes": {"spf": 30}}, _skus(5)),
    ({"attributes": {"material": "nylon", "waterproof": True}}, _skus(12)),
    ({"exclude_attributes": {"fragrance_free": False}}, ALL - _skus(2, 19, 20)),
    (
        {"exclude_attributes": {"material": "leather"}, "exclude_terms": ["leather"]},
        ALL - _skus(6, 9, 13),
    ),
    ({"exclude_terms": ["coffee beans", "oat"]}, ALL - _skus(14, 15, 16)),
    ({"brands": ["dermaco", "SunWise"]}, _skus(1, 3, 5)),
    ({"exclude_brands": ["Northway", "TrailCo", "Bloom"]}, _skus(1, 3, 5, 14, 15, 16)),
    ({"in_stock_at": "store-ny"}, _skus(1, 3, 6, 8)),
    ({"same_day_pickup": True}, _skus(1, 7, 14)),
    ({"same_day_pickup": True, "in_stock_at": "store-sf"}, _skus(1, 7, 14)),
    ({"same_day_pickup": True, "in_stock_at": "store-ny"}, set()),
    ({"exclude_skus": ["SKU-001", "NOPE"], "brands": ["Dermaco"]}, _skus(3)),
]


@pytest.mark.parametrize(("given_filters", "skus"), CASES)
def test_each_filter_allows_exactly_its_products(
    shared_index: CatalogIndex, given_filters: dict[str, Any], skus: set[str]
) -> None:
    filters = SearchFilters.model_validate(given_filters)
    assert expected(filters) == skus  # the cases agree with the reference reading
    browsed = search(shared_index, filters=filters, k=100)
    assert {hit.sku for hit in browsed} == skus
    assert count_matching(shared_index, filters=filters) == len(skus)
    found = search(shared_index, query="boots moisturizer coffee", filters=filters, k=100)
    assert {hit.sku for hit in found} <= skus


def test_unknown_location_is_an_input_error(shared_index: CatalogIndex) -> None:
    with pytest.raises(InputError, match="unknown location 'mars'"):
        search(shared_index, filters=SearchFilters(in_stock_at="mars"))


def test_inverted_price_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="above max_price_cents"):
        SearchFilters(min_price_cents=500, max_price_cents=100)


# --- property: no hit ever violates the filters, and browsing finds every allowed product ----

_ATTRIBUTE_PAIRS = sorted(
    {
        (key, value if not isinstance(value, list) else value[0])
        for p in PRODUCTS
        for key, value in p["attributes"].items()
    },
    key=repr,
)
_pairs = st.sampled_from(_ATTRIBUTE_PAIRS)
_brands = st.sampled_from([*sorted({p["brand"] for p in PRODUCTS}), "Nobody"])
_categories = st.sampled_from(
    ["beauty", "beauty/skin care", "apparel/shoes", "grocery/coffee", "outdoor", "nowhere"]
)
_prices = st.sampled_from([None, 0, 499, 1500, 2500, 9900, 30000])

filters_strategy = st.builds(
    SearchFilters,
    category=st.none() | _categories,
    min_price_cents=_prices,
    attributes=st.lists(_pairs, max_size=2).map(dict)
    | st.lists(_pairs, max_size=1).map(lambda pairs: {k: [v, "other"] for k, v in pairs}),
    exclude_attributes=st.lists(_pairs, max_size=2).map(dict),
    exclude_terms=st.lists(
        st.sampled_from(["leather", "boots", "roast coffee", "the"]), max_size=2
    ),
    brands=st.lists(_brands, max_size=2),
    exclude_brands=st.lists(_brands, max_size=1),
    in_stock_at=st.sampled_from([None, "store-sf", "store-ny", "wh-1"]),
    same_day_pickup=st.booleans(),
    exclude_skus=st.lists(st.sampled_from(sorted(ALL)), max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filters=filters_strategy, query=st.sampled_from(["", "boots", "fragrance free cream"]))
def test_no_hit_violates_the_filters(
    shared_index: CatalogIndex, filters: SearchFilters, query: str
) -> None:
    hits = search(shared_index, query=query, filters=filters, k=50)
    allowed = expected(filters)
    assert {hit.sku for hit in hits} <= allowed
    if not query:
        assert {hit.sku for hit in hits} == allowed

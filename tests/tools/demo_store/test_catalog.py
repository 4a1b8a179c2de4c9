from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from tests.tools.demo_store.conftest import SMALL, table_rows
from tools.demo_store.attributes import variant_combinations
from tools.demo_store.pricing import HISTORY_DAYS, price_point
from tools.demo_store.taxonomy import load_taxonomy
from tools.demo_store.text import title_case

CATEGORY_KEYS = {
    "apparel/tops": {"size", "color", "material", "fit"},
    "apparel/outerwear": {"size", "color", "waterproof", "insulation"},
    "beauty/skincare": {"skin_type", "fragrance_free", "vegan", "key_ingredients"},
    "beauty/makeup": {"finish", "vegan", "fragrance_free"},
    "grocery/pantry": {"dietary"},
    "grocery/wine": {"varietal", "region", "vintage", "abv"},
    "electronics/audio": {"wireless", "connectivity", "color"},
    "home/bedding": {"bed_size", "material", "color"},
    "outdoor/camping": {"weight_g", "color"},
    "footwear/athletic": {"size", "cushioning", "width"},
    "fragrance/perfume": {"scent_family", "notes", "volume_ml"},
}


def _products(engine: Engine) -> list[dict[str, Any]]:
    return table_rows(engine, "products", "sku")


def test_at_least_twelve_departments_with_three_level_paths(small_engine: Engine) -> None:
    products = _products(small_engine)
    assert len(products) == SMALL.skus
    departments = {p["category"].split("/")[0] for p in products}
    assert len(departments) >= 12
    assert all(p["category"].count("/") == 2 for p in products)
    assert len({p["category"] for p in products}) >= 40


def test_products_carry_their_categorys_own_attributes(small_engine: Engine) -> None:
    taxonomy = load_taxonomy()
    seen: dict[str, set[str]] = defaultdict(set)
    for p in _products(small_engine):
        spec = taxonomy.spec(p["category"])
        leaf = p["category"].split("/")[2]
        expected = {a.key for a in spec.attributes_for(leaf)}
        assert set(p["attributes"]) == expected, p["sku"]
        seen[spec.path] |= set(p["attributes"])
    for path, keys in CATEGORY_KEYS.items():
        assert keys <= seen[path], path


def test_titles_and_descriptions_read_from_the_attributes(small_engine: Engine) -> None:
    taxonomy = load_taxonomy()
    checked = 0
    for p in _products(small_engine):
        spec = taxonomy.spec(p["category"])
        assert p["description"].startswith(p["description"][:1].upper())
        assert p["brand"] in p["description"]
        if spec.title.startswith("{brand}"):
            assert p["title"].startswith(p["brand"])
        for attr in spec.attributes_for(p["category"].split("/")[2]):
            if attr.kind == "flag" and attr.place and p["attributes"][attr.key] is True:
                assert attr.phrase.lower() in p["title"].lower()
                checked += 1
    assert checked > 10


def test_margins_lie_between_ten_and_seventy_percent(small_engine: Engine) -> None:
    margins = [1 - p["unit_cost_cents"] / p["list_price_cents"] for p in _products(small_engine)]
    assert min(margins) >= 0.10
    assert max(margins) <= 0.70
    assert min(margins) < 0.2 and max(margins) > 0.6


def test_map_is_never_above_list_price_nor_below_cost(small_engine: Engine) -> None:
    with_map = [p for p in _products(small_engine) if p["map_cents"] is not None]
    assert 0 < len(with_map) < SMALL.skus
    for p in with_map:
        assert p["unit_cost_cents"] <= p["map_cents"] <= p["list_price_cents"]


def test_variant_groups_share_everything_but_their_options(small_engine: Engine) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in _products(small_engine):
        groups[p["variant_group"]].append(p)
    apparel = [g for g in groups.values() if g[0]["category"].startswith("apparel/") and len(g) > 1]
    assert apparel
    for group in apparel:
        assert (
            len(
                {p["attributes"]["size"] for p in group} | {p["attributes"]["color"] for p in group}
            )
            > 1
        )
        assert len({p["brand"] for p in group}) == 1
        assert len({p["title"] for p in group}) == len(group)


def test_some_items_are_age_restricted_or_regulated(small_engine: Engine) -> None:
    products = _products(small_engine)
    restricted = [p for p in products if p["age_restricted"]]
    assert restricted
    assert any(p["category"].startswith("grocery/wine/") for p in restricted)
    assert any(p["regulated"] for p in products)
    assert not all(p["regulated"] for p in products)


def test_price_history_ends_at_list_price_within_sixty_days(small_engine: Engine) -> None:
    list_prices = {p["sku"]: p["list_price_cents"] for p in _products(small_engine)}
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in table_rows(small_engine, "price_history", "sku", "effective_at"):
        history[row["sku"]].append(row)
    assert set(history) == set(list_prices)
    window_start = SMALL.as_of - timedelta(days=HISTORY_DAYS)
    for sku, rows in history.items():
        assert rows[-1]["price_cents"] == list_prices[sku]
        assert all(window_start <= r["effective_at"] <= SMALL.as_of for r in rows)
    assert sum(len(rows) > 1 for rows in history.values()) > len(history) // 2


def test_price_points_and_title_case_look_like_a_shop() -> None:
    assert price_point(2_412) == 2_399
    assert price_point(449) == 449
    assert price_point(12_730) == 12_499
    assert title_case("fragrance-free moisturizer for sensitive skin - 50 ml") == (
        "Fragrance-Free Moisturizer for Sensitive Skin - 50 ml"
    )
    assert title_case("the quiet tide: a novel") == "The Quiet Tide: A Novel"


def test_variant_combinations_are_capped() -> None:
    spec = load_taxonomy().spec("apparel/tops")
    size = next(a for a in spec.attributes if a.key == "size")
    color = next(a for a in spec.attributes if a.key == "color")
    combos = variant_combinations([(size, list(size.values)), (color, list(color.values))])
    assert 0 < len(combos) <= 12
    assert len({tuple(sorted(c.items())) for c in combos}) == len(combos)

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import Engine

from tests.tools.demo_store.conftest import SMALL, table_rows
from tools.demo_store.items import NEW_ITEM_DAYS
from tools.demo_store.stock import LOW_STOCK_MAX, OVERSTOCK_MIN, WAREHOUSE_ID


def test_stores_in_several_timezones_with_same_day_pickup_and_a_warehouse(
    small_engine: Engine,
) -> None:
    locations = table_rows(small_engine, "locations")
    assert len(locations) >= 3
    assert any(loc["kind"] == "store" and loc["same_day_pickup"] for loc in locations)
    assert any(loc["kind"] == "store" and not loc["same_day_pickup"] for loc in locations)
    assert any(loc["kind"] == "warehouse" for loc in locations)
    assert len({loc["timezone"] for loc in locations}) >= 3


def test_out_of_stock_low_and_overstocked_items_are_present(small_engine: Engine) -> None:
    stock: dict[str, dict[str, int]] = defaultdict(dict)
    for row in table_rows(small_engine, "inventory"):
        stock[row["sku"]][row["location_id"]] = row["on_hand"]
        assert 0 <= row["reserved"] <= row["on_hand"]
    assert len(stock) == SMALL.skus
    assert all(WAREHOUSE_ID in levels for levels in stock.values())
    totals = {sku: sum(levels.values()) for sku, levels in stock.items()}
    assert any(total == 0 for total in totals.values())
    assert any(0 < max(levels.values()) <= LOW_STOCK_MAX for levels in stock.values())
    assert any(levels[WAREHOUSE_ID] >= OVERSTOCK_MIN for levels in stock.values())
    store_only_gaps = [
        sku for sku, levels in stock.items() if levels[WAREHOUSE_ID] > 0 and 0 in levels.values()
    ]
    assert store_only_gaps


def test_new_items_have_no_events_at_all(small_engine: Engine) -> None:
    newest = SMALL.as_of.date() - timedelta(days=NEW_ITEM_DAYS)
    new = {
        p["sku"]: p["tags"]
        for p in table_rows(small_engine, "products")
        if p["launch_date"] > newest
    }
    touched = {e["sku"] for e in table_rows(small_engine, "events")}
    assert new
    assert not set(new) & touched
    assert all("new-arrival" in tags for tags in new.values())


def test_the_documented_example_requests_have_answers(small_engine: Engine) -> None:
    products = {p["sku"]: p for p in table_rows(small_engine, "products")}
    pickup = {loc["id"] for loc in table_rows(small_engine, "locations") if loc["same_day_pickup"]}
    stock = table_rows(small_engine, "inventory")
    moisturizers = {
        sku
        for sku, p in products.items()
        if p["category"] == "beauty/skincare/moisturizer"
        and p["attributes"]["fragrance_free"] is True
        and p["attributes"]["skin_type"] == "sensitive"
        and p["list_price_cents"] < 3_000
        and "fragrance-free hydrating moisturizer for sensitive skin" in p["description"].lower()
    }
    assert any(
        row["sku"] in moisturizers and row["location_id"] in pickup and row["on_hand"] > 0
        for row in stock
    )
    jackets = {sku for sku, p in products.items() if "jacket" in p["category"]}
    assert any(
        row["sku"] in jackets
        and row["location_id"] == WAREHOUSE_ID
        and row["on_hand"] >= OVERSTOCK_MIN
        for row in stock
    )

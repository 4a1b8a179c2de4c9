from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from tests.tools.importers.support import (
    assert_located,
    line_of,
    mini_store,
    write_store,
)
from tools.exceptions import InputError
from tools.importers.inventory import ONLINE_LOCATION_ID
from tools.importers.taubench import import_taubench
from tools.store import (
    Consent,
    InventoryLevel,
    Location,
    Order,
    OrderLine,
    Product,
    Shopper,
)
from tools.store.digest import store_digest
from tools.store.stats import table_counts


def _assert_full_store(engine: Engine) -> None:
    counts = table_counts(engine)
    assert counts["products"] == 591
    assert counts["shoppers"] == 500
    assert counts["orders"] == 1000
    assert counts["inventory"] == 591
    assert counts["locations"] == 1
    assert counts["consents"] == 0
    with Session(engine) as session:
        groups = session.exec(select(func.count(func.distinct(Product.variant_group)))).one()
        assert groups == 50
        shirt = session.get(Product, "9612497925")
        assert shirt is not None
        assert shirt.variant_group == "9523456873"
        assert shirt.title.startswith("T-Shirt (") and "blue" in shirt.title
        assert shirt.category == "apparel/tops/t-shirt"
        assert shirt.attributes["size"] == "M"
        assert shirt.list_price_cents == 5088
        assert shirt.unit_cost_cents is None
        noah = session.get(Shopper, "noah_brown_6181")
        assert noah is not None
        assert (noah.name, noah.timezone, noah.postal_code) == (
            "Noah Brown",
            "America/Denver",
            "80279",
        )
        assert noah.profile["address"]["city"] == "Denver"
        order = session.get(Order, "#W2611340")
        assert order is not None
        assert (order.shopper_id, order.status, order.total_cents) == (
            "james_li_5688",
            "processed",
            53665,
        )
        assert order.details["payments"][0]["amount_cents"] == 53665


def test_taubench_round_trip_on_sqlite(shared_data: Path, sqlite_engine: Engine) -> None:
    report = import_taubench(sqlite_engine, directory=shared_data / "taubench_retail")
    assert report.created["products"] == 591
    assert report.created["orders"] == 1000
    _assert_full_store(sqlite_engine)


def test_taubench_round_trip_on_postgresql(shared_data: Path, pg_engine: Engine) -> None:
    import_taubench(pg_engine, directory=shared_data / "taubench_retail")
    _assert_full_store(pg_engine)


def test_sqlite_and_postgresql_hold_identical_rows(
    shared_data: Path, sqlite_engine: Engine, pg_engine: Engine
) -> None:
    for engine in (sqlite_engine, pg_engine):
        import_taubench(engine, directory=shared_data / "taubench_retail")
    assert store_digest(sqlite_engine) == store_digest(pg_engine)


def test_taubench_stock_follows_availability(shared_data: Path, sqlite_engine: Engine) -> None:
    import_taubench(sqlite_engine, directory=shared_data / "taubench_retail", default_stock=7)
    with Session(sqlite_engine) as session:
        levels = session.exec(
            select(InventoryLevel.on_hand, func.count()).group_by(col(InventoryLevel.on_hand))
        ).all()
    assert dict((on_hand, n) for on_hand, n in levels) == {0: 212, 7: 379}


def test_mini_store_rows(tmp_path: Path, sqlite_engine: Engine) -> None:
    directory = write_store(tmp_path / "tau", mini_store())
    report = import_taubench(sqlite_engine, directory=directory, default_stock=3)
    assert report.created == {
        "locations": 1,
        "products": 3,
        "inventory": 3,
        "shoppers": 1,
        "orders": 1,
        "order_lines": 2,
    }
    with Session(sqlite_engine) as session:
        kit = session.get(Product, "2001")
        assert (
            kit is not None
            and kit.brand == "Brand A"
            and kit.category == "beauty/makeup/makeup-kit"
        )
        stock = {i.sku: i.on_hand for i in session.exec(select(InventoryLevel))}
        assert stock == {"1001": 3, "1002": 0, "2001": 3}
        location = session.get(Location, ONLINE_LOCATION_ID)
        assert location is not None and location.kind == "warehouse"
        ada = session.get(Shopper, "ada_lee_1")
        assert ada is not None
        assert ada.profile["payment_methods"] == [
            {"id": "gift_card_1", "source": "gift_card", "balance_cents": 5100}
        ]
        lines = session.exec(select(OrderLine).order_by(col(OrderLine.line_no))).all()
        assert [(line.sku, line.unit_price_cents) for line in lines] == [
            ("1001", 5088),
            ("2001", 8000),
        ]
        assert session.exec(select(func.count()).select_from(Consent)).one() == 0


def test_replace_updates_instead_of_refusing(tmp_path: Path, sqlite_engine: Engine) -> None:
    store = mini_store()
    directory = write_store(tmp_path / "tau", store)
    import_taubench(sqlite_engine, directory=directory)
    store["products.json"]["100"]["variants"]["1001"]["price"] = 45
    store["orders.json"]["#W1"]["status"] = "return requested"
    write_store(directory, store)
    report = import_taubench(sqlite_engine, directory=directory, replace=True)
    assert report.replaced["products"] == 3
    assert report.replaced["orders"] == 1
    with Session(sqlite_engine) as session:
        shirt = session.get(Product, "1001")
        order = session.get(Order, "#W1")
        assert shirt is not None and shirt.list_price_cents == 4500
        assert order is not None and order.status == "return_pending"
        assert order.details["source_status"] == "return requested"
    assert table_counts(sqlite_engine)["order_lines"] == 2


Mutation = Callable[[dict[str, dict[str, Any]]], None]


def _set(path: list[str | int], value: Any) -> Mutation:
    def mutate(store: dict[str, dict[str, Any]]) -> None:
        node: Any = store
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return mutate


def _move_variant(store: dict[str, dict[str, Any]]) -> None:
    store["products.json"]["200"]["variants"]["1001"] = store["products.json"]["100"]["variants"][
        "1001"
    ]


BAD_STORES: list[tuple[str, Mutation, str, str, str | None, str]] = [
    # (case, mutation, file, text on the expected line ("after>>text" for a later one),
    #  field, reason fragment)
    (
        "price as text",
        _set(["products.json", "100", "variants", "1002", "price"], "49.5"),
        "products.json",
        '"price": "49.5"',
        "variants.1002.price",
        "expected an amount",
    ),
    (
        "negative price",
        _set(["products.json", "100", "variants", "1002", "price"], -1),
        "products.json",
        '"price": -1',
        "variants.1002.price",
        "negative",
    ),
    (
        "three decimals",
        _set(["products.json", "200", "variants", "2001", "price"], 80.125),
        "products.json",
        '"price": 80.125',
        "variants.2001.price",
        "more than 2 decimal places",
    ),
    (
        "availability as text",
        _set(["products.json", "100", "variants", "1001", "available"], "yes"),
        "products.json",
        '"available": "yes"',
        "variants.1001.available",
        "boolean",
    ),
    (
        "missing options",
        lambda s: s["products.json"]["200"]["variants"]["2001"].pop("options"),
        "products.json",
        '"2001": {',
        "variants.2001.options",
        "missing",
    ),
    (
        "duplicate sku",
        _move_variant,
        "products.json",
        '"200": {>>"1001": {',
        "variants.1001.item_id",
        "duplicate sku '1001' (first at",
    ),
    (
        "order of a missing item",
        _set(["orders.json", "#W1", "items", 1, "item_id"], "9999"),
        "orders.json",
        '"item_id": "9999"',
        "items[1].item_id",
        "item '9999' does not exist",
    ),
    (
        "order of a missing user",
        _set(["orders.json", "#W1", "user_id"], "nobody"),
        "orders.json",
        '"user_id": "nobody"',
        "user_id",
        "user 'nobody' does not exist",
    ),
    (
        "unknown status",
        _set(["orders.json", "#W1", "status"], "teleported"),
        "orders.json",
        '"status": "teleported"',
        "status",
        "unknown status",
    ),
    (
        "order id differs from key",
        _set(["orders.json", "#W1", "order_id"], "#W2"),
        "orders.json",
        '"order_id": "#W2"',
        "order_id",
        "differs from its key",
    ),
    (
        "user name of the wrong type",
        _set(["users.json", "ada_lee_1", "name"], "Ada Lee"),
        "users.json",
        '"name": "Ada Lee"',
        "name",
        "valid dictionary",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "file", "needle", "field", "reason"),
    [case[1:] for case in BAD_STORES],
    ids=[case[0] for case in BAD_STORES],
)
def test_bad_store_names_file_line_field_and_writes_nothing(
    tmp_path: Path,
    sqlite_engine: Engine,
    mutate: Mutation,
    file: str,
    needle: str,
    field: str | None,
    reason: str,
) -> None:
    store = mini_store()
    mutate(store)
    directory = write_store(tmp_path / "tau", store)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_taubench(sqlite_engine, directory=directory)
    path = directory / file
    after, _, needle = needle.rpartition(">>")
    line = line_of(path, needle, after=after or None)
    assert_located(caught.value, file=path, line=line, field=field)
    assert reason in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_malformed_json_names_the_line(tmp_path: Path, sqlite_engine: Engine) -> None:
    directory = write_store(tmp_path / "tau", mini_store())
    path = directory / "users.json"
    text = path.read_text().replace('"city": "Denver",', '"city": "Denver"')
    path.write_text(text)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_taubench(sqlite_engine, directory=directory)
    assert_located(caught.value, file=path, line=line_of(path, '"country"'), field=None)
    assert "malformed JSON" in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_duplicate_json_key_is_refused(tmp_path: Path, sqlite_engine: Engine) -> None:
    directory = write_store(tmp_path / "tau", mini_store())
    path = directory / "products.json"
    text = path.read_text().replace(
        '"name": "T-Shirt",', '"name": "T-Shirt",\n        "name": "Shirt",'
    )
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        import_taubench(sqlite_engine, directory=directory)
    assert_located(caught.value, file=path, line=line_of(path, '"100": {'), field="100")
    assert "duplicate key 'name'" in str(caught.value)


def test_sku_already_stored_is_refused_without_replace(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    directory = write_store(tmp_path / "tau", mini_store())
    import_taubench(sqlite_engine, directory=directory)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_taubench(sqlite_engine, directory=directory)
    path = directory / "products.json"
    assert_located(
        caught.value, file=path, line=line_of(path, '"1001": {'), field="variants.1001.item_id"
    )
    assert "already in the store" in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_orders_may_refer_to_stored_items_and_users(tmp_path: Path, sqlite_engine: Engine) -> None:
    import_taubench(sqlite_engine, directory=write_store(tmp_path / "first", mini_store()))
    store = mini_store()
    store["products.json"] = {}
    store["users.json"] = {}
    store["orders.json"]["#W2"] = {**store["orders.json"].pop("#W1"), "order_id": "#W2"}
    report = import_taubench(sqlite_engine, directory=write_store(tmp_path / "second", store))
    assert report.created["orders"] == 1


def test_missing_file_and_directory(tmp_path: Path, sqlite_engine: Engine) -> None:
    with pytest.raises(InputError, match="not a directory"):
        import_taubench(sqlite_engine, directory=tmp_path / "absent")
    directory = write_store(tmp_path / "tau", mini_store())
    (directory / "orders.json").unlink()
    with pytest.raises(InputError, match="cannot read file"):
        import_taubench(sqlite_engine, directory=directory)
    assert table_counts(sqlite_engine)["products"] == 0


def test_bad_input_writes_nothing_on_postgresql(tmp_path: Path, pg_engine: Engine) -> None:
    store = mini_store()
    store["orders.json"]["#W1"]["items"][0]["item_id"] = "9999"
    directory = write_store(tmp_path / "tau", store)
    before = store_digest(pg_engine)
    with pytest.raises(InputError, match="does not exist"):
        import_taubench(pg_engine, directory=directory)
    assert store_digest(pg_engine) == before

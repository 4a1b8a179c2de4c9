from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from tests.tools.importers.support import assert_located
from tools.exceptions import InputError
from tools.importers.catalog import catalog_format, import_catalog
from tools.store import InventoryLevel, Location, Product
from tools.store.digest import store_digest

CSV_HEADER = (
    "sku,title,category,list_price,variant_group,brand,unit_cost,map_price,"
    "attr.colour,tags,age_restricted,launch_date,stock"
)
GOOD_CSV = f"""{CSV_HEADER}
A-1,"Linen shirt, blue",apparel/shirts,29.90,A,Acme,12.5,25,blue,summer|linen,no,2024-03-01,4
A-2,"Linen shirt, red",apparel/shirts,29.9,A,Acme,,,red,,false,,
B-1,"Cider, 6 pack",grocery/drinks,7,,,,,,,yes,,0
"""

GOOD_JSONL: list[dict[str, object]] = [
    {
        "sku": "A-1",
        "title": "Linen shirt, blue",
        "category": "apparel/shirts",
        "list_price": 29.9,
        "variant_group": "A",
        "brand": "Acme",
        "unit_cost": "12.50",
        "map_price": 25,
        "attributes": {"colour": "blue", "weight_g": 180.5},
        "tags": ["summer", "linen"],
        "age_restricted": False,
        "launch_date": "2024-03-01",
        "stock": 4,
    },
    {
        "sku": "A-2",
        "title": "Linen shirt, red",
        "category": "apparel/shirts",
        "list_price": "29.90",
    },
    {
        "sku": "B-1",
        "title": "Cider, 6 pack",
        "category": "grocery/drinks",
        "list_price": 7,
        "age_restricted": True,
        "stock": {"online": 0},
    },
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _jsonl(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _products(engine: Engine) -> dict[str, Product]:
    with Session(engine) as session:
        return {p.sku: p for p in session.exec(select(Product))}


def _check_round_trip(engine: Engine) -> None:
    products = _products(engine)
    assert sorted(products) == ["A-1", "A-2", "B-1"]
    shirt = products["A-1"]
    assert (shirt.variant_group, shirt.brand, shirt.title) == ("A", "Acme", "Linen shirt, blue")
    assert (shirt.list_price_cents, shirt.unit_cost_cents, shirt.map_cents) == (2990, 1250, 2500)
    assert shirt.attributes["colour"] == "blue"
    assert shirt.tags == ["summer", "linen"]
    assert shirt.launch_date == date(2024, 3, 1)
    assert products["A-2"].list_price_cents == 2990
    assert products["A-2"].unit_cost_cents is None
    assert products["B-1"].variant_group == "B-1"
    assert products["B-1"].age_restricted is True
    with Session(engine) as session:
        stock = {i.sku: i.on_hand for i in session.exec(select(InventoryLevel))}
    assert stock == {"A-1": 4, "B-1": 0}


def test_csv_round_trip(tmp_path: Path, sqlite_engine: Engine) -> None:
    report = import_catalog(sqlite_engine, path=_write(tmp_path, "c.csv", GOOD_CSV))
    assert report.created == {"products": 3, "inventory": 2, "locations": 1}
    _check_round_trip(sqlite_engine)


def test_jsonl_round_trip(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = _write(tmp_path, "c.jsonl", _jsonl(GOOD_JSONL))
    import_catalog(sqlite_engine, path=path)
    _check_round_trip(sqlite_engine)
    assert _products(sqlite_engine)["A-1"].attributes == {"colour": "blue", "weight_g": 180.5}


def test_jsonl_round_trip_on_postgresql(tmp_path: Path, pg_engine: Engine) -> None:
    import_catalog(pg_engine, path=_write(tmp_path, "c.jsonl", _jsonl(GOOD_JSONL)))
    _check_round_trip(pg_engine)


def test_replace_updates_products_and_stock(tmp_path: Path, sqlite_engine: Engine) -> None:
    import_catalog(sqlite_engine, path=_write(tmp_path, "c.csv", GOOD_CSV))
    changed = GOOD_CSV.replace(
        'A-1,"Linen shirt, blue",apparel/shirts,29.90', "A-1,Shirt,apparel/shirts,19"
    )
    changed = changed.replace("2024-03-01,4", "2024-03-01,9")
    report = import_catalog(sqlite_engine, path=_write(tmp_path, "d.csv", changed), replace=True)
    assert report.replaced == {"products": 3, "inventory": 2}
    shirt = _products(sqlite_engine)["A-1"]
    assert (shirt.title, shirt.list_price_cents) == ("Shirt", 1900)
    with Session(sqlite_engine) as session:
        level = session.get(InventoryLevel, ("A-1", "online"))
    assert level is not None and level.on_hand == 9


def test_stock_at_a_stored_location(tmp_path: Path, sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        session.add(Location(id="store-1", name="High St", kind="store", timezone="Europe/London"))
        session.commit()
    text = "sku,title,category,list_price,stock.store-1\nA-1,Shirt,apparel,10,3\n"
    report = import_catalog(sqlite_engine, path=_write(tmp_path, "c.csv", text))
    assert report.created == {"products": 1, "inventory": 1}


def test_format_from_extension_or_option(tmp_path: Path) -> None:
    assert catalog_format(Path("x.CSV")) == "csv"
    assert catalog_format(Path("x.ndjson")) == "jsonl"
    assert catalog_format(Path("x.txt"), "jsonl") == "jsonl"
    with pytest.raises(InputError, match="cannot tell the format"):
        catalog_format(Path("x.json"))
    with pytest.raises(InputError, match="unknown format"):
        catalog_format(Path("x.csv"), "xml")


HEADER = "sku,title,category,list_price"

BAD_CSV: list[tuple[str, str, int, str | None, str]] = [
    # (case, file text, line, field, reason fragment)
    (
        "missing column",
        "sku,title,list_price\nA,Shirt,10\n",
        1,
        "category",
        "missing required column",
    ),
    ("unknown column", f"{HEADER},colour\nA,Shirt,c,10,blue\n", 1, "colour", "unknown field"),
    ("duplicate column", f"{HEADER},sku\nA,Shirt,c,10,A\n", 1, "sku", "duplicate column"),
    (
        "unparsable price",
        f"{HEADER}\nA,Shirt,c,10\nB,Hat,c,ten\n",
        3,
        "list_price",
        "not a decimal",
    ),
    ("three decimals", f"{HEADER}\nA,Shirt,c,10.005\n", 2, "list_price", "more than 2 decimal"),
    ("negative price", f"{HEADER}\nA,Shirt,c,-1\n", 2, "list_price", "negative"),
    ("NaN price", f"{HEADER}\nA,Shirt,c,NaN\n", 2, "list_price", "not a finite amount"),
    ("bad unit cost", f"{HEADER},unit_cost\nA,Shirt,c,10,$4\n", 2, "unit_cost", "not a decimal"),
    ("empty title", f"{HEADER}\nA,,c,10\n", 2, "title", "required value is missing"),
    (
        "duplicate sku",
        f"{HEADER}\nA,Shirt,c,10\nB,Hat,c,5\nA,Cap,c,3\n",
        4,
        "sku",
        "duplicate sku 'A'",
    ),
    (
        "first error in file order",
        f"{HEADER}\nA,Shirt,c,10\nA,Cap,c,3\nB,Hat,c,x\n",
        3,
        "sku",
        "duplicate sku 'A' (first at",
    ),
    ("bad boolean", f"{HEADER},regulated\nA,Shirt,c,10,maybe\n", 2, "regulated", "not a boolean"),
    (
        "bad date",
        f"{HEADER},launch_date\nA,Shirt,c,10,03/01/2024\n",
        2,
        "launch_date",
        "not a date",
    ),
    ("bad attributes", f"{HEADER},attributes\nA,Shirt,c,10,[1]\n", 2, "attributes", "JSON object"),
    ("bad stock", f"{HEADER},stock\nA,Shirt,c,10,-2\n", 2, "stock", "non-negative whole"),
    ("ragged row", f"{HEADER}\nA,Shirt,c,10,extra\n", 2, None, "row has 5 values"),
    ("sku too long", f"{HEADER}\n{'x' * 65},Shirt,c,10\n", 2, "sku", "at most 64"),
    (
        "line of a multi-line record",
        f'{HEADER},description\nA,Shirt,c,10,"two\nlines"\nB,Hat,c,1.234,x\n',
        4,
        "list_price",
        "more than 2 decimal",
    ),
    (
        "dangling location",
        f"{HEADER},stock.nowhere\nA,Shirt,c,10,3\n",
        2,
        "stock.nowhere",
        "location 'nowhere' does not exist",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [case[1:] for case in BAD_CSV],
    ids=[case[0] for case in BAD_CSV],
)
def test_bad_csv_names_file_line_field_and_writes_nothing(
    tmp_path: Path, sqlite_engine: Engine, text: str, line: int, field: str | None, reason: str
) -> None:
    path = _write(tmp_path, "bad.csv", text)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_catalog(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=line, field=field)
    assert reason in str(caught.value)
    assert store_digest(sqlite_engine) == before


GOOD_RECORD = '{"sku": "A", "title": "Shirt", "category": "c", "list_price": 10}'

BAD_JSONL: list[tuple[str, str, int, str | None, str]] = [
    ("malformed JSON", f'{GOOD_RECORD}\n{{"sku": "B", "title": \n', 2, None, "malformed JSON"),
    ("not an object", f"{GOOD_RECORD}\n[1, 2]\n", 2, None, "expected a JSON object"),
    (
        "title of the wrong type",
        '{"sku": "A", "title": 5, "category": "c", "list_price": 1}',
        1,
        "title",
        "expected a string",
    ),
    (
        "price of the wrong type",
        '{"sku": "A", "title": "t", "category": "c", "list_price": true}',
        1,
        "list_price",
        "got bool",
    ),
    (
        "tags as text",
        '{"sku": "A", "title": "t", "category": "c", "list_price": 1, "tags": "a|b"}',
        1,
        "tags",
        "expected a list",
    ),
    (
        "NaN constant",
        '{"sku": "A", "title": "t", "category": "c", "list_price": NaN}',
        1,
        None,
        "NaN is not a JSON number",
    ),
    (
        "duplicate key",
        '{"sku": "A", "sku": "B", "title": "t", "category": "c", "list_price": 1}',
        1,
        None,
        "duplicate key 'sku'",
    ),
    (
        "missing sku",
        f'{GOOD_RECORD}\n\n{{"title": "t", "category": "c", "list_price": 1}}\n',
        3,
        "sku",
        "required value is missing",
    ),
    ("duplicate sku", f"{GOOD_RECORD}\n{GOOD_RECORD}\n", 2, "sku", "duplicate sku 'A' (first at"),
    (
        "attribute given twice",
        '{"sku": "A", "title": "t", "category": "c", "list_price": 1, '
        '"attributes": {"x": 1}, "attr.x": 2}',
        1,
        "attr.x",
        "given twice",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [case[1:] for case in BAD_JSONL],
    ids=[case[0] for case in BAD_JSONL],
)
def test_bad_jsonl_names_file_line_field_and_writes_nothing(
    tmp_path: Path, sqlite_engine: Engine, text: str, line: int, field: str | None, reason: str
) -> None:
    path = _write(tmp_path, "bad.jsonl", text)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_catalog(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=line, field=field)
    assert reason in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_sku_already_stored_is_refused_without_replace(
    tmp_path: Path, sqlite_engine: Engine
) -> None:
    import_catalog(sqlite_engine, path=_write(tmp_path, "a.csv", GOOD_CSV))
    before = store_digest(sqlite_engine)
    path = _write(tmp_path, "b.csv", f"{HEADER}\nNEW,Hat,c,5\nB-1,Cider,c,5\n")
    with pytest.raises(InputError) as caught:
        import_catalog(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=3, field="sku")
    assert "already in the store (use --replace)" in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_undecodable_file_names_the_line(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\nA,Caf\xe9,c,1\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        import_catalog(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=2, field=None)

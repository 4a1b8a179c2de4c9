from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from tests.tools.importers.support import assert_located
from tools.exceptions import InputError
from tools.importers.catalog import import_catalog
from tools.importers.sequences import SEQUENCE_EPOCH, import_sequences
from tools.store import Event, Product, Shopper
from tools.store.digest import store_digest
from tools.store.stats import table_counts

SEQUENCES = "1 10 11 12\n2 12 10\n\n3 13\n"
ATTRIBUTES = '{\n  "10": [1, 2],\n  "11": {"brand": "b7"},\n  "99": [3]\n}\n'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _events(engine: Engine) -> list[Event]:
    with Session(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.id))))


def test_sequences_with_created_items(tmp_path: Path, sqlite_engine: Engine) -> None:
    report = import_sequences(
        sqlite_engine,
        path=_write(tmp_path, "seq.txt", SEQUENCES),
        attributes=_write(tmp_path, "attrs.json", ATTRIBUTES),
        prefix="shop:",
        create_items=True,
        default_price_cents=999,
    )
    assert report.created == {"products": 4, "shoppers": 3, "events": 6}
    assert report.notes == ["1 item attribute records were not used"]
    events = _events(sqlite_engine)
    first = [(e.sku, e.occurred_at) for e in events if e.shopper_id == "shop:1"]
    assert first == [
        ("shop:10", SEQUENCE_EPOCH),
        ("shop:11", SEQUENCE_EPOCH + timedelta(seconds=1)),
        ("shop:12", SEQUENCE_EPOCH + timedelta(seconds=2)),
    ]
    assert {e.kind for e in events} == {"purchase"}
    assert {e.session_id for e in events if e.shopper_id == "shop:2"} == {"seq:shop:2"}
    with Session(sqlite_engine) as session:
        item = session.get(Product, "shop:10")
        assert item is not None
        assert (item.title, item.category, item.list_price_cents) == (
            "Item 10",
            "imported/shop",
            999,
        )
        assert item.attributes == {"attribute_ids": [1, 2]}
        other = session.get(Product, "shop:11")
        assert other is not None and other.attributes == {"brand": "b7"}
        assert session.get(Shopper, "shop:3") is not None


def test_sequences_on_postgresql_match_sqlite(
    tmp_path: Path, sqlite_engine: Engine, pg_engine: Engine
) -> None:
    path = _write(tmp_path, "seq.txt", SEQUENCES)
    attrs = _write(tmp_path, "attrs.json", ATTRIBUTES)
    for engine in (sqlite_engine, pg_engine):
        import_sequences(
            engine, path=path, attributes=attrs, create_items=True, default_price_cents=5
        )
    assert store_digest(sqlite_engine) == store_digest(pg_engine)
    assert [e.occurred_at for e in _events(pg_engine)][:2] == [
        SEQUENCE_EPOCH,
        SEQUENCE_EPOCH + timedelta(seconds=1),
    ]


def test_sequences_against_an_imported_catalog(tmp_path: Path, sqlite_engine: Engine) -> None:
    rows = "".join(f"{sku},Item,c,1\n" for sku in ("10", "11", "12", "13"))
    import_catalog(
        sqlite_engine, path=_write(tmp_path, "c.csv", "sku,title,category,list_price\n" + rows)
    )
    report = import_sequences(sqlite_engine, path=_write(tmp_path, "seq.txt", SEQUENCES))
    assert report.created == {"products": 0, "shoppers": 3, "events": 6}


def test_replace_rewrites_the_sequence_events(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = _write(tmp_path, "seq.txt", SEQUENCES)
    import_sequences(sqlite_engine, path=path, create_items=True, default_price_cents=100)
    report = import_sequences(sqlite_engine, path=path, replace=True)
    assert report.notes == ["removed 6 earlier sequence events of re-imported shoppers"]
    assert [(e.shopper_id, e.sku, e.occurred_at) for e in _events(sqlite_engine)] == [
        ("1", "10", SEQUENCE_EPOCH),
        ("1", "11", SEQUENCE_EPOCH + timedelta(seconds=1)),
        ("1", "12", SEQUENCE_EPOCH + timedelta(seconds=2)),
        ("2", "12", SEQUENCE_EPOCH),
        ("2", "10", SEQUENCE_EPOCH + timedelta(seconds=1)),
        ("3", "13", SEQUENCE_EPOCH),
    ]


BAD: list[tuple[str, str, int, str, str]] = [
    # (case, file text, line, field, reason fragment)
    (
        "item not in the catalog",
        "1 10\n2 10 77\n",
        2,
        "items[1]",
        "item '77' (sku '77') is not in the catalog",
    ),
    ("duplicate user", "1 10\n2 10\n1 10\n", 3, "user", "duplicate user '1' (first at line 1)"),
    ("item id too long", f"1 {'9' * 70}\n", 1, "items[0]", "over 64 characters"),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_sequences_name_file_line_field_and_write_nothing(
    tmp_path: Path, sqlite_engine: Engine, text: str, line: int, field: str, reason: str
) -> None:
    import_catalog(
        sqlite_engine, path=_write(tmp_path, "c.csv", "sku,title,category,list_price\n10,t,c,1\n")
    )
    path = _write(tmp_path, "seq.txt", text)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_sequences(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=line, field=field)
    assert reason in str(caught.value)
    assert store_digest(sqlite_engine) == before


def test_shopper_already_stored_needs_replace(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = _write(tmp_path, "seq.txt", SEQUENCES)
    import_sequences(sqlite_engine, path=path, create_items=True, default_price_cents=100)
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_sequences(sqlite_engine, path=path)
    assert_located(caught.value, file=path, line=1, field="user")
    assert store_digest(sqlite_engine) == before
    import_sequences(sqlite_engine, path=path, replace=True)
    assert table_counts(sqlite_engine)["events"] == 6


def test_bad_attribute_file(tmp_path: Path, sqlite_engine: Engine) -> None:
    attrs = _write(tmp_path, "attrs.json", '{\n  "10": [1],\n  "11": "brand"\n}\n')
    before = store_digest(sqlite_engine)
    with pytest.raises(InputError) as caught:
        import_sequences(
            sqlite_engine,
            path=_write(tmp_path, "seq.txt", SEQUENCES),
            attributes=attrs,
            create_items=True,
            default_price_cents=100,
        )
    assert_located(caught.value, file=attrs, line=3, field="11")
    assert store_digest(sqlite_engine) == before


def test_created_items_need_an_explicit_price(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = _write(tmp_path, "seq.txt", SEQUENCES)
    with pytest.raises(InputError, match="--default-price"):
        import_sequences(sqlite_engine, path=path, create_items=True)
    with pytest.raises(InputError, match="only used with --create-items"):
        import_sequences(sqlite_engine, path=path, attributes=path)


def test_beauty_round_trip(shared_data: Path, sqlite_engine: Engine) -> None:
    amazon = shared_data / "amazon"
    report = import_sequences(
        sqlite_engine,
        path=amazon / "Beauty.txt",
        attributes=amazon / "Beauty_item2attributes.json",
        prefix="amazon:",
        create_items=True,
        default_price_cents=1000,
    )
    assert report.created == {"products": 12_101, "shoppers": 22_363, "events": 198_502}
    assert table_counts(sqlite_engine)["events"] == 198_502


def test_stored_timestamps_use_the_store_format(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = _write(tmp_path, "seq.txt", SEQUENCES)
    import_sequences(sqlite_engine, path=path, create_items=True, default_price_cents=100)
    with sqlite_engine.connect() as conn:
        stored = conn.execute(text("SELECT occurred_at FROM events WHERE id = 2")).scalar_one()
    with Session(sqlite_engine) as session:
        session.add(Event(shopper_id="1", session_id="s", kind="view", occurred_at=SEQUENCE_EPOCH))
        session.commit()
    with sqlite_engine.connect() as conn:
        written = conn.execute(text("SELECT occurred_at FROM events WHERE session_id = 's'"))
        assert stored == "2000-01-01 00:00:01.000000"
        assert written.scalar_one() == "2000-01-01 00:00:00.000000"

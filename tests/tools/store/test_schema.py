from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tools.exceptions import StoreError
from tools.store import (
    Consent,
    InventoryLevel,
    Location,
    OutboxMessage,
    PriceHistory,
    Product,
    ProductPublic,
    Shopper,
    create_schema,
    get_meta,
    has_schema,
    make_engine,
    set_meta,
    transaction,
)
from tools.store.digest import store_digest
from tools.store.stats import table_counts

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _product(sku: str = "SKU-1", **overrides: object) -> Product:
    values: dict[str, object] = {
        "sku": sku,
        "variant_group": "G-1",
        "title": "Hydrating moisturizer",
        "category": "beauty/skincare/moisturizer",
        "attributes": {"fragrance_free": True, "skin_type": ["sensitive"]},
        "tags": ["vegan"],
        "list_price_cents": 2499,
        "unit_cost_cents": 1100,
        "map_cents": 1999,
        "launch_date": date(2025, 1, 2),
    }
    values.update(overrides)
    return Product.model_validate(values)


def _seed(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(_product())
        session.add(Location(id="L1", name="Downtown", kind="store", timezone="America/New_York"))
        session.add(Shopper(id="S1", name="Ana", timezone="Europe/Berlin", loyalty_tier="gold"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    name = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    result: Engine = request.getfixturevalue(name)
    return result


def test_round_trip_keeps_json_money_and_aware_times(engine: Engine) -> None:
    _seed(engine)
    with transaction(engine) as session:
        session.add(PriceHistory(sku="SKU-1", price_cents=2299, effective_at=NOW))
        session.add(Consent(shopper_id="S1", channel="email", granted=True, updated_at=NOW))
    with Session(engine) as session:
        product = session.get(Product, "SKU-1")
        assert product is not None
        assert product.attributes == {"fragrance_free": True, "skin_type": ["sensitive"]}
        assert product.list_price_cents == 2499
        history = session.get(PriceHistory, 1)
        assert history is not None and history.effective_at == NOW
        assert history.effective_at.tzinfo is not None
        consent = session.get(Consent, ("S1", "email"))
        assert consent is not None and consent.granted
    assert ProductPublic.of(product).list_price == 24.99
    assert "unit_cost" not in ProductPublic.model_fields


def test_times_in_other_zones_are_stored_as_utc(engine: Engine) -> None:
    _seed(engine)
    berlin = timezone(timedelta(hours=1))
    with transaction(engine) as session:
        session.add(PriceHistory(sku="SKU-1", price_cents=1, effective_at=NOW.astimezone(berlin)))
    with Session(engine) as session:
        row = session.get(PriceHistory, 1)
        assert (
            row is not None
            and row.effective_at == NOW
            and row.effective_at.utcoffset() == timedelta(0)
        )


def test_naive_datetimes_are_refused(sqlite_engine: Engine) -> None:
    _seed(sqlite_engine)
    with pytest.raises(Exception, match="naive datetime"), transaction(sqlite_engine) as session:
        session.add(PriceHistory(sku="SKU-1", price_cents=1, effective_at=datetime(2026, 1, 1)))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE products SET list_price_cents = -1",
        "UPDATE products SET map_cents = -5",
        "UPDATE shoppers SET loyalty_tier = 'diamond'",
        "UPDATE locations SET kind = 'kiosk'",
        "UPDATE locations SET close_hour = 3, open_hour = 9",
        "INSERT INTO inventory (sku, location_id, on_hand, reserved) VALUES ('SKU-1', 'L1', 2, 3)",
        "INSERT INTO inventory (sku, location_id, on_hand, reserved) VALUES ('SKU-1', 'L1', -1, 0)",
        "INSERT INTO inventory (sku, location_id, on_hand, reserved) VALUES ('NOPE', 'L1', 1, 0)",
        "INSERT INTO consents (shopper_id, channel, granted, updated_at, source) "
        "VALUES ('S1', 'fax', true, '2026-01-01 00:00:00', '')",
    ],
)
def test_constraints_refuse_bad_rows(engine: Engine, statement: str) -> None:
    _seed(engine)
    before = store_digest(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(statement))
    assert store_digest(engine) == before


def test_outbox_idempotency_key_is_unique(engine: Engine) -> None:
    _seed(engine)

    def message() -> OutboxMessage:
        return OutboxMessage(
            idempotency_key="thread-1:turn-1:msg-0",
            shopper_id="S1",
            channel="email",
            body="Back in stock",
            send_after=NOW,
            created_at=NOW,
        )

    with transaction(engine) as session:
        session.add(message())
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(message())
    assert table_counts(engine)["outbox"] == 1


def test_failed_transaction_writes_nothing(engine: Engine) -> None:
    _seed(engine)
    before = store_digest(engine)
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(_product("SKU-2"))
        session.flush()
        session.add(InventoryLevel(sku="SKU-2", location_id="missing", on_hand=1))
    assert store_digest(engine) == before


def test_meta_and_schema_helpers(engine: Engine) -> None:
    assert has_schema(engine)
    create_schema(engine)  # idempotent
    with transaction(engine) as session:
        assert get_meta(session, "schema_version") == "1"
        set_meta(session, "catalog_version", "abc")
    with transaction(engine) as session:
        set_meta(session, "catalog_version", "def")
    with Session(engine) as session:
        assert get_meta(session, "catalog_version") == "def"
        assert get_meta(session, "missing") is None


def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_unsupported_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unsupported database URL"):
        make_engine("mysql://root@127.0.0.1/test")


def test_digest_changes_with_content(sqlite_engine: Engine) -> None:
    empty = store_digest(sqlite_engine)
    _seed(sqlite_engine)
    seeded = store_digest(sqlite_engine)
    assert seeded["products"] != empty["products"]
    assert seeded["events"] == empty["events"]

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.tools.inventory.seed import add_hold
from tools.inventory import UnknownSkuError, availability, available_by_sku

NOW = datetime(2025, 6, 10, 16, tzinfo=UTC)


def test_available_is_on_hand_less_reserved_best_stocked_first(store: Engine) -> None:
    with Session(store) as session:
        result = availability(session, sku="M2", now=NOW)
    assert [(s.location_id, s.available) for s in result.locations] == [
        ("WH", 40),
        ("LAX", 6),
        ("NYC", 3),
        ("BKN", 2),
    ]
    assert result.total_available == 51


def test_active_holds_reduce_availability_and_expired_ones_do_not(store: Engine) -> None:
    add_hold(
        store,
        sku="M2",
        location_id="NYC",
        quantity=2,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
    )
    with Session(store) as session:
        held = availability(session, sku="M2", now=NOW, location_id="NYC").locations[0]
        assert (held.held, held.available) == (2, 1)
        at_expiry = availability(session, sku="M2", now=NOW + timedelta(hours=1), location_id="NYC")
        assert (at_expiry.locations[0].held, at_expiry.locations[0].available) == (0, 3)


def test_released_holds_do_not_count(store: Engine) -> None:
    add_hold(
        store,
        sku="M2",
        location_id="NYC",
        quantity=3,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        released=True,
    )
    with Session(store) as session:
        assert availability(session, sku="M2", now=NOW, location_id="NYC").total_available == 3


def test_available_never_goes_negative(store: Engine) -> None:
    add_hold(
        store,
        sku="M7",
        location_id="NYC",
        quantity=1,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=1),
    )
    with Session(store) as session:
        assert availability(session, sku="M7", now=NOW).total_available == 0
        assert available_by_sku(session, skus=["M7", "M2"], now=NOW) == {"M7": 0, "M2": 51}


def test_a_known_sku_without_stock_rows_is_empty_and_an_unknown_one_is_refused(
    store: Engine,
) -> None:
    with Session(store) as session:
        assert availability(session, sku="C1", now=NOW, location_id="LAX").locations == []
        with pytest.raises(UnknownSkuError, match="unknown sku 'NOPE'"):
            availability(session, sku="NOPE", now=NOW)

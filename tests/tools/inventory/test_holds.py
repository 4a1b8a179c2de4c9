from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tests.tools.inventory.seed import seed_inventory
from tools.exceptions import InputError
from tools.inventory import (
    InsufficientStockError,
    UnknownLocationError,
    UnknownSkuError,
    apply_hold,
    availability,
    plan_hold,
    release_hold,
)
from tools.store import Hold, transaction

NOW = datetime(2025, 6, 10, 16, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(
        "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    )
    seed_inventory(engine)
    return engine


def _holds(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Hold)).one()


def test_plan_hold_writes_nothing(store: Engine) -> None:
    with Session(store) as session:
        proposal = plan_hold(
            session, sku="M2", location_id="NYC", quantity=2, shopper_id="ana", now=NOW
        )
    assert (proposal.available, proposal.ttl_seconds) == (3, 7200)
    assert proposal.idempotency_key.startswith("hold:")
    assert _holds(store) == 0


def test_apply_hold_is_idempotent_and_reduces_availability(any_store: Engine) -> None:
    with Session(any_store) as session:
        proposal = plan_hold(
            session, sku="M2", location_id="NYC", quantity=2, shopper_id="ana", now=NOW
        )
    with transaction(any_store) as session:
        first = apply_hold(session, proposal, NOW)
        first_id = first.id
    with transaction(any_store) as session:
        again = apply_hold(session, proposal, NOW + timedelta(minutes=5))
        assert again.id == first_id
        assert again.expires_at == NOW + timedelta(hours=2)
    assert _holds(any_store) == 1
    with Session(any_store) as session:
        assert availability(session, sku="M2", now=NOW, location_id="NYC").total_available == 1
        later = NOW + timedelta(hours=2)
        assert availability(session, sku="M2", now=later, location_id="NYC").total_available == 3


def test_apply_hold_refuses_when_stock_went_meanwhile(any_store: Engine) -> None:
    with Session(any_store) as session:
        first = plan_hold(session, sku="M2", location_id="NYC", quantity=2, now=NOW)
        second = plan_hold(
            session, sku="M2", location_id="NYC", quantity=2, now=NOW + timedelta(seconds=1)
        )
    with transaction(any_store) as session:
        apply_hold(session, first, NOW)
    with pytest.raises(InsufficientStockError) as caught, transaction(any_store) as session:
        apply_hold(session, second, NOW)
    assert (caught.value.requested, caught.value.available) == (2, 1)
    assert _holds(any_store) == 1


def test_released_hold_frees_the_units(store: Engine) -> None:
    with Session(store) as session:
        proposal = plan_hold(session, sku="M2", location_id="NYC", quantity=3, now=NOW)
    with transaction(store) as session:
        apply_hold(session, proposal, NOW)
    with transaction(store) as session:
        released = release_hold(session, idempotency_key=proposal.idempotency_key)
        assert released is not None and released.released
    with Session(store) as session:
        assert availability(session, sku="M2", now=NOW, location_id="NYC").total_available == 3


def test_plan_hold_refuses_bad_input(store: Engine) -> None:
    with Session(store) as session:
        with pytest.raises(InputError, match="at least 1"):
            plan_hold(session, sku="M2", location_id="NYC", quantity=-1, now=NOW)
        with pytest.raises(UnknownSkuError):
            plan_hold(session, sku="NOPE", location_id="NYC", quantity=1, now=NOW)
        with pytest.raises(UnknownLocationError):
            plan_hold(session, sku="M2", location_id="MARS", quantity=1, now=NOW)
        with pytest.raises(InputError, match="not a store"):
            plan_hold(session, sku="M2", location_id="WH", quantity=1, now=NOW)
        with pytest.raises(InsufficientStockError, match="only 3"):
            plan_hold(session, sku="M2", location_id="NYC", quantity=4, now=NOW)
        with pytest.raises(InputError, match="ttl"):
            plan_hold(
                session, sku="M2", location_id="NYC", quantity=1, now=NOW, ttl=timedelta(days=9)
            )
        with pytest.raises(InputError, match="unknown shopper"):
            plan_hold(session, sku="M2", location_id="NYC", quantity=1, now=NOW, shopper_id="zed")

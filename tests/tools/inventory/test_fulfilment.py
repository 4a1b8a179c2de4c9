from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tools.exceptions import InputError
from tools.inventory import (
    Destination,
    FulfilmentKind,
    FulfilmentPlan,
    destination_of,
    fulfilment_options,
)
from tools.store import Shopper

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def _plan(
    store: Engine, shopper_id: str, now: datetime, sku: str = "M2", quantity: int = 1
) -> FulfilmentPlan:
    with Session(store) as session:
        shopper = session.get(Shopper, shopper_id)
        assert shopper is not None
        return fulfilment_options(
            session, sku=sku, destination=destination_of(shopper), now=now, quantity=quantity
        )


def _pickup(plan: FulfilmentPlan, store_id: str) -> tuple[FulfilmentKind, datetime]:
    option = next(o for o in plan.options if o.location_id == store_id and o.kind != "ship")
    return option.kind, option.ready_at_local


def test_midday_offers_same_day_pickup_next_day_pickup_and_shipping(store: Engine) -> None:
    plan = _plan(store, "ana", datetime(2025, 6, 10, 12, tzinfo=NY))  # a Tuesday
    summary = [(o.kind.value, o.location_id, o.ready_at_local.isoformat()) for o in plan.options]
    assert summary == [
        ("same_day_pickup", "NYC", "2025-06-10T14:00:00-04:00"),
        ("pickup", "BKN", "2025-06-11T12:00:00-04:00"),
        ("ship", "WH", "2025-06-13T20:00:00-04:00"),  # warehouse beats the store on a tie
    ]
    assert [o.days for o in plan.options] == [0, 1, 3]
    assert all(o.ready_at.tzinfo is not None for o in plan.options)


@pytest.mark.parametrize(
    ("local_now", "kind", "ready"),
    [
        (datetime(2025, 6, 10, 7, 0), FulfilmentKind.SAME_DAY_PICKUP, datetime(2025, 6, 10, 11)),
        (
            datetime(2025, 6, 10, 15, 59),
            FulfilmentKind.SAME_DAY_PICKUP,
            datetime(2025, 6, 10, 17, 59),
        ),
        (datetime(2025, 6, 10, 16, 0), FulfilmentKind.PICKUP, datetime(2025, 6, 11, 11)),  # cut-off
        (
            datetime(2025, 6, 10, 20, 30),
            FulfilmentKind.PICKUP,
            datetime(2025, 6, 11, 11),
        ),  # closing
        (datetime(2025, 6, 10, 23, 59), FulfilmentKind.PICKUP, datetime(2025, 6, 11, 11)),  # closed
    ],
)
def test_pickup_rolls_to_the_next_opening_after_cut_off_or_hours(
    store: Engine, local_now: datetime, kind: FulfilmentKind, ready: datetime
) -> None:
    plan = _plan(store, "ana", local_now.replace(tzinfo=NY))
    assert _pickup(plan, "NYC") == (kind, ready.replace(tzinfo=NY))


def test_after_hours_the_night_before_spring_forward(store: Engine) -> None:
    plan = _plan(store, "ana", datetime(2025, 3, 8, 22, 0, tzinfo=NY))  # EST; clocks jump at 02:00
    option = next(o for o in plan.options if o.location_id == "NYC")
    assert option.ready_at == datetime(2025, 3, 9, 15, tzinfo=UTC)  # 11:00 EDT, not 11:00 EST
    assert option.ready_at_local.isoformat() == "2025-03-09T11:00:00-04:00"


def test_in_the_skipped_night_of_spring_forward(store: Engine) -> None:
    plan = _plan(store, "ana", datetime(2025, 3, 9, 6, 45, tzinfo=UTC))  # 01:45 EST
    assert _pickup(plan, "NYC") == (
        FulfilmentKind.SAME_DAY_PICKUP,
        datetime(2025, 3, 9, 11, tzinfo=NY),
    )


def test_after_hours_the_night_before_fall_back(store: Engine) -> None:
    plan = _plan(store, "ana", datetime(2025, 11, 1, 22, 0, tzinfo=NY))  # EDT
    option = next(o for o in plan.options if o.location_id == "NYC")
    assert option.ready_at == datetime(2025, 11, 2, 16, tzinfo=UTC)  # 11:00 EST
    assert option.ready_at_local.utcoffset() == timedelta(hours=-5)


def test_pickup_follows_the_store_clock_not_the_shopper_clock(store: Engine) -> None:
    # Kai's phone is on Tokyo time while he is in Manhattan.
    morning_tokyo = datetime(2025, 6, 11, 1, 0, tzinfo=TOKYO)  # noon in New York
    kind, ready_local = _pickup(_plan(store, "kai", morning_tokyo), "NYC")
    assert (kind, ready_local) == (
        FulfilmentKind.SAME_DAY_PICKUP,
        datetime(2025, 6, 10, 14, tzinfo=NY),
    )

    evening_ny = datetime(2025, 6, 11, 9, 0, tzinfo=TOKYO)  # 20:00 in New York: closing soon
    plan = _plan(store, "kai", evening_ny)
    option = next(o for o in plan.options if o.location_id == "NYC")
    assert option.kind is FulfilmentKind.PICKUP
    assert option.ready_at_local == datetime(2025, 6, 11, 11, tzinfo=NY)
    assert option.ready_at_shopper.isoformat() == "2025-06-12T00:00:00+09:00"
    assert option.days == 1


def test_shipping_skips_the_weekend_after_the_cut_off(store: Engine) -> None:
    friday_late = datetime(2025, 6, 13, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
    plan = _plan(store, "ana", friday_late)
    ship = next(o for o in plan.options if o.kind is FulfilmentKind.SHIP)
    assert ship.location_id == "WH"
    assert "leaves Chicago DC on 2025-06-17" in ship.detail
    assert ship.ready_at_local.isoformat() == "2025-06-19T20:00:00-04:00"


def test_west_coast_shopper_gets_local_pickup_and_ships_from_the_nearer_store(
    store: Engine,
) -> None:
    plan = _plan(store, "leo", datetime(2025, 6, 10, 10, tzinfo=ZoneInfo("America/Los_Angeles")))
    assert [(o.kind.value, o.location_id) for o in plan.options] == [
        ("same_day_pickup", "LAX"),
        ("ship", "LAX"),  # 2 processing days + 1 in transit beats 1 + 4 days from Chicago
    ]
    assert plan.options[1].ready_at_local.isoformat() == "2025-06-13T20:00:00-07:00"


def test_without_stock_nearby_the_warehouse_ships_far(store: Engine) -> None:
    plan = _plan(
        store, "leo", datetime(2025, 6, 10, 10, tzinfo=ZoneInfo("America/Los_Angeles")), sku="M4"
    )
    assert [(o.kind.value, o.location_id) for o in plan.options] == [("ship", "WH")]
    assert plan.options[0].distance_km is not None and plan.options[0].distance_km > 2000
    assert "4 day(s) in transit" in plan.options[0].detail


def test_quantity_limits_the_locations(store: Engine) -> None:
    plan = _plan(store, "ana", datetime(2025, 6, 10, 12, tzinfo=NY), quantity=3)
    assert {o.location_id for o in plan.options} == {"NYC", "WH"}
    assert _plan(store, "ana", datetime(2025, 6, 10, 12, tzinfo=NY), sku="M1").options == []


def test_unlocated_shopper_sees_every_store_and_a_cautious_eta(store: Engine) -> None:
    with Session(store) as session:
        plan = fulfilment_options(
            session,
            sku="M2",
            destination=Destination(timezone="Europe/Berlin"),
            now=datetime(2025, 6, 10, 12, tzinfo=NY),
        )
    assert {o.location_id for o in plan.options if o.kind != "ship"} == {"NYC", "BKN", "LAX"}
    ship = next(o for o in plan.options if o.kind is FulfilmentKind.SHIP)
    assert (ship.distance_km, "5 day(s) in transit" in ship.detail) == (None, True)


def test_bad_input_is_refused(store: Engine) -> None:
    now = datetime(2025, 6, 10, 12, tzinfo=NY)
    with Session(store) as session:
        with pytest.raises(InputError, match="at least 1"):
            fulfilment_options(session, sku="M2", destination=Destination(), now=now, quantity=0)
        with pytest.raises(InputError, match="unknown IANA timezone"):
            fulfilment_options(
                session, sku="M2", destination=Destination(timezone="Nowhere/X"), now=now
            )
        with pytest.raises(InputError, match="unknown sku"):
            fulfilment_options(session, sku="NOPE", destination=Destination(), now=now)
        with pytest.raises(InputError, match="timezone"):
            fulfilment_options(
                session, sku="M2", destination=Destination(), now=datetime(2025, 6, 10)
            )

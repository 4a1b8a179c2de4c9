"""Session features from the store's event stream, and page statistics from history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tools.exceptions import InputError
from tools.propensity import page_stats_from_events, session_features_from_events
from tools.propensity.events import special_day_closeness
from tools.store import Event

START = datetime(2024, 11, 16, 10, 0, tzinfo=UTC)  # a Saturday


def event(
    kind: str,
    seconds: float,
    *,
    sku: str | None = None,
    session: str = "s1",
    shopper: str | None = "u1",
    price_cents: int | None = None,
) -> Event:
    return Event(
        session_id=session,
        shopper_id=shopper,
        kind=kind,
        sku=sku,
        price_cents=price_cents,
        device="mobile",
        occurred_at=START + timedelta(seconds=seconds),
    )


def test_event_kinds_map_to_page_types_and_stop_at_the_purchase() -> None:
    events = [
        event("view", 0, sku="p1"),
        event("view", 30),  # a content page
        event("search", 50),
        event("cart_add", 80, sku="p1"),
        event("purchase", 100, sku="p1", price_cents=2500),
        event("view", 200, sku="p2"),  # after the outcome: not a feature
    ]
    features = session_features_from_events(events=list(reversed(events)))
    assert (features.product_pages, features.product_duration) == (2, 60.0)
    assert (features.informational_pages, features.informational_duration) == (1, 20.0)
    assert (features.administrative_pages, features.administrative_duration) == (1, 20.0)
    assert features.month == 11 and features.weekend and features.returning_visitor
    assert features.bounce_rate is None and features.page_value is None


def test_last_page_has_no_duration_and_anonymous_visitors_are_new() -> None:
    features = session_features_from_events(
        events=[event("view", 0, sku="p1", shopper=None), event("view", 45, sku="p2", shopper=None)]
    )
    assert (features.product_pages, features.product_duration) == (2, 45.0)
    assert not features.returning_visitor
    explicit = session_features_from_events(
        events=[event("view", 0, sku="p1", shopper=None)], returning_visitor=True
    )
    assert explicit.returning_visitor


def test_page_stats_from_history() -> None:
    history = [
        event("view", 0, sku="p1", session="a"),  # bounce on p1
        event("view", 0, sku="p1", session="b"),
        event("view", 10, sku="p2", session="b"),
        event("purchase", 20, sku="p2", session="b", price_cents=4000),
        event("view", 0, sku="p2", session="c"),
        event("search", 5, session="c"),
    ]
    stats = page_stats_from_events(events=history)
    assert stats.bounce_rate == {"product:p1": 0.5, "product:p2": 0.0}
    assert stats.exit_rate == {"product:p1": 0.5, "product:p2": 0.5, "search": 1.0}
    assert stats.page_value == {"product:p1": 20.0, "product:p2": 20.0, "search": 0.0}
    features = session_features_from_events(
        events=[event("view", 0, sku="p1"), event("view", 5, sku="p9")], page_stats=stats
    )
    assert features.bounce_rate == 0.5  # the unseen page p9 is left out of the mean
    assert features.page_value == 20.0


def test_special_days() -> None:
    assert special_day_closeness(date(2024, 2, 8)) == 1.0
    assert special_day_closeness(date(2024, 2, 14)) == 0.0
    assert 0 < special_day_closeness(date(2024, 2, 4)) < 1
    assert special_day_closeness(date(2024, 5, 6)) == 1.0  # Mother's Day 2024 is May 12
    assert special_day_closeness(date(2024, 8, 1)) == 0.0


def test_needs_one_session() -> None:
    with pytest.raises(InputError):
        session_features_from_events(events=[])
    with pytest.raises(InputError) as caught:
        session_features_from_events(
            events=[event("view", 0, sku="p1"), event("view", 1, sku="p1", session="s2")]
        )
    assert caught.value.field == "session_id"

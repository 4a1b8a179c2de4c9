from __future__ import annotations

from datetime import date

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import Fulfilment, parse
from tools.query.fulfilment import resolve_when

WEDNESDAY = NOW.date()


def _fulfilment(text: str) -> Fulfilment | None:
    return parse(text, vocabulary=vocabulary(), now=NOW).fulfilment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pickup today", Fulfilment(method="pickup", need_by=WEDNESDAY, same_day=True)),
        ("I can pick it up today", Fulfilment(method="pickup", need_by=WEDNESDAY, same_day=True)),
        ("same-day delivery", Fulfilment(method="delivery", need_by=WEDNESDAY, same_day=True)),
        ("same day pickup", Fulfilment(method="pickup", need_by=WEDNESDAY, same_day=True)),
        ("ship by Friday", Fulfilment(method="delivery", need_by=date(2026, 3, 6))),
        ("delivered tomorrow", Fulfilment(method="delivery", need_by=date(2026, 3, 5))),
        ("needs to arrive before monday", Fulfilment(method="delivery", need_by=date(2026, 3, 8))),
        ("get it by next wednesday", Fulfilment(need_by=date(2026, 3, 11))),
        ("curbside pickup", Fulfilment(method="pickup")),
        ("in-store pickup", Fulfilment(method="pickup")),
        ("free shipping", Fulfilment(method="delivery")),
        ("2-day shipping", Fulfilment(method="delivery", need_by=date(2026, 3, 6))),
        ("delivery within 3 days", Fulfilment(method="delivery", need_by=date(2026, 3, 7))),
        ("by march 20th", Fulfilment(need_by=date(2026, 3, 20))),
        ("by 3/1", Fulfilment(need_by=date(2027, 3, 1))),
        ("I need it this weekend", Fulfilment(need_by=date(2026, 3, 7))),
    ],
)
def test_fulfilment_phrasings(text: str, expected: Fulfilment) -> None:
    assert _fulfilment(text) == expected


def test_pickup_at_a_named_store() -> None:
    found = _fulfilment("pick up at the Downtown store tomorrow")
    assert found == Fulfilment(method="pickup", need_by=date(2026, 3, 5), location_id="L1")
    found = _fulfilment("is it in stock at riverside mall")
    assert found is not None and found.location_id == "L2"


@pytest.mark.parametrize(
    "text", ["black friday deals", "overnight oats", "delivers great results", "downtown vibes"]
)
def test_words_that_are_not_fulfilment(text: str) -> None:
    assert _fulfilment(text) is None


def test_weekdays_resolve_relative_to_now() -> None:
    assert resolve_when("by wednesday", WEDNESDAY) == WEDNESDAY
    assert resolve_when("by next wednesday", WEDNESDAY) == date(2026, 3, 11)
    assert resolve_when("before wednesday", WEDNESDAY) == WEDNESDAY
    assert resolve_when("by the 31st", date(2026, 4, 2)) == date(2026, 5, 31)
    assert resolve_when("by feb 30", WEDNESDAY) is None
    assert resolve_when("within 900 days", WEDNESDAY) is None

"""Profiles: affinities, price sensitivity, habits, stated preferences, cold start, explanation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from tools.profiles import (
    AttributeValue,
    InvalidPreferenceError,
    ItemInfo,
    PreferenceChange,
    ProfileContext,
    ShopperEvent,
    ShopperFacts,
    Vocabulary,
    build_lookalikes,
    build_profile,
    category_prices,
    parse_preferences,
    propose_preference_change,
)
from tools.recommend import catalog_of

START = datetime(2026, 3, 2, 18, tzinfo=UTC)  # 13:00 in New York


def _item(sku: str, brand: str, category: str, price: int, **attributes: Any) -> ItemInfo:
    return ItemInfo(
        sku=sku,
        title=f"{brand} {sku}",
        brand=brand,
        category=category,
        price_cents=price,
        attributes=attributes,
        launch_date=date(2025, 1, 1),
    )


def _items() -> list[ItemInfo]:
    items = [
        _item(
            f"S{i}",
            f"Brand{i % 3}",
            "beauty/skincare/cream",
            1000 + 250 * i,
            size="M" if i % 2 else "L",
            fragrance_free=False,
        )
        for i in range(12)
    ]
    items += [
        _item(f"H{i}", "Nest", "home/decor/vase", 4000 + 100 * i, color="blue") for i in range(10)
    ]
    items += [_item("FF1", "Pure", "beauty/skincare/cream", 2000, fragrance_free=True, size="M")]
    items += [_item("FF2", "Pure", "beauty/skincare/cream", 2100, fragrance_free=True, size="M")]
    return items


CATALOG = catalog_of(_items())
CONTEXT = ProfileContext(
    items=CATALOG, prices=category_prices((i.category, i.price_cents) for i in CATALOG.items)
)


def _events(*touches: tuple[str, str], shopper: str = "ann", days: int = 0) -> list[ShopperEvent]:
    return [
        ShopperEvent(
            shopper_id=shopper,
            session_id=f"{shopper}-{n // 3}",
            kind=kind,
            sku=sku,
            occurred_at=START + timedelta(days=days + n // 3, minutes=n),
            channel="app" if n % 4 else "web",
            device="app" if n % 4 else "desktop",
        )
        for n, (kind, sku) in enumerate(touches)
    ]


def test_affinities_follow_what_was_bought_and_viewed() -> None:
    history = _events(
        ("view", "FF1"), ("purchase", "FF1"), ("view", "FF2"), ("purchase", "FF2"), ("view", "H1")
    )
    profile = build_profile(CONTEXT, shopper=ShopperFacts("ann"), history=history)
    assert profile.departments[0].value == "beauty/skincare"
    assert profile.departments[0].score > 0.9 and profile.departments[0].purchases == 2
    assert profile.brands[0].value == "Pure" and profile.bought == ["FF2", "FF1"]
    liked = {(a.key, a.value) for a in profile.attributes}
    assert ("fragrance_free", True) in liked and ("size", "M") in liked
    assert not profile.cold_start and profile.known and profile.purchases == 2


def test_returns_count_against_a_brand() -> None:
    history = _events(("purchase", "H1"), ("return", "H1"), ("view", "S0"), ("view", "S3"))
    profile = build_profile(CONTEXT, shopper=ShopperFacts("ann"), history=history)
    assert [a.value for a in profile.brands][:1] == ["Brand0"]
    assert "H1" not in profile.bought


def test_price_sensitivity_tracks_cheap_and_dear_buyers() -> None:
    cheap = _events(*[("purchase", f"S{i}") for i in range(4)], ("purchase", "H0"))
    dear = _events(*[("purchase", f"S{i}") for i in range(8, 12)], ("purchase", "H9"))
    low = build_profile(CONTEXT, shopper=ShopperFacts("a"), history=cheap).price
    high = build_profile(CONTEXT, shopper=ShopperFacts("b"), history=dear).price
    assert low.estimate > 0.6 > 0.4 > high.estimate
    assert low.typical_price_ratio is not None and low.typical_price_ratio < 1
    assert low.source == "history" and low.observations == 5
    stated = build_profile(
        CONTEXT, shopper=ShopperFacts("c", preferences={"budget": "value"}), history=[]
    ).price
    assert stated.estimate == 0.8 and stated.source == "stated"


def test_habits_are_read_in_local_time_and_stated_ones_win() -> None:
    history = _events(*[("view", f"S{i}") for i in range(9)])
    habits = build_profile(
        CONTEXT, shopper=ShopperFacts("ann", timezone="America/New_York"), history=history
    ).habits
    assert habits.active_hours[0] == 13 and habits.shopping_channel == "app"
    assert habits.device == "app" and sum(habits.channels.values()) == pytest.approx(1)
    prefs = {"preferred_hour": 9, "preferred_channel": "sms"}
    stated = build_profile(CONTEXT, shopper=ShopperFacts("ann", preferences=prefs), history=history)
    assert stated.habits.preferred_hour == 9 and stated.habits.preferred_channel == "sms"


def test_stated_preferences_join_the_profile() -> None:
    prefs = {
        "categories": ["home/decor"],
        "sizes": ["L"],
        "avoid": [{"key": "color", "value": "blue"}, {"bad": 1}],
        "brands": ["Nest"],
    }
    profile = build_profile(
        CONTEXT, shopper=ShopperFacts("ann", preferences=prefs), history=_events(("view", "S1"))
    )
    assert {"home/decor", "beauty/skincare"} == {a.value for a in profile.departments}
    assert any(a.source == "stated" and a.value == "Nest" for a in profile.brands)
    assert ("size", "L", "stated") in {(a.key, a.value, a.source) for a in profile.attributes}
    assert [(a.key, a.value) for a in profile.avoid] == [("color", "blue")]


def test_cold_start_uses_the_session_and_lookalikes() -> None:
    vectors = {
        i.sku: np.eye(3, dtype=np.float32)[0 if i.sku.startswith("S") else 1] for i in CATALOG.items
    }

    class Vectors:
        def vector(self, sku: str) -> Any:
            return vectors.get(sku)

    regular = build_profile(
        CONTEXT, shopper=ShopperFacts("bo"), history=_events(("purchase", "S2"), ("purchase", "S5"))
    )
    index = build_lookalikes(
        {"bo": vectors["S2"], "cy": vectors["H1"]},
        {"bo": regular.departments, "cy": []},
        {"bo": regular.brands, "cy": []},
    )
    context = ProfileContext(
        items=CATALOG, prices=CONTEXT.prices, vectors=Vectors(), lookalikes=index
    )
    session = _events(("view", "S7"), ("cart_add", "S7"), shopper="anon")
    profile = build_profile(context, shopper=None, history=[], session=session)
    assert profile.cold_start and not profile.known and profile.lookalikes == ["bo"]
    assert profile.session.skus == ["S7"] and profile.session.in_cart == ["S7"]
    assert any(a.source == "lookalikes" for a in profile.brands)
    assert profile.taste is not None and profile.taste_vector is not None
    assert any(line.about == "cold_start" for line in profile.explanation)


def test_the_explanation_says_what_from_what() -> None:
    history = _events(("purchase", "FF1"), ("purchase", "FF2"), ("view", "S1"))
    profile = build_profile(
        CONTEXT, shopper=ShopperFacts("ann", preferences={"budget": "premium"}), history=history
    )
    about = {line.about for line in profile.explanation}
    assert {"departments", "brands", "attributes", "price", "habits"} <= about
    price = next(line for line in profile.explanation if line.about == "price")
    assert "priced items" in price.evidence and "premium" in price.evidence
    quiet = build_profile(CONTEXT, shopper=ShopperFacts("ann"), history=history, explain=False)
    assert quiet.explanation == [] and quiet.brands == profile.brands


def test_preferences_are_parsed_leniently() -> None:
    parsed = parse_preferences({"sizes": ["M", 9, None], "budget": "lavish", "preferred_hour": 30})
    assert parsed.sizes == ("M", "9") and parsed.budget is None and parsed.preferred_hour is None
    assert parse_preferences(None).is_empty()


VOCABULARY = Vocabulary(categories=frozenset({"home/decor"}), brands=frozenset({"Nest", "Pure"}))


def test_a_stated_preference_is_proposed_not_written() -> None:
    stored = {"sizes": ["M"], "budget": "mid", "note": "kept"}
    proposal = propose_preference_change(
        shopper_id="ann",
        stored=stored,
        changes=[
            PreferenceChange(key="brands", op="add", value="Pure"),
            PreferenceChange(key="sizes", op="remove", value="M"),
            PreferenceChange(key="budget", op="set", value="value"),
            PreferenceChange(key="avoid", value=AttributeValue(key="color", value="blue")),
        ],
        vocabulary=VOCABULARY,
    )
    assert proposal.changes == {
        "avoid": [{"key": "color", "value": "blue"}],
        "brands": ["Pure"],
        "budget": "value",
        "sizes": None,
    }
    assert proposal.before.sizes == ("M",) and proposal.after.brands == ("Pure",)
    assert stored == {"sizes": ["M"], "budget": "mid", "note": "kept"}  # untouched
    assert proposal.action_kind == "update_preferences" and "budget" in proposal.summary


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (PreferenceChange(key="brands", value="Nobody"), "unknown value"),
        (PreferenceChange(key="categories", value="moon/rocks"), "unknown value"),
        (PreferenceChange(key="preferred_hour", value=25), "0-23"),
        (PreferenceChange(key="avoid", value="blue"), "avoid takes"),
        (PreferenceChange(key="sizes", value=AttributeValue(key="a", value=1)), "plain value"),
        (PreferenceChange(key="sizes", op="add"), "needs a value"),
        (PreferenceChange(key="sizes", value="  "), "must not be empty"),
    ],
)
def test_invalid_preferences_are_refused(change: PreferenceChange, message: str) -> None:
    with pytest.raises(InvalidPreferenceError, match=message):
        propose_preference_change(
            shopper_id="ann", stored={}, changes=[change], vocabulary=VOCABULARY
        )

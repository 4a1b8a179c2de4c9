from __future__ import annotations

from datetime import date

import pytest

from agents.merchandising import (
    EXAMPLES,
    InvalidTaskError,
    MerchTaskSpec,
    ScopeSpec,
    TaskNotUnderstoodError,
    classify,
    help_message,
    parse_report,
    parse_task,
    validated_spec,
)
from tests.agents.merchandising.conftest import Store
from tests.agents.merchandising.seed import CREAM, NOW, RAIN, TZ


def _parse(shop: Store, text: str) -> MerchTaskSpec:
    return parse_task(text, vocabulary=shop.vocabulary, now=NOW, timezone=TZ)


def test_boost_with_attribute_category_weight_and_weekday(shop: Store) -> None:
    spec = _parse(shop, "boost vegan moisturizers 20% until Sunday")
    assert spec.kind == "boost"
    assert spec.weight == pytest.approx(0.2)
    assert spec.scope.categories == (CREAM,)
    assert spec.scope.attributes == {"vegan": (True,)}
    assert spec.window.ends_on == date(2026, 11, 1)


def test_bury_brand_in_category(shop: Store) -> None:
    spec = _parse(shop, "bury brand Ridge in outdoor")
    assert spec.kind == "bury"
    assert spec.scope.brands == ("Ridge",)
    assert spec.scope.categories == ("outdoor",)
    assert spec.weight is None and spec.window.is_open()


def test_promotion_with_stock_tiers_and_margin(shop: Store) -> None:
    spec = _parse(shop, "15% off overstocked rain jackets for gold members, keep margin above 30%")
    assert spec.kind == "promotion"
    assert spec.discount_pct == 15
    assert spec.loyalty_tiers == ("gold",)
    assert spec.min_margin_pct == 30
    assert spec.scope.stock == "overstock"
    assert spec.scope.categories == (RAIN,)


def test_pin_for_a_quoted_query(shop: Store) -> None:
    spec = parse_task(
        "pin MO-9 for 'running shoes'",
        vocabulary=shop.vocabulary,
        now=NOW,
        known_skus=lambda skus: {s for s in skus if s == "MO-9"},
    )
    assert spec.kind == "pin"
    assert spec.scope.skus == ("MO-9",)
    assert spec.query == "running shoes"


def test_exclude_a_product_flag(shop: Store) -> None:
    spec = _parse(shop, "exclude age-restricted items from recommendations")
    assert spec.kind == "exclude"
    assert spec.scope.flags == ("age_restricted",)
    assert not spec.scope.categories


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("raise the price of SKU RJ-5 to $45", "new_price_cents", 4500),
        ("set the price of RJ-5 to 44.99", "new_price_cents", 4499),
        ("lower the price of RJ-5 by 10%", "price_change_pct", -10.0),
        ("raise the price of RJ-5 by $5", "price_change_cents", 500),
    ],
)
def test_list_price_changes(shop: Store, text: str, field: str, value: float) -> None:
    spec = _parse(shop, text)
    assert spec.kind == "list_price"
    assert spec.scope.skus == ("RJ-5",)
    assert getattr(spec, field) == value


@pytest.mark.parametrize(
    ("text", "tiers"),
    [
        ("10% off moisturizers for gold and platinum members", ("gold", "platinum")),
        ("10% off moisturizers for silver members and above", ("silver", "gold", "platinum")),
        ("10% off moisturizers for loyalty members", ("silver", "gold", "platinum")),
        ("10% off moisturizers", ()),
    ],
)
def test_loyalty_tiers(shop: Store, text: str, tiers: tuple[str, ...]) -> None:
    assert _parse(shop, text).loyalty_tiers == tiers


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("boost moisturizers slightly", 0.1),
        ("boost moisturizers strongly", 0.5),
        ("boost moisturizers by 0.3", 0.3),
        ("promote moisturizers 25 percent", 0.25),
    ],
)
def test_boost_strengths(shop: Store, text: str, weight: float) -> None:
    assert _parse(shop, text).weight == pytest.approx(weight)


def test_whole_catalog_and_stock_words(shop: Store) -> None:
    assert _parse(shop, "20% off everything this weekend").scope.everything
    assert _parse(shop, "exclude out of stock headlamps").scope.stock == "out"
    assert _parse(shop, "boost headlamps that are running low").scope.stock == "low"


def test_unread_words_are_noted(shop: Store) -> None:
    spec = _parse(shop, "boost moisturizers for the cosy season")
    assert any("cosy" in note for note in spec.notes)


def test_missing_amounts_are_clear_errors(shop: Store) -> None:
    with pytest.raises(InvalidTaskError, match="discount"):
        _parse(shop, "run a promotion on moisturizers")
    with pytest.raises(InvalidTaskError, match="raise or lower"):
        _parse(shop, "change the price of RJ-5 by 10%")
    with pytest.raises(InvalidTaskError, match="between"):
        _parse(shop, "boost moisturizers 150%")


def test_unknown_text_names_what_is_understood(shop: Store) -> None:
    with pytest.raises(TaskNotUnderstoodError) as caught:
        _parse(shop, "tell me a joke")
    error = caught.value
    assert error.code == "not_understood"
    assert "boost" in error.message and "promotions" in error.message
    assert "boost vegan skincare 20% until Sunday" in str(error)
    message = help_message("tell me a joke")
    assert all(example in message for example in EXAMPLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boost vegan skincare 20% until Sunday", "plan"),
        ("15% off overstocked outdoor jackets for gold members", "plan"),
        ("pin SKU-1 for 'running shoes'", "plan"),
        ("raise the price of SKU-1 to $45", "plan"),
        ("can you bury brand X in outdoor?", "plan"),
        ("which recommended products are about to run out?", "report"),
        ("what's overstocked in outdoor?", "report"),
        ("which promotions are active?", "report"),
        ("show me the boosted products", "report"),
        ("active promotions", "report"),
        ("tell me a joke", "unknown"),
        ("", "unknown"),
    ],
)
def test_classify(text: str, expected: str) -> None:
    assert classify(text) == expected


def test_report_questions(shop: Store) -> None:
    low = parse_report(
        "which recommended products are about to run out?", vocabulary=shop.vocabulary, now=NOW
    )
    assert (low.kind, low.recommended_only, low.scope.is_empty()) == ("low_stock", True, True)
    over = parse_report("what's overstocked in outdoor?", vocabulary=shop.vocabulary, now=NOW)
    assert (over.kind, over.scope.categories) == ("overstock", ("outdoor",))
    with pytest.raises(TaskNotUnderstoodError):
        parse_report("boost moisturizers", vocabulary=shop.vocabulary, now=NOW)


def test_a_spec_from_elsewhere_is_validated() -> None:
    scope = ScopeSpec(categories=(CREAM,))
    spec = validated_spec({"kind": "promotion", "scope": scope, "discount_pct": 10})
    assert spec.discount_pct == 10
    with pytest.raises(InvalidTaskError, match="discount_pct"):
        validated_spec({"kind": "promotion", "scope": scope})
    with pytest.raises(InvalidTaskError, match="weight"):
        validated_spec({"kind": "pin", "scope": {"skus": ["A"]}, "weight": 0.5})
    with pytest.raises(InvalidTaskError):
        validated_spec(
            {
                "kind": "boost",
                "scope": scope,
                "window": {"ends_on": "2026-11-01", "duration_days": 3},
            }
        )


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("15% off rain jackets, keep margin above 30%", 30),
        ("15% off rain jackets with at least 30% margin", 30),
        ("15% off rain jackets but don't let margins drop below 35%", 35),
        ("15% off rain jackets while maintaining a minimum margin of 25.5%", 25.5),
    ],
)
def test_margin_limits(shop: Store, text: str, limit: float) -> None:
    spec = _parse(shop, text)
    assert (spec.discount_pct, spec.min_margin_pct) == (15, limit)


def test_other_phrasings(shop: Store) -> None:
    assert _parse(shop, "stop recommending regulated products").scope.flags == ("regulated",)
    promo = _parse(shop, "a 10% discount on moisturizers starting Friday for a week")
    assert (promo.kind, promo.discount_pct, promo.window.duration_days) == ("promotion", 10, 7)
    demote = _parse(shop, "demote moisturizers under $30")
    assert (demote.kind, demote.scope.max_price_cents) == ("bury", 3000)

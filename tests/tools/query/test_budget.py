from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import Budget, ShopperIntent, parse


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("moisturizer under $30", None, 3000),
        ("moisturizer below 30 dollars", None, 3000),
        ("something less than 25 bucks", None, 2500),
        ("no more than $19.99 please", None, 1999),
        ("shampoo under 30", None, 3000),
        ("a candle for up to €40", None, 4000),
        ("between 20 and 40", 2000, 4000),
        ("between $40 and $20", 2000, 4000),
        ("$20-$40 headphones", 2000, 4000),
        ("from 20 to 40 dollars", 2000, 4000),
        ("over $100", 10000, None),
        ("at least $50 and at most $80", 5000, 8000),
        ("around $50", 4000, 6000),
        ("about 50 dollars", 4000, 6000),
        ("my budget is around 50", 4000, 6000),
        ("a $1,200 sofa", None, 120000),
        ("twenty dollars max", None, 2000),
    ],
)
def test_budget_phrasings(text: str, low: int | None, high: int | None) -> None:
    budget = _parse(text).budget
    assert budget is not None, text
    assert (budget.min_cents, budget.max_cents) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "under 30 inches tall",
        "within 2 days",
        "up to 50% off",
        "between 2 and 3 feet",
        "size 10 sneakers",
        "iphone 12 case",
        "around 50",
        "over 40",
        "a 4 ounce bottle",
    ],
)
def test_numbers_that_are_not_prices_make_no_budget(text: str) -> None:
    assert _parse(text).budget is None


def test_relative_bands_use_the_categorys_price_quantiles() -> None:
    quantiles = vocabulary().price_quantiles("beauty/skincare/moisturizers")
    assert quantiles is not None
    cheap = _parse("cheap moisturizer").budget
    assert cheap == Budget(max_cents=quantiles.p25, band="cheap", source="band")
    affordable = _parse("affordable moisturiser").budget
    assert affordable is not None and affordable.max_cents == quantiles.p50
    premium = _parse("premium moisturizer").budget
    assert premium is not None and premium.min_cents == quantiles.p75
    luxury = _parse("a luxury candle").budget
    candles = vocabulary().price_quantiles("home/decor/candles")
    assert luxury is not None and candles is not None and luxury.min_cents == candles.p90
    assert luxury.band == "luxury"


def test_bands_fall_back_to_the_whole_catalog_and_keep_explicit_amounts() -> None:
    prices = vocabulary().prices
    assert prices is not None
    budget = _parse("something inexpensive").budget
    assert budget is not None and budget.max_cents == prices.p25
    budget = _parse("not too expensive, under $40").budget
    assert budget == Budget(max_cents=4000, band="affordable", source="explicit")


def test_budget_words_leave_the_query_and_are_explained() -> None:
    intent = _parse("blue sneakers under $90")
    assert "90" not in intent.query and "under" not in intent.search_text
    (match,) = [m for m in intent.matches if m.slot == "budget"]
    assert match.text == "under $90"
    assert intent.normalized_text[match.start : match.end] == "under $90"
    assert match.value == "at most $90.00"

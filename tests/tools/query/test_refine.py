from __future__ import annotations

from collections.abc import Sequence

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import Budget, ShopperIntent, ShownItem, parse, refine

SHOWN = [
    ShownItem(sku="M1", brand="CeraVe", price_cents=1899),
    ShownItem(sku="M2", brand="Olay", price_cents=2999),
    ShownItem(sku="M3", brand="Neutrogena", price_cents=1499),
]


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


def _refine(
    previous: ShopperIntent, text: str, shown: Sequence[ShownItem] = SHOWN
) -> ShopperIntent:
    return refine(previous, text, vocabulary=vocabulary(), now=NOW, shown=shown)


def test_cheaper_caps_the_budget_below_the_median_shown_price() -> None:
    first = _parse("fragrance-free moisturizer under $30")
    cheaper = _refine(first, "cheaper")
    assert cheaper.budget == Budget(max_cents=1898, source="refinement")
    assert cheaper.category == first.category and cheaper.attributes == first.attributes
    assert "budget" not in cheaper.inherited and "category" in cheaper.inherited
    assert _refine(first, "something less expensive than the second one").budget == Budget(
        max_cents=2998, source="refinement"
    )


def test_cheaper_without_shown_prices_uses_the_old_cap_or_the_cheap_band() -> None:
    first = _parse("moisturizer under $30")
    assert _refine(first, "cheaper please", shown=[]).budget == Budget(
        max_cents=2400, source="refinement"
    )
    quantiles = vocabulary().price_quantiles("beauty/skincare/moisturizers")
    assert quantiles is not None
    budget = _refine(_parse("moisturizer"), "cheaper", shown=[]).budget
    assert budget is not None and budget.max_cents == quantiles.p25


def test_more_expensive_raises_the_floor() -> None:
    budget = _refine(_parse("moisturizer"), "something more expensive").budget
    assert budget == Budget(min_cents=1900, source="refinement")


def test_in_blue_adds_an_attribute_and_replaces_the_old_value() -> None:
    first = _parse("sneakers in white, size 8")
    blue = _refine(first, "in blue")
    assert blue.attributes == {"color": ["blue"], "size": [8]}
    assert blue.category == first.category
    assert blue.budget is None


def test_not_that_brand_excludes_the_referenced_or_top_brand() -> None:
    first = _parse("moisturizer")
    assert _refine(first, "not that brand").excluded_brands == ["CeraVe"]
    assert _refine(first, "not the brand of the second one").excluded_brands == ["Olay"]
    assert _refine(first, "different brand").excluded_brands == ["CeraVe"]
    branded = _parse("olay moisturizer")
    other = _refine(branded, "not this brand", shown=[])
    assert other.excluded_brands == ["Olay"] and other.brands == []
    assert _refine(first, "not nike").excluded_brands == ["Nike"]


def test_more_like_the_second_one_asks_for_similar_items() -> None:
    first = _parse("moisturizer under $30")
    similar = _refine(first, "more like the second one")
    assert similar.similar_to == "M2"
    assert similar.budget == first.budget and similar.category == first.category
    assert _refine(first, "something similar to the last one").similar_to == "M3"
    assert _refine(first, "more like #1").similar_to == "M1"
    assert _refine(first, "more like that").similar_to == "M1"
    assert any("nothing shown" in n for n in _refine(first, "more like this", shown=[]).notes)


def test_what_about_for_my_sister_changes_only_the_recipient() -> None:
    first = _parse("a vanilla candle gift for my mom under $40")
    sister = _refine(first, "what about for my sister")
    assert sister.recipient == "sister"
    assert sister.gift and sister.attributes == first.attributes
    assert sister.budget == first.budget and sister.category == first.category


def test_under_20_instead_replaces_the_budget() -> None:
    first = _parse("candle between $25 and $40")
    assert _refine(first, "under 20 instead").budget == Budget(max_cents=2000)


def test_a_new_unrelated_request_starts_afresh() -> None:
    first = _parse("fragrance-free moisturizer under $30 for my sister")
    fresh = _refine(first, "I need wireless headphones")
    assert fresh.category == "electronics/audio/headphones"
    assert (
        fresh.budget is None
        and fresh.recipient is None
        and fresh.attributes == {"wireless": [True]}
    )
    assert any("new request" in n for n in fresh.notes)
    words = _refine(_parse("candles"), "what about socks")
    assert words.category is None and words.query == "socks"
    assert _refine(first, "actually, show me serums").category == "beauty/skincare/serums"


def test_follow_ups_about_the_same_product_are_refinements() -> None:
    first = _parse("sneakers under $100")
    assert _refine(first, "do you have them in leather?").attributes == {"material": ["leather"]}
    assert _refine(first, "womens sneakers in blue").budget == first.budget
    kept = _refine(_parse("vanilla candles"), "with a wooden lid")
    assert kept.category == "home/decor/candles" and "wooden" in kept.query


def test_replaced_and_excluded_words_leave_the_search_text() -> None:
    first = _parse("blue nike sneakers")
    red = _refine(first, "in red")
    assert red.search_text.split() == ["nike", "sneakers", "red"]
    other = _refine(red, "not that brand", shown=[ShownItem(sku="K1", brand="Nike")])
    assert other.search_text.split() == ["sneakers", "red"]
    assert other.excluded_brands == ["Nike"]


def test_conversational_words_do_not_start_a_new_request() -> None:
    first = _parse("sneakers under $100")
    leather = _refine(first, "I'd rather have leather")
    assert leather.attributes == {"material": ["leather"]} and leather.budget == first.budget
    fresh = _refine(first, "never mind, headphones")
    assert fresh.category == "electronics/audio/headphones" and fresh.exclusions == []

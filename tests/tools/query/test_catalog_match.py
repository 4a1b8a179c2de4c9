from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import ShopperIntent, parse


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


@pytest.mark.parametrize(
    "text",
    [
        "moisturizer",
        "moisturizers",
        "Moisturiser",
        "moisturzer",
        "a MOISTURIZER for dry skin",
        "skincare moisturizers",
    ],
)
def test_category_from_the_catalogs_own_words_with_plurals_and_typos(text: str) -> None:
    assert _parse(text).category == "beauty/skincare/moisturizers"


def test_category_words_narrow_each_other() -> None:
    assert _parse("womens sneakers").category == "apparel/women/shoes/sneakers"
    assert _parse("sneakers for men").category == "apparel/men/shoes/sneakers"
    assert _parse("t-shirt").category == "apparel/women/t-shirts"
    assert _parse("tshirts").category == "apparel/women/t-shirts"
    assert _parse("towels").category == "home/bath/bath-towels"


def test_an_ambiguous_category_word_names_the_common_parent_and_the_choices() -> None:
    intent = _parse("snekers")
    assert intent.category == "apparel"
    assert intent.category_alternatives == [
        "apparel/women/shoes/sneakers",
        "apparel/men/shoes/sneakers",
    ]
    assert intent.query == "sneaker"
    match = next(m for m in intent.matches if m.slot == "category")
    assert match.source == "fuzzy" and match.confidence < 1


def test_attribute_values_flags_and_context_words() -> None:
    intent = _parse("fragrance-free moisturizer for sensitive skin")
    assert intent.attributes == {"fragrance_free": [True], "skin_type": ["sensitive"]}
    intent = _parse("navy blue t-shirt in size m, cotton")
    assert intent.attributes == {"color": ["navy blue"], "size": ["M"], "material": ["cotton"]}
    intent = _parse("sneakers size 8 in blue or white")
    assert intent.attributes == {"size": [8], "color": ["blue", "white"]}
    assert _parse("wireless headphones").attributes == {"wireless": [True]}


def test_short_and_numeric_values_need_their_key() -> None:
    assert _parse("i m looking for 8 sneakers").attributes == {}
    assert _parse("xl t-shirt").attributes == {}
    assert _parse("t-shirt size xl").attributes == {"size": ["XL"]}


def test_brands_and_tags() -> None:
    intent = _parse("vegan nike sneakers")
    assert intent.brands == ["Nike"]
    assert intent.tags == ["vegan"]
    assert _parse("yankee candle vanilla").brands == ["Yankee Candle"]
    assert _parse("towels from the brand simple").brands == ["Simple"]


def test_brands_the_catalog_uses_as_ordinary_words_need_context() -> None:
    assert vocabulary().ordinary_brands == ["Simple"]
    assert _parse("a simple white towel").brands == []
    assert _parse("simply the best towel").brands == []


def test_search_text_keeps_catalog_words_and_query_keeps_only_the_rest() -> None:
    intent = _parse("I'm looking for a fragrance-free moisturiser with ceramides under $30")
    assert intent.query == "ceramides"
    assert intent.search_text == "fragrance free moisturizer ceramides"

from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import Exclusion, ShopperIntent, parse


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


def _terms(text: str) -> list[str]:
    return [e.term for e in _parse(text).exclusions]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("shampoo without parabens", ["paraben"]),
        ("without parabens or sulfates", ["paraben", "sulfate"]),
        ("paraben-free shampoo", ["paraben"]),
        ("sulfate and paraben free shampoo", ["paraben", "sulfate"]),
        ("gluten free, non-toxic", ["gluten", "toxic"]),
        ("no artificial colors or flavors", ["artificial color", "flavor"]),
        ("does not contain alcohol", ["alcohol"]),
        ("I'm allergic to nuts", ["nut"]),
        ("free of dyes", ["dye"]),
    ],
)
def test_free_text_exclusions(text: str, terms: list[str]) -> None:
    assert sorted(_terms(text)) == sorted(terms)


def test_an_exclusion_keeps_the_words_as_written() -> None:
    (exclusion,) = _parse("a candle without parabens").exclusions
    assert exclusion == Exclusion(term="paraben", phrase="without parabens", cue="without")


def test_catalog_phrases_under_negation_become_exclusions() -> None:
    intent = _parse("sneakers, not nike")
    assert intent.excluded_brands == ["Nike"] and intent.brands == []
    intent = _parse("no leather sneakers")
    assert intent.excluded_attributes == {"material": ["leather"]}
    assert intent.category == "apparel"
    intent = _parse("headphones that are not wireless")
    assert intent.excluded_attributes == {"wireless": [True]}
    intent = _parse("no leather or canvas")
    assert intent.excluded_attributes == {"material": ["leather", "canvas"]}
    match = next(m for m in intent.matches if m.slot == "excluded_attributes")
    assert match.text == "no leather"


def test_a_catalog_flag_named_free_is_wanted_not_avoided() -> None:
    intent = _parse("fragrance free moisturizer")
    assert intent.attributes == {"fragrance_free": [True]}
    assert intent.exclusions == []


@pytest.mark.parametrize(
    "text",
    [
        "hands-free headphones",
        "non-slip sneakers",
        "not only soft but also warm",
        "foundation shade no. 21",
        "not sure what I need",
        "free shipping",
        "i dont have a color preference",
    ],
)
def test_phrases_that_are_not_exclusions(text: str) -> None:
    intent = _parse(text)
    assert intent.exclusions == []
    assert intent.excluded_attributes == {} and intent.excluded_brands == []


def test_vanilla_stays_wanted_in_vanilla_and_oil_free() -> None:
    intent = _parse("vanilla and oil free candle")
    assert intent.attributes == {"scent": ["vanilla"]}
    assert _terms("vanilla and oil free candle") == ["oil"]

from __future__ import annotations

import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import (
    Budget,
    CatalogVocabulary,
    Fulfilment,
    ShopperIntent,
    needs_clarification,
    parse,
    refine,
)
from tools.query.text import MAX_CHARS

_WORDS = [
    "moisturizer",
    "moisturiser",
    "sneakers",
    "not",
    "no",
    "without",
    "free",
    "under",
    "$30",
    "between",
    "and",
    "20",
    "-",
    "for",
    "my",
    "sister",
    "gift",
    "pickup",
    "today",
    "by",
    "friday",
    "pack",
    "of",
    "2",
    "a",
    "pair",
    "nike",
    "size",
    "m",
    "cheapest",
    "blue",
    "in",
    "the",
    "second",
    "one",
    "cheaper",
    "brand",
    ",",
    ".",
    "fragrance-free",
    "around",
    "simple",
    "at",
    "downtown",
]


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


def test_the_design_example_fills_every_slot_it_names() -> None:
    intent = _parse("fragrance-free moisturizer for sensitive skin under $30, pickup today")
    assert intent.category == "beauty/skincare/moisturizers"
    assert intent.attributes == {"fragrance_free": [True], "skin_type": ["sensitive"]}
    assert intent.budget == Budget(max_cents=3000)
    assert intent.fulfilment == Fulfilment(method="pickup", need_by=NOW.date(), same_day=True)
    assert intent.query == "skin"
    assert intent.filled_slots() == ["query", "category", "attributes", "budget", "fulfilment"]
    assert needs_clarification(intent) is None


def test_every_match_points_at_its_words_in_the_normalized_text() -> None:
    intent = _parse("Gift for my SISTER: vegan Nike sneakers, size 8, not leather, under $90!")
    assert {m.slot for m in intent.matches} >= {
        "gift",
        "recipient",
        "tags",
        "brands",
        "category",
        "attributes",
        "excluded_attributes",
        "budget",
    }
    for match in intent.matches:
        assert intent.normalized_text[match.start : match.end] == match.text
        assert 0 < match.confidence <= 1


def test_parse_is_deterministic_and_independent_of_vocabulary_instances() -> None:
    text = "2 packs of navy blue t-shirts, cheapest, ship by friday, no polyester"
    first = _parse(text).model_dump_json()
    fresh = CatalogVocabulary.from_json(vocabulary().to_json())
    assert parse(text, vocabulary=fresh, now=NOW).model_dump_json() == first
    assert _parse(text).model_dump_json() == first


def test_an_empty_vocabulary_still_reads_the_catalog_free_slots() -> None:
    intent = parse(
        "2 packs of socks for my dad under $20, no wool, delivered tomorrow",
        vocabulary=CatalogVocabulary(),
        now=date(2026, 3, 4),
    )
    assert intent.quantity is not None and intent.quantity.count == 2
    assert intent.recipient == "father"
    assert intent.budget == Budget(max_cents=2000)
    assert [e.term for e in intent.exclusions] == ["wool"]
    assert intent.fulfilment == Fulfilment(method="delivery", need_by=date(2026, 3, 5))
    assert intent.query == "socks"


def test_long_input_is_cut_and_the_intent_says_so() -> None:
    intent = _parse("blue sneakers " * 2000)
    assert intent.truncated
    assert len(intent.normalized_text) <= MAX_CHARS
    assert len(intent.text) <= MAX_CHARS
    assert any("truncated" in note for note in intent.notes)


def test_odd_inputs_give_empty_intents_not_errors() -> None:
    for text in ["", "   ", "\x00\x01\x02", "\U0001f600\U0001f45f", "$$$ --- ###", "\ud800"]:
        intent = _parse(text)
        assert intent.query == ""
        assert needs_clarification(intent) is not None
        assert ShopperIntent.model_validate_json(intent.model_dump_json()) == intent


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_parse_never_raises_on_any_text(text: str) -> None:
    intent = _parse(text)
    assert len(intent.normalized_text) <= MAX_CHARS
    assert ShopperIntent.model_validate_json(intent.model_dump_json()) == intent
    for match in intent.matches:
        assert intent.normalized_text[match.start : match.end] == match.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(_WORDS) | st.text(alphabet=string.printable, max_size=6), max_size=25
    ).map(" ".join)
)
def test_parse_and_refine_never_raise_on_shopping_like_text(text: str) -> None:
    intent = _parse(text)
    ShopperIntent.model_validate_json(intent.model_dump_json())
    refine(intent, text, vocabulary=vocabulary(), now=NOW)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=40), st.integers(min_value=50, max_value=2000))
def test_parse_never_raises_on_very_long_text(piece: str, times: int) -> None:
    assert len(_parse(piece * times).normalized_text) <= MAX_CHARS

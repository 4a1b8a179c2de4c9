"""Multi-turn understanding over the demo catalog's vocabulary: refinements of the last intent."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from config import Settings
from orchestrator.conversation import Conversation
from tests.orchestrator.demo import NOW, engine_of
from tools.query import CatalogVocabulary, ShopperIntent, ShownItem

SHOWN = [
    ShownItem(
        sku="SKU-A",
        brand="Stride Basics",
        price_cents=9599,
        category="footwear/athletic/running-shoe",
    ),
    ShownItem(
        sku="SKU-B", brand="Fleetfoot", price_cents=5699, category="footwear/athletic/running-shoe"
    ),
    ShownItem(
        sku="SKU-C",
        brand="Stride Basics",
        price_cents=7499,
        category="footwear/athletic/running-shoe",
    ),
]


@pytest.fixture(scope="module")
def conversation(demo_settings: Settings) -> Conversation:
    with engine_of(demo_settings) as engine:
        return Conversation(CatalogVocabulary.from_store(engine))


def _after(
    conversation: Conversation, first: str, then: str, shown: Sequence[ShownItem] = SHOWN
) -> ShopperIntent:
    start = conversation(first, previous=None, shown=(), now=NOW).intent
    return conversation(then, previous=start, shown=shown, now=NOW).intent


def test_cheaper_caps_the_budget_below_what_was_shown(conversation: Conversation) -> None:
    intent = _after(conversation, "running shoes", "cheaper")
    assert intent.category == "footwear/athletic/running-shoe"
    assert intent.budget is not None and intent.budget.max_cents is not None
    assert intent.budget.max_cents < 9599


def test_in_a_colour_keeps_the_product_and_adds_the_colour(conversation: Conversation) -> None:
    intent = _after(conversation, "running shoes", "in blue")
    assert intent.category == "footwear/athletic/running-shoe"
    assert "blue" in [str(v).lower() for values in intent.attributes.values() for v in values]


def test_not_that_brand_leaves_the_brand_out(conversation: Conversation) -> None:
    intent = _after(conversation, "running shoes", "not that brand")
    assert intent.excluded_brands == ["Stride Basics"]


def test_more_like_the_second_one_points_at_it(conversation: Conversation) -> None:
    assert _after(conversation, "running shoes", "more like the second one").similar_to == "SKU-B"


def test_for_my_sister_keeps_the_request_and_names_the_recipient(
    conversation: Conversation,
) -> None:
    intent = _after(conversation, "running shoes", "what about for my sister")
    assert intent.recipient == "sister" and intent.category == "footwear/athletic/running-shoe"


def test_a_new_product_starts_afresh_and_vague_requests_get_a_question(
    conversation: Conversation,
) -> None:
    intent = _after(conversation, "running shoes under $50", "sheet set")
    assert intent.category is not None and "sheet" in intent.category and intent.budget is None
    assert conversation("a gift for my mum", previous=None, shown=(), now=NOW).clarification
    assert conversation.names_products("running shoes", now=NOW)
    assert not conversation.names_products("any deal on this?", now=NOW)

from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import needs_clarification, parse


def _question(text: str) -> str | None:
    return needs_clarification(parse(text, vocabulary=vocabulary(), now=NOW))


@pytest.mark.parametrize(
    "text",
    [
        "I need something",
        "can you help me find anything?",
        "",
        "show me some options",
        "cheapest",
    ],
)
def test_too_vague_requests_get_one_question(text: str) -> None:
    question = _question(text)
    assert question is not None and "?" in question


def test_the_question_uses_what_is_known() -> None:
    assert _question("a gift for my sister") == (
        "What kind of gift are you thinking of for your sister? "
        "A category, something they enjoy, or a brand helps me search."
    )
    assert _question("something under $30") == "What are you looking for within that budget?"
    question = _question("nothing with parabens")
    assert question is not None and question.startswith("Got it")


@pytest.mark.parametrize(
    "text",
    ["moisturizer", "nike", "something blue", "a gift for my sister, maybe a candle", "asdfgh"],
)
def test_searchable_requests_get_no_question(text: str) -> None:
    assert _question(text) is None

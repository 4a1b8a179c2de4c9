from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import ShopperIntent, parse


def _parse(text: str) -> ShopperIntent:
    return parse(text, vocabulary=vocabulary(), now=NOW)


@pytest.mark.parametrize(
    ("text", "gift", "occasion", "recipient"),
    [
        ("gift for my sister", True, None, "sister"),
        ("a candle for my dad", False, None, "father"),
        ("birthday present for my mom", True, "birthday", "mother"),
        ("something for my little brother's birthday", False, "birthday", "brother"),
        ("a christmas gift for a coworker", True, "christmas", "coworker"),
        ("my husband needs new headphones", False, None, "husband"),
        ("stocking stuffers under $20", True, "christmas", None),
        ("anniversary gift", True, "anniversary", None),
        ("a gift basket", True, None, None),
        ("headphones for my living room", False, None, None),
        ("sneakers for women", False, None, None),
    ],
)
def test_gift_occasion_and_recipient(
    text: str, gift: bool, occasion: str | None, recipient: str | None
) -> None:
    intent = _parse(text)
    assert (intent.gift, intent.occasion, intent.recipient) == (gift, occasion, recipient)


def test_who_and_why_leave_the_query_but_product_words_stay() -> None:
    assert _parse("birthday gift for my sister").query == ""
    assert _parse("birthday candles").query == "birthday candles" or (
        _parse("birthday candles").category == "home/decor/candles"
    )
    assert "basket" in _parse("a gift basket for my wife").query
    assert _parse("birthday candles").occasion == "birthday"

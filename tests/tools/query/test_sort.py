from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import SortOrder, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cheapest moisturizer", "price_asc"),
        ("sort by price", "price_asc"),
        ("the least expensive headphones", "price_asc"),
        ("most expensive headphones", "price_desc"),
        ("best rated sneakers", "rating_desc"),
        ("top-rated candles", "rating_desc"),
        ("newest arrivals", "newest"),
        ("the latest headphones", "newest"),
        ("best selling shampoo", "popularity"),
        ("most popular candles", "popularity"),
        ("blue sneakers", None),
    ],
)
def test_sort_phrasings(text: str, expected: SortOrder | None) -> None:
    intent = parse(text, vocabulary=vocabulary(), now=NOW)
    assert intent.sort == expected
    assert intent.budget is None

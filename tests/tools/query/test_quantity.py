from __future__ import annotations

import pytest

from tests.tools.query.catalog import NOW, vocabulary
from tools.query import Quantity, parse


def _quantity(text: str) -> Quantity | None:
    return parse(text, vocabulary=vocabulary(), now=NOW).quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 packs of socks", Quantity(count=2, unit="pack")),
        ("a pair of sneakers", Quantity(count=1, unit="pair")),
        ("three candles", Quantity(count=3)),
        ("I need three", Quantity(count=3)),
        ("i want 4 candles", Quantity(count=4)),
        ("six boxes of tea", Quantity(count=6, unit="box")),
        ("a box of 12 chocolate bars", Quantity(count=1, unit="box", pack_size=12)),
        ("shampoo (pack of 6)", Quantity(pack_size=6)),
        ("a 24-pack of water", Quantity(pack_size=24)),
        ("60 count vitamins", Quantity(pack_size=60)),
        ("a dozen roses", Quantity(count=12)),
        ("half a dozen candles", Quantity(count=6)),
        ("a couple of towels", Quantity(count=2)),
        ("two pairs of socks", Quantity(count=2, unit="pair")),
    ],
)
def test_quantity_phrasings(text: str, expected: Quantity) -> None:
    assert _quantity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "iphone 12 case",
        "a 4 ounce bottle",
        "60 capsules",
        "size 8 sneakers",
        "the blue one",
        "a case for my phone",
        "color eleven",
        "3 tier shelf",
    ],
)
def test_numbers_that_are_not_quantities(text: str) -> None:
    assert _quantity(text) is None

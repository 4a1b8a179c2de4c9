"""A small hand-made catalog whose words the query tests rely on."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from tools.query import CatalogVocabulary
from tools.store import Product

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday

_ROWS: list[tuple[str, str, str, int, dict[str, Any], list[str]]] = [
    ("M1", "beauty/skincare/moisturizers", "CeraVe", 1899,
     {"fragrance_free": True, "skin_type": ["sensitive", "dry"]}, ["vegan"]),
    ("M2", "beauty/skincare/moisturizers", "Olay", 2999,
     {"fragrance_free": False, "skin_type": ["oily"]}, []),
    ("M3", "beauty/skincare/moisturizers", "Neutrogena", 1499,
     {"fragrance_free": True, "skin_type": ["dry"]}, ["bestseller"]),
    ("S1", "beauty/skincare/serums", "Olay", 3999, {"skin_type": ["dry"]}, []),
    ("H1", "beauty/haircare/shampoo", "Dove", 899, {"scent": "lavender"}, []),
    ("K1", "apparel/women/shoes/sneakers", "Nike", 8999,
     {"color": "blue", "material": "leather", "size": 8}, []),
    ("K2", "apparel/women/shoes/sneakers", "Adidas", 7999,
     {"color": "white", "material": "canvas", "size": 7}, []),
    ("K3", "apparel/men/shoes/sneakers", "Nike", 9999,
     {"color": "black", "material": "leather", "size": 10}, []),
    ("T1", "apparel/women/t-shirts", "Gap", 1999,
     {"color": "navy blue", "material": "cotton", "size": "M"}, []),
    ("T2", "apparel/women/t-shirts", "Gap", 2499,
     {"color": "red", "material": "cotton", "size": "XL"}, []),
    ("B1", "home/bath/bath-towels", "Simple", 2599, {"color": "white", "material": "cotton"}, []),
    ("C1", "home/decor/candles", "Yankee Candle", 2999, {"scent": "vanilla"}, ["bestseller"]),
    ("E1", "electronics/audio/headphones", "Sony", 19999, {"color": "black", "wireless": True}, []),
    ("E2", "electronics/audio/headphones", "Bose", 29999, {"color": "white", "wireless": True}, []),
]  # fmt: skip

LOCATIONS = {"L1": "Downtown", "L2": "Riverside Mall"}
_TITLES = {"T1": "Simple crew neck tee", "K2": "Simple canvas sneaker"}


def products() -> list[Product]:
    """The catalog's products."""
    return [
        Product(
            sku=sku,
            variant_group=sku,
            title=_TITLES.get(sku, f"{category.rsplit('/', 1)[-1]} {sku}"),
            category=category,
            brand=brand,
            list_price_cents=price,
            attributes=attributes,
            tags=tags,
        )
        for sku, category, brand, price, attributes, tags in _ROWS
    ]


@cache
def vocabulary() -> CatalogVocabulary:
    """The catalog's vocabulary (built once per test session)."""
    return CatalogVocabulary.from_products(products(), locations=LOCATIONS)

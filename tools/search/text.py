"""The text indexed for each product: what the embedding model reads and BM25 matches.

One text per product, in order of importance: title, brand, category words (leaf first),
attribute values, tags, then the description. A boolean attribute contributes its name only
when true ("fragrance free"), so a product that is *not* fragrance-free never matches the words;
a number contributes its name and value ("spf 30"); strings and lists contribute their values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tools.search.records import CatalogRecord
from tools.search.tokens import tokenize

TITLE_WEIGHT = 2  # BM25 counts title words this many times: titles say what a product is


def key_words(key: str) -> str:
    """An attribute name as words: 'fragrance_free' -> 'fragrance free'."""
    return key.replace("_", " ").replace("-", " ").strip()


def number_text(value: float) -> str:
    """A number as a shopper writes it: 30.0 -> '30', 2.5 -> '2.5'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _attribute_phrases(attributes: Mapping[str, Any]) -> Iterator[str]:
    for key in sorted(attributes):
        value = attributes[key]
        if isinstance(value, bool):
            if value:
                yield key_words(key)
        elif isinstance(value, int | float):
            yield f"{key_words(key)} {number_text(value)}"
        elif isinstance(value, str):
            if value:
                yield value
        elif isinstance(value, list | tuple):
            yield from (str(item) for item in value if str(item))


def category_words(category: str) -> str:
    """A category path as words, most specific first: 'beauty/skin care' -> 'skin care beauty'."""
    return " ".join(part.strip() for part in reversed(category.split("/")) if part.strip())


def product_text(record: CatalogRecord) -> str:
    """The one text that represents a product for search."""
    parts = [
        record.title,
        record.brand,
        category_words(record.category),
        ", ".join(_attribute_phrases(record.attributes)),
        ", ".join(record.tags),
        record.description,
    ]
    return ". ".join(part for part in parts if part)


def product_terms(record: CatalogRecord) -> list[str]:
    """The BM25 tokens of a product: its text, with the title counted `TITLE_WEIGHT` times."""
    title = tokenize(record.title)
    return title * (TITLE_WEIGHT - 1) + tokenize(product_text(record))

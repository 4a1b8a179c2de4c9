"""The texts indexed for each product: the full text BM25 matches, the short one embedded.

BM25 reads one text per product, in order of importance: title, brand, category words (leaf
first), attribute values, tags, then the description. A boolean attribute contributes its name
only when true ("fragrance free"), so a product that is *not* fragrance-free never matches the
words; a number contributes its name and value ("spf 30"); strings and lists their values.
The embedding model reads the short summary of `tools.embeddings.item_summary` instead: the
same facts without repeats and with the description trimmed, which is several times cheaper
to encode.
"""

from __future__ import annotations

from tools.embeddings.text import attribute_phrases, category_words, item_summary
from tools.search.records import CatalogRecord
from tools.search.tokens import tokenize

TITLE_WEIGHT = 2  # BM25 counts title words this many times: titles say what a product is


def product_text(record: CatalogRecord) -> str:
    """The one text that represents a product for BM25."""
    parts = [
        record.title,
        record.brand,
        category_words(record.category),
        ", ".join(attribute_phrases(record.attributes)),
        ", ".join(record.tags),
        record.description,
    ]
    return ". ".join(part for part in parts if part)


def dense_text(record: CatalogRecord) -> str:
    """The short text a product is embedded from."""
    return item_summary(
        title=record.title,
        brand=record.brand,
        category=record.category,
        attributes=record.attributes,
        tags=record.tags,
        description=record.description,
    )


def product_terms(record: CatalogRecord) -> list[str]:
    """The BM25 tokens of a product: its text, with the title counted `TITLE_WEIGHT` times."""
    title = tokenize(record.title)
    return title * (TITLE_WEIGHT - 1) + tokenize(product_text(record))

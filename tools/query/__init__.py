"""Query understanding: shopping requests in free text to typed, explainable intents.

`parse` reads one request against a `CatalogVocabulary` (the catalog's own words); `refine`
applies a follow-up turn to the previous intent; `needs_clarification` asks a question only when
a request is too vague to search.
"""

from tools.query.clarify import needs_clarification
from tools.query.intent import (
    AttributeValue,
    Budget,
    Exclusion,
    Fulfilment,
    PriceBand,
    Quantity,
    ShopperIntent,
    ShownItem,
    Slot,
    SlotMatch,
    SortOrder,
)
from tools.query.parse import parse
from tools.query.refine import refine
from tools.query.vocabulary import CatalogVocabulary, PriceQuantiles

__all__ = [
    "AttributeValue",
    "Budget",
    "CatalogVocabulary",
    "Exclusion",
    "Fulfilment",
    "PriceBand",
    "PriceQuantiles",
    "Quantity",
    "ShopperIntent",
    "ShownItem",
    "Slot",
    "SlotMatch",
    "SortOrder",
    "needs_clarification",
    "parse",
    "refine",
]

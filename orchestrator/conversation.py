"""Deterministic language understanding of a thread: the first request, then refinements.

"cheaper", "in blue", "not that brand", "more like the second one", "what about for my sister"
refine the previous intent given what was shown; a request for another product starts afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agents.intent import Understanding
from tools.query import (
    CatalogVocabulary,
    ShopperIntent,
    ShownItem,
    needs_clarification,
    parse,
    refine,
)


class Conversation:
    """Understands requests with the catalog's own vocabulary (loaded once per process)."""

    def __init__(self, vocabulary: CatalogVocabulary) -> None:
        self.vocabulary = vocabulary

    def __call__(
        self,
        text: str,
        *,
        previous: ShopperIntent | None,
        shown: Sequence[ShownItem],
        now: datetime,
    ) -> Understanding:
        """The intent of `text` in the thread so far, and a question when it is too vague."""
        if previous is None:
            intent = parse(text, vocabulary=self.vocabulary, now=now)
        else:
            intent = refine(previous, text, vocabulary=self.vocabulary, now=now, shown=shown)
        return Understanding(intent=intent, clarification=needs_clarification(intent))

    def names_products(self, text: str, *, now: datetime) -> bool:
        """Whether the words alone name something in the catalog (a category, brand, attribute)."""
        intent = parse(text, vocabulary=self.vocabulary, now=now)
        return bool(intent.category or intent.brands or intent.attributes or intent.tags)

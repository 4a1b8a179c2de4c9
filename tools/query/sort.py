"""Sort orders: "cheapest", "most expensive", "best rated", "newest", "best selling"."""

from __future__ import annotations

import re

from tools.query.intent import SlotMatch, SortOrder
from tools.query.text import Doc

_PATTERNS: tuple[tuple[re.Pattern[str], SortOrder], ...] = (
    (
        re.compile(
            r"\b(?:cheapest|least\s+expensive|lowest[\s-]priced?|lowest\s+cost|"
            r"(?:sort(?:ed)?|order(?:ed)?)\s+by\s+price|price\s+low\s+to\s+high|"
            r"low\s+to\s+high)\b"
        ),
        "price_asc",
    ),
    (
        re.compile(
            r"\b(?:most\s+expensive|priciest|highest[\s-]priced?|price\s+high\s+to\s+low|"
            r"high\s+to\s+low)\b"
        ),
        "price_desc",
    ),
    (
        re.compile(
            r"\b(?:best|top|highest|highly)[\s-]+(?:rated|reviewed|ratings?|reviews?)\b|"
            r"\b(?:best|top)\s+ones?\b|\bfive[\s-]star\b|\b5[\s-]stars?\b"
        ),
        "rating_desc",
    ),
    (
        re.compile(
            r"\b(?:newest|latest|most\s+recent|new\s+arrivals?|just\s+(?:in|arrived|released)|"
            r"recently\s+(?:added|released))\b"
        ),
        "newest",
    ),
    (
        re.compile(
            r"\b(?:most\s+popular|best[\s-]?sell(?:ing|ers?)|top[\s-]sell(?:ing|ers?)|"
            r"trending|bestsellers?)\b"
        ),
        "popularity",
    ),
)


def extract_sort(doc: Doc) -> tuple[SortOrder | None, list[SlotMatch]]:
    """The order the shopper asked results in, claiming the words that ask it."""
    found: SortOrder | None = None
    matches: list[SlotMatch] = []
    for pattern, order in _PATTERNS:
        for m in pattern.finditer(doc.text):
            if not doc.is_free(m.start(), m.end()):
                continue
            doc.consume(m.start(), m.end())
            found = found or order
            matches.append(
                SlotMatch(
                    slot="sort",
                    value=order,
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                    confidence=0.9,
                    source="pattern",
                )
            )
    return found, matches

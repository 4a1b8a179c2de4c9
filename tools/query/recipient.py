"""Who it is for and why: "gift for my sister", "for my dad", "birthday present", "for Christmas".

The recipient is a relation ("sister", "father"), never a guess at anyone's gender or age. Words
that also describe products stay in the query ("birthday candles", "gift basket"); they are
claimed only where they say who or why ("a gift for my sister", "birthday gift").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.query.intent import Slot, SlotMatch
from tools.query.lexicon import (
    OCCASIONS,
    RELATIONS,
    STOPWORDS,
    UNAMBIGUOUS_RELATIONS,
    alternation,
)
from tools.query.text import Doc

_ADJ = r"(?:(?:little|big|older|younger|elder|baby|best|dear|lovely|new|favou?rite)\s+)?"
_REL = alternation(RELATIONS)
_RECIPIENT_PATTERNS = (
    re.compile(rf"\b(?:for|to)\s+(?:my|our)\s+{_ADJ}(?P<rel>{_REL})s?\b"),
    re.compile(rf"\bfor\s+(?:a\s+|an\s+|the\s+)?(?P<rel>{alternation(UNAMBIGUOUS_RELATIONS)})s?\b"),
    re.compile(
        rf"\bmy\s+{_ADJ}(?P<rel>{_REL})s?(?=\s+(?:needs?|wants?|likes?|loves?|is|has|asked|"
        r"would|will|just|birthday)\b)"
    ),
)
_GIFT = re.compile(
    r"\b(?:gifts?|gifting|giftable|(?:a|the|as\s+a)\s+present|presents?(?=\s+for\b)|"
    r"stocking\s+stuffers?)\b"
)
_OCCASION = re.compile(rf"\b(?P<occ>{alternation(OCCASIONS)})\b")
_OCCASION_NAMES = {phrase.replace(" ", ""): name for phrase, name in OCCASIONS.items()}
_GIFT_AFTER = re.compile(r"\s*(?:gifts?|presents?)\b")
_FOR_BEFORE = re.compile(r"\bfor\s+(?:(?:my|his|her|their|our|your|the|a)\s+)?(?:\w+s?\s+)?$")


@dataclass
class Recipient:
    """What the request says about who and why."""

    gift: bool = False
    occasion: str | None = None
    recipient: str | None = None


def extract_recipient(doc: Doc) -> tuple[Recipient, list[SlotMatch]]:
    """Gift, occasion and recipient, claiming only the words that say who or why."""
    found = Recipient()
    matches: list[SlotMatch] = []
    for pattern in _RECIPIENT_PATTERNS:
        for m in pattern.finditer(doc.text):
            if found.recipient is None and doc.is_free(m.start(), m.end()):
                found.recipient = RELATIONS[m.group("rel")]
                doc.consume(m.start(), m.end())
                matches.append(_match("recipient", found.recipient, m, m.start(), m.end(), 0.9))
    _occasions(doc, found, matches)
    _gifts(doc, found, matches)
    return found, matches


def _occasions(doc: Doc, found: Recipient, matches: list[SlotMatch]) -> None:
    for m in _OCCASION.finditer(doc.text):
        if found.occasion is not None or not doc.is_free(m.start(), m.end()):
            continue
        found.occasion = _OCCASION_NAMES[re.sub(r"[\s-]+", "", m.group("occ"))]
        gift_after = _GIFT_AFTER.match(doc.text, m.end())
        if gift_after:
            found.gift = True
            doc.consume(m.start(), gift_after.end())
        elif _FOR_BEFORE.search(doc.text, 0, m.start()) and _ends_clause(doc.text, m.end()):
            doc.consume(m.start(), m.end())
        matches.append(_match("occasion", found.occasion, m, m.start(), m.end(), 0.9))


def _gifts(doc: Doc, found: Recipient, matches: list[SlotMatch]) -> None:
    for m in _GIFT.finditer(doc.text):
        found.gift = True
        if doc.is_free(m.start(), m.end()) and _ends_clause(doc.text, m.end()):
            doc.consume(m.start(), m.end())
        matches.append(_match("gift", "yes", m, m.start(), m.end(), 0.9))


def _ends_clause(text: str, end: int) -> bool:
    """Whether the next word is a function word or nothing ("gift for", not "gift basket")."""
    rest = re.match(r"\s*([^\W\d_]+)?", text[end:])
    if end < len(text) and text[end] in ".,;:!?)":
        return True
    word = rest.group(1) if rest else None
    return word is None or word in STOPWORDS or word in ("idea", "ideas")


def _match(
    slot: Slot, value: str, m: re.Match[str], start: int, end: int, confidence: float
) -> SlotMatch:
    return SlotMatch(
        slot=slot,
        value=value,
        start=start,
        end=end,
        text=m.string[start:end],
        confidence=confidence,
        source="pattern",
    )

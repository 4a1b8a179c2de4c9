"""Numbers as shoppers write them: digits with separators, and number words up to the hundreds."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tools.query.lexicon import NUMBER_WORDS, UNITS

_UNITS_WORDS = "|".join(w for w, v in NUMBER_WORDS.items() if 0 < v < 10)
_TEENS = "|".join(w for w, v in NUMBER_WORDS.items() if 10 <= v < 20)
_TENS = "|".join(w for w, v in NUMBER_WORDS.items() if v >= 20)

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
WORD_NUMBER = (
    rf"\b(?:(?:{_TENS})(?:[\s-](?:{_UNITS_WORDS}))?|{_TEENS}|{_UNITS_WORDS})"
    r"(?:\s+hundred(?:\s+(?:and\s+)?(?:\d+))?)?\b"
)
NUMBER = rf"(?:{DIGITS}|{WORD_NUMBER})"

MAX_CENTS = 1_000_000_000
_FOLLOWING_WORD = re.compile(r"\s*(%|[^\W\d_]+)")


def word_value(text: str) -> int | None:
    """The value of a number written in words ("twenty five", "two hundred"), or None."""
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[\s-]+", text.strip()):
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
            seen = True
        elif word == "hundred" and seen:
            current = max(current, 1) * 100
        elif word == "and":
            continue
        elif word.isdigit() and seen:
            current += int(word)
        else:
            return None
    total += current
    return total if seen else None


def number_value(text: str) -> Decimal | None:
    """The value of a number in digits or words, or None if it is not one."""
    text = text.strip()
    if text and text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    value = word_value(text)
    return Decimal(value) if value is not None else None


def small_int(text: str, *, upper: int = 999) -> int | None:
    """A whole number between 1 and `upper`, or None."""
    value = number_value(text)
    if value is None or value != value.to_integral_value() or not 1 <= value <= upper:
        return None
    return int(value)


def to_cents(amount: Decimal) -> int | None:
    """Whole cents for an amount in currency units; None if negative or implausibly large."""
    if not 0 < amount * 100 <= MAX_CENTS:
        return None
    return int((amount * 100).to_integral_value())


def unit_follows(text: str, end: int) -> bool:
    """Whether the word right after `end` is a unit of measure (so the number is no price)."""
    match = _FOLLOWING_WORD.match(text, end)
    return match is not None and (match.group(1) == "%" or match.group(1) in UNITS)

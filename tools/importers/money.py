"""Money from text or JSON numbers, parsed exactly into integer cents."""

from __future__ import annotations

import re
from decimal import Decimal

CENT = Decimal("0.01")
AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
NOT_FINITE = frozenset({"nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity"})


def parse_cents(value: object, *, allow_text: bool = True) -> int:
    """Integer cents from a decimal amount ("12.5", 12, Decimal("12.50")); ValueError says why not.

    Text is plain decimal notation (no currency sign, separators or exponent). Refuses negatives,
    NaN, infinities, booleans and more than two decimal places. Floats are read through their
    shortest repr, so 12.3 is exactly 1230 cents.
    """
    amount = _decimal(value, allow_text=allow_text)
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    if amount < 0:
        raise ValueError(f"{value!r} is negative")
    if amount != amount.quantize(CENT):
        raise ValueError(f"{value!r} has more than 2 decimal places")
    return int(amount * 100)


def _decimal(value: object, *, allow_text: bool) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected an amount, got {_kind(value)}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and allow_text:
        text = value.strip()
        if not text:
            raise ValueError("empty amount")
        if AMOUNT.fullmatch(text) or text.lower() in NOT_FINITE:
            return Decimal(text)
        raise ValueError(f"{value!r} is not a decimal amount")
    raise ValueError(f"expected an amount, got {_kind(value)}")


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__

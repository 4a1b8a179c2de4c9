"""Field parsers for tabular records: CSV cells (text) or JSON values (typed).

Each returns the parsed value or raises ValueError with a short reason; the caller adds the file,
line and field. An empty CSV cell or a JSON null is "absent" and handled by the caller.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from tools.importers.jsonsource import DECODER, json_kind

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COUNT = re.compile(r"\d+")


def is_absent(value: object) -> bool:
    """Whether a cell or value says nothing (empty text or null)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """A string, trimmed."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {json_kind(value)}")
    return value.strip()


def flag(value: object, *, textual: bool) -> bool:
    """A boolean: JSON true/false, or in CSV one of true/false, yes/no, 1/0."""
    if isinstance(value, bool):
        return value
    if textual and isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{value!r} is not a boolean (true/false, yes/no, 1/0)")
    raise ValueError(f"expected a boolean, got {json_kind(value)}")


def day(value: object) -> date:
    """A calendar date written YYYY-MM-DD."""
    raw = text(value)
    if not ISO_DATE.fullmatch(raw):
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid date") from None


def count(value: object, *, textual: bool) -> int:
    """A non-negative whole number of units."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if textual and isinstance(value, str) and COUNT.fullmatch(value.strip()):
        return int(value.strip())
    raise ValueError(f"{value!r} is not a non-negative whole number")


def tags(value: object, *, textual: bool) -> list[str]:
    """Tags: '|'-separated in CSV, a list of strings in JSON; blanks and repeats dropped."""
    if textual and isinstance(value, str):
        items: list[object] = list(value.split("|"))
    elif not textual and isinstance(value, list):
        items = value
    else:
        raise ValueError(f"expected {'text' if textual else 'a list'}, got {json_kind(value)}")
    found: list[str] = []
    for item in items:
        tag = text(item)
        if tag and tag not in found:
            found.append(tag)
    return found


def attributes(value: object, *, textual: bool) -> dict[str, Any]:
    """Attributes: a JSON object (inline in JSON, as text in a CSV cell)."""
    if textual and isinstance(value, str):
        try:
            value = DECODER.decode(value)
        except ValueError as exc:
            raise ValueError(f"not a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {json_kind(value)}")
    return {str(k): json_ready(v) for k, v in value.items()}


def json_ready(value: object) -> Any:
    """A decoded JSON value with exact decimals turned back into floats for JSON columns."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


def slug(value: str) -> str:
    """Lower-case words joined by hyphens: "LED Light Bulb" -> "led-light-bulb"."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")

"""Merging a follow-up's intent into the previous one, slot by slot (newer values win)."""

from __future__ import annotations

from typing import TypeVar

from tools.query.intent import AttributeValue, Exclusion, ShopperIntent, Slot
from tools.query.text import stem, words

T = TypeVar("T")

Values = dict[str, list[AttributeValue]]


def merge_intents(previous: ShopperIntent, delta: ShopperIntent) -> ShopperIntent:
    """The previous intent with every slot the follow-up fills replaced or extended by it."""
    attributes, excluded_attributes = _merge_attributes(previous, delta)
    brands = delta.brands or [b for b in previous.brands if b not in delta.excluded_brands]
    merged = delta.model_copy(
        update={
            "query": _join_words(previous.query, delta.query),
            "search_text": _join_words(
                without_words(previous.search_text, _dropped_values(previous, delta)),
                delta.search_text,
            ),
            "category": delta.category or previous.category,
            "category_alternatives": (
                delta.category_alternatives if delta.category else previous.category_alternatives
            ),
            "attributes": attributes,
            "excluded_attributes": excluded_attributes,
            "tags": _union(previous.tags, delta.tags, minus=delta.excluded_tags),
            "excluded_tags": _union(previous.excluded_tags, delta.excluded_tags, minus=delta.tags),
            "brands": brands,
            "excluded_brands": _union(
                previous.excluded_brands, delta.excluded_brands, minus=delta.brands
            ),
            "exclusions": _merge_exclusions(previous.exclusions, delta.exclusions),
            "budget": delta.budget or previous.budget,
            "fulfilment": delta.fulfilment or previous.fulfilment,
            "gift": previous.gift or delta.gift,
            "occasion": delta.occasion or previous.occasion,
            "recipient": delta.recipient or previous.recipient,
            "quantity": delta.quantity or previous.quantity,
            "sort": delta.sort or previous.sort,
            "similar_to": delta.similar_to or previous.similar_to,
        }
    )
    own = set(delta.filled_slots())
    kept: list[Slot] = [s for s in previous.filled_slots() if s not in own]
    return merged.model_copy(update={"inherited": kept})


def _merge_attributes(previous: ShopperIntent, delta: ShopperIntent) -> tuple[Values, Values]:
    """A key the follow-up names replaces the old values; exclusions accumulate."""
    attributes = {**previous.attributes, **delta.attributes}
    excluded: Values = {k: list(v) for k, v in previous.excluded_attributes.items()}
    for key, values in delta.excluded_attributes.items():
        excluded[key] = _union(excluded.get(key, []), values, minus=[])
    for key, values in delta.attributes.items():
        if key in excluded:
            excluded[key] = [v for v in excluded[key] if v not in values]
    for key, values in delta.excluded_attributes.items():
        if key in attributes:
            attributes[key] = [v for v in attributes[key] if v not in values]
    return (
        {k: v for k, v in attributes.items() if v},
        {k: v for k, v in excluded.items() if v},
    )


def _union(first: list[T], second: list[T], *, minus: list[T]) -> list[T]:
    out: list[T] = []
    for item in [*first, *second]:
        if item not in out and item not in minus:
            out.append(item)
    return out


def _merge_exclusions(first: list[Exclusion], second: list[Exclusion]) -> list[Exclusion]:
    seen: set[str] = set()
    out = []
    for exclusion in [*first, *second]:
        if exclusion.term not in seen:
            seen.add(exclusion.term)
            out.append(exclusion)
    return out


def _dropped_values(previous: ShopperIntent, delta: ShopperIntent) -> list[object]:
    """Earlier values the follow-up replaced or now excludes ("blue" after "in red")."""
    dropped: list[object] = [*delta.excluded_brands, *delta.excluded_tags]
    for key, values in previous.attributes.items():
        if key in delta.attributes:
            dropped.extend(v for v in values if v not in delta.attributes[key])
        dropped.extend(v for v in values if v in delta.excluded_attributes.get(key, []))
    if delta.brands:
        dropped.extend(b for b in previous.brands if b not in delta.brands)
    return dropped


def without_words(text: str, values: list[object]) -> str:
    """The text without the words of some values (compared by stem)."""
    dropped = {stem(w) for value in values for w in words(str(value).lower())}
    return " ".join(w for w in text.split() if stem(w) not in dropped)


def _join_words(before: str, after: str) -> str:
    """The earlier words, then the new ones not already there (compared by stem)."""
    known = {stem(w) for w in before.split()}
    new = [w for w in after.split() if stem(w) not in known]
    return " ".join([*before.split(), *new])

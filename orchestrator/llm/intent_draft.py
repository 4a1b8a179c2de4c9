"""`IntentDraft`: the shopping request as the LLM reads it, and its check against the catalog.

The LLM fills a small flat schema (no offsets, no evidence); `sanitize` keeps only the catalog's
own categories, brands, attribute values, tags and locations, and only the free words (things to
avoid, occasion, recipient) that the request itself contains. Everything dropped is named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from tools.query import AttributeValue, CatalogVocabulary, SortOrder
from tools.query.vocabulary import AttributeStats

V = TypeVar("V")


class IntentDraft(BaseModel):
    """What the request asks for, in the catalog's words; leave out what it does not say."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, description="One category path from the catalog")
    brands: list[str] = Field(default_factory=list, max_length=20)
    excluded_brands: list[str] = Field(default_factory=list, max_length=20)
    attributes: dict[str, list[AttributeValue]] = Field(
        default_factory=dict, description="Wanted attribute values, by attribute key"
    )
    excluded_attributes: dict[str, list[AttributeValue]] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list, max_length=20)
    excluded_tags: list[str] = Field(default_factory=list, max_length=20)
    avoid: list[str] = Field(
        default_factory=list, max_length=10, description="Other things to avoid, in its words"
    )
    min_price: float | None = Field(default=None, ge=0, le=10_000_000)
    max_price: float | None = Field(default=None, ge=0, le=10_000_000)
    fulfilment: Literal["pickup", "delivery"] | None = None
    need_by: date | None = Field(default=None, description="Latest acceptable date")
    same_day: bool = False
    pickup_location: str | None = Field(default=None, description="A location id from the catalog")
    gift: bool = False
    occasion: str | None = Field(default=None, max_length=40)
    recipient: str | None = Field(default=None, max_length=40)
    quantity: int | None = Field(default=None, ge=1, le=999)
    sort: SortOrder | None = None


def sanitize(
    draft: IntentDraft, *, vocabulary: CatalogVocabulary, text: str
) -> tuple[IntentDraft, list[str]]:
    """The draft with only catalog words and words of the request kept, and what was dropped."""
    dropped: list[str] = []
    words = text.lower()
    attributes, lost = _attributes(draft.attributes, vocabulary.attributes)
    excluded, lost_excluded = _attributes(draft.excluded_attributes, vocabulary.attributes)
    dropped += lost + lost_excluded
    update = {
        "category": _one(draft.category, vocabulary.categories, dropped),
        "brands": _known(draft.brands, vocabulary.brands, dropped),
        "excluded_brands": _known(draft.excluded_brands, vocabulary.brands, dropped),
        "tags": _known(draft.tags, vocabulary.tags, dropped),
        "excluded_tags": _known(draft.excluded_tags, vocabulary.tags, dropped),
        "attributes": attributes,
        "excluded_attributes": excluded,
        "pickup_location": _location(draft.pickup_location, vocabulary.locations, words, dropped),
        "avoid": [term for term in draft.avoid if _said(term, words, dropped)],
        "occasion": draft.occasion if _said(draft.occasion, words, dropped) else None,
        "recipient": draft.recipient if _said(draft.recipient, words, dropped) else None,
    }
    return draft.model_copy(update=update), dropped


def _canonical(names: Iterable[str]) -> dict[str, str]:
    return {name.lower(): name for name in names}


def _one(value: str | None, known: Mapping[str, object], dropped: list[str]) -> str | None:
    if value is None:
        return None
    found = _canonical(known).get(value.strip().strip("/").lower())
    if found is None:
        dropped.append(value)
    return found


def _known(values: list[str], known: Mapping[str, object], dropped: list[str]) -> list[str]:
    names = _canonical(known)
    kept: list[str] = []
    for value in values:
        found = names.get(value.strip().lower())
        if found is None:
            dropped.append(value)
        elif found not in kept:
            kept.append(found)
    return kept


def _attributes(
    values: dict[str, list[AttributeValue]], known: Mapping[str, AttributeStats]
) -> tuple[dict[str, list[AttributeValue]], list[str]]:
    keys = _canonical(known)
    kept: dict[str, list[AttributeValue]] = {}
    dropped: list[str] = []
    for key, options in values.items():
        canonical = keys.get(key.strip().lower())
        if canonical is None:
            dropped.append(key)
            continue
        for option in options:
            value = _attribute_value(option, known[canonical])
            if value is None:
                dropped.append(f"{key}={option}")
            elif value not in kept.setdefault(canonical, []):
                kept[canonical].append(value)
    return {k: v for k, v in kept.items() if v}, dropped


def _attribute_value(value: AttributeValue, stats: AttributeStats) -> AttributeValue | None:
    if isinstance(value, bool):
        present = stats.true_count if value else stats.false_count
        return value if present else None
    if isinstance(value, int | float):
        number = int(value) if float(value).is_integer() else value
        return number if str(number) in stats.numbers else None
    return _canonical(stats.text).get(value.strip().lower())


def _location(
    value: str | None, locations: Mapping[str, str], text: str, dropped: list[str]
) -> str | None:
    """A pickup location the request names (by id or name), as its id."""
    if value is None:
        return None
    wanted = value.strip().lower()
    for location_id, name in locations.items():
        if wanted in (location_id.lower(), name.lower()) and (
            location_id.lower() in text or name.lower() in text
        ):
            return location_id
    dropped.append(value)
    return None


def _said(term: str | None, text: str, dropped: list[str]) -> bool:
    """Whether every word of `term` occurs in the request."""
    if term is None:
        return False
    said = bool(term.strip()) and all(word in text for word in term.lower().split())
    if not said:
        dropped.append(term)
    return said

"""Zero-party preferences: what a shopper told the store, read from and proposed for the store.

Stored in `shoppers.preferences` as JSON with these keys (all optional): `categories`,
`brands`, `sizes` (lists of text), `avoid` (list of {"key", "value"} attribute values),
`budget` ("value", "mid" or "premium"), `preferred_channel`, `preferred_hour` (local 0-23).
Unknown keys are kept as they are. Recording a preference here only proposes the change:
the executor applies it once the policy checker approves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.profiles.exceptions import InvalidPreferenceError
from tools.profiles.items import Scalar

Budget = Literal["value", "mid", "premium"]
ListKey = Literal["categories", "brands", "sizes", "avoid"]
PreferenceKey = Literal[
    "categories", "brands", "sizes", "avoid", "budget", "preferred_channel", "preferred_hour"
]
Op = Literal["add", "remove", "set", "clear"]
CHANNELS = ("email", "sms", "push", "chat")
BUDGET_SENSITIVITY: dict[str, float] = {"value": 0.8, "mid": 0.5, "premium": 0.2}


class AttributeValue(BaseModel):
    """An attribute value, such as {"key": "fragrance_free", "value": true}."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(min_length=1, max_length=64)
    value: Scalar


class StatedPreferences(BaseModel):
    """The zero-party preferences of a shopper, typed."""

    model_config = ConfigDict(frozen=True)

    categories: tuple[str, ...] = Field(default=(), description="Departments they shop for")
    brands: tuple[str, ...] = Field(default=(), description="Brands they like")
    sizes: tuple[str, ...] = Field(default=(), description="Their sizes")
    avoid: tuple[AttributeValue, ...] = Field(default=(), description="Attribute values to avoid")
    budget: Budget | None = Field(default=None, description="value, mid or premium")
    preferred_channel: str | None = Field(default=None, description="email, sms, push or chat")
    preferred_hour: int | None = Field(default=None, description="Preferred local hour, 0-23")

    def is_empty(self) -> bool:
        """Whether the shopper stated nothing."""
        return self == StatedPreferences()

    def to_store(self) -> dict[str, Any]:
        """The JSON kept in `shoppers.preferences` (empty keys left out)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _texts(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(dict.fromkeys(str(v) for v in raw if isinstance(v, str | int) and str(v)))


def _avoid(raw: Any) -> tuple[AttributeValue, ...]:
    if not isinstance(raw, list):
        return ()
    found: list[AttributeValue] = []
    for entry in raw:
        if isinstance(entry, Mapping) and isinstance(entry.get("key"), str):
            value = entry.get("value")
            if isinstance(value, str | int | float | bool) and entry["key"]:
                found.append(AttributeValue(key=entry["key"], value=value))
    return tuple(dict.fromkeys(found))


def parse_preferences(raw: Mapping[str, Any] | None) -> StatedPreferences:
    """Typed preferences from the stored JSON; malformed entries are skipped, never fatal."""
    raw = raw or {}
    budget = raw.get("budget")
    channel = raw.get("preferred_channel")
    hour = raw.get("preferred_hour")
    return StatedPreferences(
        categories=_texts(raw.get("categories")),
        brands=_texts(raw.get("brands")),
        sizes=_texts(raw.get("sizes")),
        avoid=_avoid(raw.get("avoid")),
        budget=budget if budget in BUDGET_SENSITIVITY else None,
        preferred_channel=channel if channel in CHANNELS else None,
        preferred_hour=hour if isinstance(hour, int) and 0 <= hour <= 23 else None,
    )


class PreferenceChange(BaseModel):
    """One change a shopper stated: add to, remove from, set or clear one preference."""

    key: PreferenceKey
    op: Op = "add"
    value: Scalar | AttributeValue | None = Field(
        default=None, description="Text, number, flag or {key, value} for avoid; none for clear"
    )


class PreferenceProposal(BaseModel):
    """A proposed update of a shopper's zero-party preferences; nothing is written."""

    shopper_id: str
    changes: dict[str, Any] = Field(
        description="Keys to set in shoppers.preferences (None removes a key)"
    )
    before: StatedPreferences
    after: StatedPreferences
    summary: str = Field(description="The change in words")
    action_kind: Literal["update_preferences"] = "update_preferences"


class Vocabulary(BaseModel):
    """What preference values may name: the catalog's departments and brands."""

    categories: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()


def _check_value(change: PreferenceChange, vocabulary: Vocabulary) -> Any:
    key, value = change.key, change.value
    if change.op == "clear":
        return None
    if value is None:
        raise InvalidPreferenceError(key, f"{change.op} needs a value")
    if key == "avoid":
        if not isinstance(value, AttributeValue):
            raise InvalidPreferenceError(key, 'avoid takes {"key": ..., "value": ...}')
        return value
    if isinstance(value, AttributeValue):
        raise InvalidPreferenceError(key, "takes a plain value, not {key, value}")
    return _check_scalar(key, value, vocabulary)


def _check_scalar(key: str, value: Scalar, vocabulary: Vocabulary) -> Any:
    allowed: Collection[str] | None = {
        "categories": vocabulary.categories,
        "brands": vocabulary.brands,
        "budget": tuple(BUDGET_SENSITIVITY),
        "preferred_channel": CHANNELS,
    }.get(key)
    if key == "preferred_hour":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 23:
            raise InvalidPreferenceError(key, f"must be a local hour 0-23, got {value!r}")
        return value
    text = str(value).strip()
    if not text:
        raise InvalidPreferenceError(key, "must not be empty")
    if allowed and text not in allowed:
        raise InvalidPreferenceError(key, f"unknown value {text!r}")
    return text


def _apply(current: StatedPreferences, change: PreferenceChange, value: Any) -> StatedPreferences:
    key = change.key
    if key in ("budget", "preferred_channel", "preferred_hour"):
        if change.op in ("add", "set"):
            return current.model_copy(update={key: value})
        unset = change.op == "clear" or getattr(current, key) == value
        return current.model_copy(update={key: None}) if unset else current
    values: tuple[Any, ...] = getattr(current, key)
    if change.op == "clear":
        values = ()
    elif change.op == "set":
        values = (value,)
    elif change.op == "add":
        values = tuple(dict.fromkeys((*values, value)))
    else:
        values = tuple(v for v in values if v != value)
    return current.model_copy(update={key: values})


def propose_preference_change(
    *,
    shopper_id: str,
    stored: Mapping[str, Any] | None,
    changes: list[PreferenceChange],
    vocabulary: Vocabulary,
) -> PreferenceProposal:
    """The update that would record the stated changes (validated), with before and after."""
    if not changes:
        raise InvalidPreferenceError("changes", "give at least one change")
    before = parse_preferences(stored)
    after = before
    for change in changes:
        after = _apply(after, change, _check_value(change, vocabulary))
    old, new = before.to_store(), after.to_store()
    diff = {k: new.get(k) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
    summary = "; ".join(f"{k}: {old.get(k)!r} → {new.get(k)!r}" for k in diff) or "no change"
    return PreferenceProposal(
        shopper_id=shopper_id, changes=diff, before=before, after=after, summary=summary
    )

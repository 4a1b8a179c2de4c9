"""Merge an LLM's reading of a request into the deterministic parser's, never loosening it.

The parser's intent is the floor: every constraint it found stays as it found it. The LLM may add
constraints the parser missed (a category, brands, attribute values, exclusions, a budget stated
in numbers, fulfilment); where it says something that would loosen one the parser found (a higher
budget, a broader or other category, more brands or values, a later date, another pickup place)
or contradicts itself or the parser (wants what is excluded), the whole reading is rejected.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from orchestrator.llm.exceptions import IntentRejectedError
from orchestrator.llm.intent_draft import IntentDraft
from tools.query import AttributeValue, Budget, Exclusion, Fulfilment, Quantity, ShopperIntent
from tools.query.numbers import WORD_NUMBER

_STATED_NUMBER = re.compile(rf"\d|{WORD_NUMBER}", re.IGNORECASE)
LLM_NOTE = "read with the language model"


def merge_intent(draft: IntentDraft, *, base: ShopperIntent, today: date) -> ShopperIntent:
    """The parser's intent with the draft's additions; `IntentRejectedError` if it loosens."""
    _refuse_contradictions(draft, base)
    update: dict[str, Any] = {
        "category": _category(draft.category, base.category),
        "attributes": _values(draft.attributes, base.attributes),
        "excluded_attributes": _union_values(base.excluded_attributes, draft.excluded_attributes),
        "brands": _subset("brands", draft.brands, base.brands),
        "excluded_brands": _union(base.excluded_brands, draft.excluded_brands),
        "tags": _subset("tags", draft.tags, base.tags),
        "excluded_tags": _union(base.excluded_tags, draft.excluded_tags),
        "exclusions": _exclusions(draft.avoid, base.exclusions),
        "budget": _budget(draft, base),
        "fulfilment": _fulfilment(draft, base.fulfilment, today),
        "gift": base.gift or draft.gift,
        "occasion": base.occasion or draft.occasion,
        "recipient": base.recipient or draft.recipient,
        "quantity": base.quantity or (Quantity(count=draft.quantity) if draft.quantity else None),
        "sort": base.sort or draft.sort,
    }
    added = [slot for slot, value in update.items() if value != getattr(base, slot)]
    notes = [*base.notes, f"{LLM_NOTE}: added {', '.join(added)}"] if added else base.notes
    merged = {**base.model_dump(), **_dumped(update), "notes": notes}
    return ShopperIntent.model_validate(merged)


def _dumped(update: dict[str, Any]) -> dict[str, Any]:
    return {k: v.model_dump() if hasattr(v, "model_dump") else v for k, v in update.items()}


def _refuse_contradictions(draft: IntentDraft, base: ShopperIntent) -> None:
    wanted = {*_pairs(draft.attributes), *_pairs(base.attributes)}
    unwanted = {*_pairs(draft.excluded_attributes), *_pairs(base.excluded_attributes)}
    brands = {*draft.brands, *base.brands} & {*draft.excluded_brands, *base.excluded_brands}
    tags = {*draft.tags, *base.tags} & {*draft.excluded_tags, *base.excluded_tags}
    if wanted & unwanted or brands or tags:
        raise IntentRejectedError("wants what the request excludes")


def _pairs(values: dict[str, list[AttributeValue]]) -> set[tuple[str, str]]:
    return {(key, str(v).lower()) for key, options in values.items() for v in options}


def _category(drafted: str | None, found: str | None) -> str | None:
    if found is None or drafted is None or drafted == found:
        return found or drafted
    if drafted.startswith(found + "/"):
        return drafted
    raise IntentRejectedError(f"category {drafted!r} is not within {found!r}")


def _values(
    drafted: dict[str, list[AttributeValue]], found: dict[str, list[AttributeValue]]
) -> dict[str, list[AttributeValue]]:
    merged = {key: list(values) for key, values in found.items()}
    for key, values in drafted.items():
        if key in found:
            _subset(f"attribute {key}", values, found[key])
        else:
            merged[key] = list(values)
    return merged


def _union_values(
    found: dict[str, list[AttributeValue]], drafted: dict[str, list[AttributeValue]]
) -> dict[str, list[AttributeValue]]:
    merged = {key: list(values) for key, values in found.items()}
    for key, values in drafted.items():
        merged[key] = _union(merged.get(key, []), values)
    return merged


def _subset(slot: str, drafted: list[Any], found: list[Any]) -> list[Any]:
    """The parser's values, else the draft's; a draft naming more than the parser is refused."""
    if not found:
        return list(drafted)
    if not {str(v).lower() for v in drafted} <= {str(v).lower() for v in found}:
        raise IntentRejectedError(f"{slot}: would allow more than the request names")
    return list(found)


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    return [*first, *(v for v in second if v not in first)]


def _exclusions(avoid: list[str], found: list[Exclusion]) -> list[Exclusion]:
    """The parser's exclusions and the draft's other ones ("parabens" repeats "paraben")."""
    added: list[Exclusion] = []
    for term in avoid:
        lowered = term.lower()
        if not any(e.term in lowered or lowered in e.phrase.lower() for e in [*found, *added]):
            added.append(Exclusion(term=lowered, phrase=term, cue="avoid"))
    return [*found, *added]


def _budget(draft: IntentDraft, base: ShopperIntent) -> Budget | None:
    low = None if draft.min_price is None else round(draft.min_price * 100)
    high = None if draft.max_price is None else round(draft.max_price * 100)
    if low is not None and high is not None and low > high:
        raise IntentRejectedError("budget: minimum above maximum")
    found = base.budget
    if found is None:
        if (low is None and high is None) or not _STATED_NUMBER.search(base.text):
            return None
        return Budget(min_cents=low, max_cents=high, source="explicit")
    if found.max_cents is not None and high is not None and high > found.max_cents:
        raise IntentRejectedError("budget: the maximum would rise")
    if found.min_cents is not None and low is not None and low < found.min_cents:
        raise IntentRejectedError("budget: the minimum would fall")
    return found


def _fulfilment(draft: IntentDraft, found: Fulfilment | None, today: date) -> Fulfilment | None:
    need_by = draft.need_by if draft.need_by and draft.need_by >= today else None
    if found is None:
        if not (draft.fulfilment or need_by or draft.same_day or draft.pickup_location):
            return None
        return Fulfilment(
            method=draft.fulfilment,
            need_by=need_by,
            same_day=draft.same_day,
            location_id=draft.pickup_location,
        )
    _same_or_none("fulfilment method", draft.fulfilment, found.method)
    _same_or_none("pickup location", draft.pickup_location, found.location_id)
    if found.need_by and need_by and need_by > found.need_by:
        raise IntentRejectedError("fulfilment: a later date than the request names")
    return Fulfilment(
        method=found.method or draft.fulfilment,
        need_by=found.need_by or need_by,
        same_day=found.same_day or draft.same_day,
        location_id=found.location_id or draft.pickup_location,
    )


def _same_or_none(slot: str, drafted: str | None, found: str | None) -> None:
    if drafted is not None and found is not None and drafted != found:
        raise IntentRejectedError(f"{slot}: {drafted!r} where the request says {found!r}")

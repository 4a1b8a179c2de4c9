"""From a parsed shopper request to what the search engine runs: query text and hard filters."""

from __future__ import annotations

from tools.query.intent import ShopperIntent
from tools.search.filters import AttributeCondition, AttributeValue, SearchFilters


def _conditions(values: dict[str, list[AttributeValue]]) -> dict[str, AttributeCondition]:
    conditions: dict[str, AttributeCondition] = {}
    for key, options in sorted(values.items()):
        if options:
            conditions[key] = options[0] if len(options) == 1 else list(options)
    return conditions


def filters_for(intent: ShopperIntent, *, exclude_skus: list[str] | None = None) -> SearchFilters:
    """The hard filters a request implies: category, budget, attributes, exclusions, fulfilment."""
    budget = intent.budget
    fulfilment = intent.fulfilment
    low = budget.min_cents if budget else None
    high = budget.max_cents if budget else None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return SearchFilters(
        category=intent.category,
        min_price_cents=low,
        max_price_cents=high,
        attributes=_conditions(intent.attributes),
        exclude_attributes=_conditions(intent.excluded_attributes),
        exclude_terms=sorted({e.term for e in intent.exclusions if e.term}),
        brands=list(intent.brands),
        exclude_brands=list(intent.excluded_brands),
        in_stock_at=fulfilment.location_id if fulfilment else None,
        same_day_pickup=bool(fulfilment and fulfilment.same_day),
        exclude_skus=sorted(exclude_skus or []),
    )


def query_for(intent: ShopperIntent) -> str:
    """The words to rank by: the product words of the request (catalog terms included)."""
    return (intent.search_text or intent.query).strip()

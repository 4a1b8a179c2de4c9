"""The registered modifications a `modify` rule may apply; each returns a repaired action."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from policies import derive
from policies.actions import (
    HoldInventory,
    QuoteOffer,
    RecommendedItem,
    SendMessage,
    ShowRecommendations,
)
from policies.actions.base import ActionBase
from policies.views import View

Modifier = Callable[[Any, View], ActionBase]


def _rebuild(action: ActionBase, **changes: Any) -> ActionBase:
    """A validated copy of an action with some fields changed."""
    data = action.model_dump()
    data.update(changes)
    return type(action).model_validate(data)


def raise_price_to_floor(action: QuoteOffer, view: View) -> ActionBase:
    """Raise a quoted price to the floor: max(unit cost * (1 + floor margin), MAP)."""
    floor = view.variables["d"]["floor_cents"]
    return _rebuild(action, price_cents=max(action.price_cents, floor))


def limit_discount_depth(action: QuoteOffer, view: View) -> ActionBase:
    """Raise a quoted price so that its discount is no deeper than its category allows."""
    product = view.context.products[action.sku]
    depth = derive.max_discount_pct(product.category, view.params.pricing)
    lowest = derive.min_price_for_depth(product.list_price_cents, depth)
    return _rebuild(action, price_cents=max(action.price_cents, lowest))


def reference_price_to_30d_low(action: QuoteOffer, view: View) -> ActionBase:
    """Show the 30-day lowest price as the 'was' price, or none if it is unknown or not higher."""
    lowest = view.context.products[action.sku].lowest_price_30d_cents
    keep = lowest is not None and lowest > action.price_cents
    return _rebuild(action, was_price_cents=lowest if keep else None)


def attach_price_disclosure(action: QuoteOffer, view: View) -> ActionBase:
    """Attach the algorithmic-pricing disclosure to a personalised price."""
    return _rebuild(action, disclosure=view.params.pricing.disclosure_text)


def defer_to_send_window(action: SendMessage, view: View) -> ActionBase:
    """Move a send to the next opening of the recipient's local send window."""
    shopper = view.context.shopper
    assert shopper is not None
    when = action.send_at or view.context.now
    window = view.params.messaging.quiet_hours
    return _rebuild(action, send_at=derive.next_window_start(when, shopper.timezone, window))


def _keep_items(action: ShowRecommendations, keep: Callable[[RecommendedItem], bool]) -> ActionBase:
    return _rebuild(action, items=[i.model_dump() for i in action.items if keep(i)])


def drop_out_of_stock(action: ShowRecommendations, view: View) -> ActionBase:
    """Remove items with no sellable units."""
    products = view.context.products
    return _keep_items(action, lambda i: products[i.sku].available_units > 0)


def drop_age_restricted(action: ShowRecommendations, view: View) -> ActionBase:
    """Remove age-restricted items (the shopper's age is not verified)."""
    products = view.context.products
    return _keep_items(action, lambda i: not products[i.sku].age_restricted)


def drop_regulated(action: ShowRecommendations, view: View) -> ActionBase:
    """Remove regulated items (not allowed on this surface)."""
    products = view.context.products
    return _keep_items(action, lambda i: not products[i.sku].regulated)


def label_sponsored(action: ShowRecommendations, view: View) -> ActionBase:
    """Label every sponsored item as such."""
    label = view.params.recommendations.sponsored_label
    items = [i.model_copy(update={"label": label}) if i.sponsored else i for i in action.items]
    return _rebuild(action, items=[i.model_dump() for i in items])


def cap_brands(action: ShowRecommendations, view: View) -> ActionBase:
    """Keep at most `max_per_brand` items of any brand, the highest-ranked ones."""
    cap = view.params.recommendations.max_per_brand
    products = view.context.products
    seen: Counter[str] = Counter()
    kept: list[RecommendedItem] = []
    for item in action.items:
        seen[products[item.sku].brand] += 1
        if seen[products[item.sku].brand] <= cap:
            kept.append(item)
    return _rebuild(action, items=[i.model_dump() for i in kept])


def clamp_hold_duration(action: HoldInventory, view: View) -> ActionBase:
    """Shorten a hold to the longest allowed."""
    return _rebuild(action, hold_minutes=view.params.shopping.max_hold_minutes)


MODIFIERS: dict[str, Modifier] = {
    f.__name__: f
    for f in (
        raise_price_to_floor,
        limit_discount_depth,
        reference_price_to_30d_low,
        attach_price_disclosure,
        defer_to_send_window,
        drop_out_of_stock,
        drop_age_restricted,
        drop_regulated,
        label_sponsored,
        cap_brands,
        clamp_hold_duration,
    )
}
"""Modifiers by the name a rule gives in its `modify` field."""

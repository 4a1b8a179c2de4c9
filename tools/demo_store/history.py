"""A shopper's event history and orders, generated session by session from their tastes.

In a session the shopper may search, views a few items of the session's category (drawn by
taste times item popularity), and, with their buy propensity, puts the best of them in the
cart; most carts are bought, some abandoned, some items removed. Consumables are sometimes
re-bought. Returns are likelier for items that carry something the shopper dislikes.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tools.demo_store.items import ItemPool, ItemView
from tools.demo_store.sessions import SessionPlan
from tools.demo_store.stock import STORES, WAREHOUSE_ID
from tools.demo_store.tastes import Taste, dislikes_item, pool_weights
from tools.demo_store.taxonomy import Taxonomy
from tools.demo_store.text import search_phrase
from tools.store.vocab import EventKind, OrderStatus

SEARCH_SHARE = 0.5
ABANDON_SHARE = 0.25
SECOND_ITEM_SHARE = 0.2
REMOVE_SHARE = 0.4
PICKUP_SHARE = 0.25
DISLIKE_RETURN_BOOST = 0.25
MULTI_UNIT_CATEGORIES = frozenset({"grocery", "pet", "health"})
PICKUP_STORES = frozenset(str(s["id"]) for s in STORES if s["same_day_pickup"])

Picked = tuple[ItemView, float]
CartLine = tuple[ItemView, int]


@dataclass
class History:
    """Rows for one shopper: events (in time order), orders and order lines."""

    events: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Shopper:
    """One shopper's run through their sessions."""

    rng: random.Random
    index: int
    taste: Taste
    pool: ItemPool
    taxonomy: Taxonomy
    as_of: datetime
    history: History = field(default_factory=History)
    bought: dict[str, list[ItemView]] = field(default_factory=dict)
    _weights: dict[str, tuple[list[ItemView], list[float], list[float]]] = field(
        default_factory=dict
    )
    plan: SessionPlan | None = None
    session_id: str = ""
    clock: datetime = datetime.min

    def tick(self) -> datetime:
        """Advance the session clock by a believable pause."""
        self.clock += timedelta(seconds=self.rng.randint(15, 240))
        return self.clock

    def event(
        self, kind: EventKind, at: datetime, item: ItemView | None = None, **extra: Any
    ) -> None:
        """Record one event of the current session."""
        assert self.plan is not None
        self.history.events.append(
            {
                "shopper_id": self.taste.shopper_id,
                "session_id": extra.get("session", self.session_id),
                "kind": kind.value,
                "sku": item.sku if item else None,
                "query": extra.get("query"),
                "quantity": extra.get("quantity", 1),
                "price_cents": extra.get("price", item.price_at(at) if item else None),
                "channel": self.plan.channel,
                "device": self.plan.device,
                "occurred_at": at,
            }
        )

    def weights(self, category: str) -> tuple[list[ItemView], list[float], list[float]]:
        """The category's items, their weights for this shopper, and the running sums."""
        if category not in self._weights:
            index = self.pool.index(self.taxonomy.spec(category))
            weights = pool_weights(self.taste, index)
            self._weights[category] = (index.items, weights, list(itertools.accumulate(weights)))
        return self._weights[category]


def simulate_history(
    rng: random.Random,
    *,
    index: int,
    taste: Taste,
    plans: list[SessionPlan],
    pool: ItemPool,
    taxonomy: Taxonomy,
    as_of: datetime,
) -> History:
    """Every event, order and order line of one shopper, events in time order."""
    run = _Shopper(rng, index, taste, pool, taxonomy, as_of)
    for n, plan in enumerate(plans):
        run.plan, run.session_id, run.clock = plan, f"{taste.shopper_id}-s{n:03d}", plan.start
        viewed = _browse(run, plan)
        cart = _fill_cart(run, plan, viewed)
        if cart and rng.random() >= ABANDON_SHARE:
            _purchase(run, plan, cart)
    run.history.events.sort(key=lambda e: e["occurred_at"])
    return run.history


def _browse(run: _Shopper, plan: SessionPlan) -> list[Picked]:
    items, weights, cumulative = run.weights(plan.category)
    if not items:
        return []
    picks = run.rng.choices(range(len(items)), cum_weights=cumulative, k=run.rng.randint(1, 6))
    day = plan.start.date()
    launched = [
        (items[i], weights[i])
        for i in dict.fromkeys(picks)
        if (launch := items[i].launch_date) is None or launch <= day
    ]
    if launched and run.rng.random() < SEARCH_SHARE:
        first = launched[0][0]
        spec = run.taxonomy.spec(first.category)
        query = search_phrase(
            run.rng,
            spec=spec,
            leaf=spec.leaf(first.leaf),
            brand=first.brand,
            attributes=first.attributes,
        )
        run.event(EventKind.SEARCH, run.tick(), query=query)
    for item, _ in launched:
        run.event(EventKind.VIEW, run.tick(), item)
    return launched


def _fill_cart(run: _Shopper, plan: SessionPlan, viewed: list[Picked]) -> list[CartLine]:
    if not viewed or run.rng.random() >= _intent(run, viewed[0][0]):
        return []
    rng = run.rng
    earlier = run.bought.get(plan.category, [])
    spec = run.taxonomy.spec(plan.category)
    if earlier and rng.random() < spec.repurchase:
        chosen = [rng.choice(earlier)]
        run.event(EventKind.VIEW, run.tick(), chosen[0])
    else:
        chosen = [viewed[_best(rng, viewed)][0]]
    rest = [v for v in viewed if v[0].sku != chosen[0].sku]
    if rest and rng.random() < SECOND_ITEM_SHARE:
        chosen.append(rest[_best(rng, rest)][0])
    cart = [(item, _quantity(rng, item)) for item in chosen]
    for item, quantity in cart:
        run.event(EventKind.CART_ADD, run.tick(), item, quantity=quantity)
    if len(cart) > 1 and rng.random() < REMOVE_SHARE:
        removed, quantity = cart.pop()
        run.event(EventKind.CART_REMOVE, run.tick(), removed, quantity=quantity)
    return cart


def _intent(run: _Shopper, item: ItemView) -> float:
    """Buy propensity, raised for price-sensitive shoppers when the item is on sale."""
    regular = item.prices[0][1] if item.prices else item.price_cents
    discount = max(0.0, 1.0 - item.price_at(run.clock) / regular) if regular else 0.0
    return min(
        0.95, run.taste.buy_propensity * (1.0 + 4.0 * run.taste.price_sensitivity * discount)
    )


def _best(rng: random.Random, options: list[Picked]) -> int:
    """The option the shopper settles on: drawn by squared weight, so the best usually wins."""
    return rng.choices(range(len(options)), weights=[w * w for _, w in options])[0]


def _quantity(rng: random.Random, item: ItemView) -> int:
    if item.category.split("/")[0] in MULTI_UNIT_CATEGORIES and rng.random() < 0.2:
        return rng.randint(2, 3)
    return 1


def _fulfilment(run: _Shopper, plan: SessionPlan) -> tuple[str, str]:
    home = run.taste.home_location
    if plan.channel == "store" and home is not None:
        return "in_store", home
    if home in PICKUP_STORES and run.rng.random() < PICKUP_SHARE:
        return "pickup", str(home)
    return "ship", WAREHOUSE_ID


def _purchase(run: _Shopper, plan: SessionPlan, cart: list[CartLine]) -> None:
    """Buy the cart: purchase events, an order with its lines, and any later returns."""
    order_id = f"order-{run.index:06d}-{len(run.history.orders):03d}"
    at = run.tick()
    fulfilment, location = _fulfilment(run, plan)
    returned: list[str] = []
    total = 0
    for line_no, (item, quantity) in enumerate(cart, start=1):
        price = item.price_at(at)
        total += price * quantity
        run.event(EventKind.PURCHASE, at, item, quantity=quantity, price=price)
        run.history.lines.append(
            {
                "order_id": order_id,
                "line_no": line_no,
                "sku": item.sku,
                "quantity": quantity,
                "unit_price_cents": price,
            }
        )
        run.bought.setdefault(item.spec_path, []).append(item)
        if _return(run, item, at=at, quantity=quantity, price=price, order_id=order_id):
            returned.append(item.sku)
    details: dict[str, Any] = {
        "channel": plan.channel,
        "device": plan.device,
        "fulfilment": fulfilment,
        "session_id": run.session_id,
    }
    if returned and len(returned) < len(cart):
        details["returned_skus"] = returned
    run.history.orders.append(
        {
            "id": order_id,
            "shopper_id": run.taste.shopper_id,
            "status": _status(run, at, all_returned=len(returned) == len(cart)),
            "created_at": at,
            "total_cents": total,
            "location_id": location,
            "details": details,
        }
    )


def _return(
    run: _Shopper, item: ItemView, *, at: datetime, quantity: int, price: int, order_id: str
) -> bool:
    """Maybe send an item back a few days later; returns whether it was returned."""
    rng = run.rng
    chance = run.taxonomy.spec(item.category).return_rate
    if dislikes_item(run.taste, item):
        chance += DISLIKE_RETURN_BOOST
    if rng.random() >= chance:
        return False
    back = at + timedelta(days=rng.randint(3, 30), minutes=rng.randrange(24 * 60))
    if back >= run.as_of:
        return False
    run.event(
        EventKind.RETURN, back, item, quantity=quantity, price=price, session=f"{order_id}-return"
    )
    return True


def _status(run: _Shopper, at: datetime, *, all_returned: bool) -> str:
    if all_returned:
        return OrderStatus.RETURNED.value
    age = run.as_of - at
    if age < timedelta(hours=6):
        return OrderStatus.PENDING.value
    if age < timedelta(days=3):
        return OrderStatus.PROCESSED.value
    return OrderStatus.DELIVERED.value

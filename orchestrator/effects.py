"""What applying each kind of approved action writes, inside the executor's transaction.

Only `orchestrator.executor` calls these. Each returns (status, result): `applied`, or `waiting`
for a back-in-stock message whose products are still out of stock (it leaves once they are back).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from orchestrator.state import ExecutionStatus
from policies.actions import (
    ActionBase,
    ChangeListPrice,
    CreatePromotion,
    HoldInventory,
    MerchRuleChange,
    QuoteOffer,
    SendMessage,
    ShowRecommendations,
    UpdatePreferences,
)
from tools.inventory import HoldProposal, apply_hold
from tools.messaging import MessageProposal, enqueue, message_frequency
from tools.pricing import Quote, record_quote
from tools.store import InventoryLevel, MerchRule, PriceHistory, Product, Promotion, Shopper
from tools.store.holds import Hold
from tools.store.vocab import Channel

Result = tuple[ExecutionStatus, dict[str, Any]]
QUOTE_TTL = timedelta(minutes=30)


class Applying:
    """The arguments every applier gets."""

    def __init__(
        self, session: Session, *, key: str, decision_id: str, actor: str, now: datetime
    ) -> None:
        self.session = session
        self.key = key
        self.decision_id = decision_id
        self.actor = actor
        self.now = now

    def row_id(self, prefix: str) -> str:
        """A stable id for a row this execution creates."""
        return f"{prefix}-" + hashlib.sha256(self.key.encode()).hexdigest()[:24]


def show(e: Applying, a: ShowRecommendations, skus: tuple[str, ...]) -> Result:
    """Showing products changes nothing; the execution row records what was shown."""
    return "applied", {"skus": [item.sku for item in a.items]}


def quote(e: Applying, a: QuoteOffer, skus: tuple[str, ...]) -> Result:
    """Record the quote in the offers table; it is honoured until it expires."""
    product = e.session.get(Product, a.sku)
    list_price = product.list_price_cents if product else a.price_cents
    off = (
        round((list_price - a.price_cents) * 100 / list_price) if list_price > a.price_cents else 0
    )
    draft = Quote(
        id="",
        shopper_id=a.shopper_id,
        sku=a.sku,
        quantity=1,
        offer=a.offer,
        discount_pct=max(0, min(100, off)),
        list_price_cents=list_price,
        price_cents=a.price_cents,
        free_shipping=a.offer == "free_shipping",
        created_at=e.now,
        expires_at=a.expires_at or e.now + QUOTE_TTL,
        decision_id=e.decision_id,
    )
    offer = record_quote(
        session=e.session, quote=draft.model_copy(update={"id": draft.content_id()})
    )
    return "applied", {"offer_id": offer.id, "price_cents": a.price_cents}


def hold(e: Applying, a: HoldInventory, skus: tuple[str, ...]) -> Result:
    """Reserve the units for pickup (refused if they were taken meanwhile)."""
    proposal = HoldProposal(
        idempotency_key=e.key,
        sku=a.sku,
        location_id=a.location_id,
        quantity=a.quantity,
        shopper_id=a.shopper_id,
        ttl_seconds=a.hold_minutes * 60,
        available=a.quantity,
        planned_at=e.now,
    )
    placed = apply_hold(e.session, proposal, e.now)
    return "applied", {"hold_id": placed.id, "expires_at": placed.expires_at.isoformat()}


def message(e: Applying, a: SendMessage, skus: tuple[str, ...]) -> Result:
    """Queue the message in the outbox; a back-in-stock message waits for its products."""
    if a.purpose == "back_in_stock" and skus and not in_stock(e.session, skus, e.now):
        return "waiting", {"skus": list(skus), "action": a.payload()}
    return "applied", queue_message(e, a, skus)


def queue_message(e: Applying, a: SendMessage, skus: tuple[str, ...]) -> dict[str, Any]:
    """Put an approved message in the outbox under the execution's key."""
    shopper = e.session.get(Shopper, a.shopper_id)
    timezone = shopper.timezone if shopper else "UTC"
    send_after = max(a.send_at or e.now, e.now)
    frequency = message_frequency(e.session, shopper_id=a.shopper_id, now=e.now)
    proposal = MessageProposal(
        shopper_id=a.shopper_id,
        channel=Channel(a.channel),
        template=a.purpose,
        subject=a.subject,
        body=a.body,
        send_after=send_after,
        send_after_local=send_after,
        timezone=timezone,
        skus=list(skus),
        frequency=frequency,
        reasons=["approved"],
    )
    row = enqueue(e.session, proposal, e.key, e.now, decision_id=e.decision_id)
    return {"outbox_id": row.id, "channel": row.channel, "send_after": row.send_after.isoformat()}


def in_stock(session: Session, skus: tuple[str, ...], now: datetime) -> bool:
    """Whether every one of `skus` has a unit available somewhere (on hand, less reserved, held)."""
    free = select(InventoryLevel.sku, func.sum(InventoryLevel.on_hand - InventoryLevel.reserved))
    levels = dict(
        session.exec(
            free.where(col(InventoryLevel.sku).in_(skus)).group_by(col(InventoryLevel.sku))
        ).all()
    )
    held = select(Hold.sku, func.sum(Hold.quantity)).where(
        col(Hold.sku).in_(skus), col(Hold.released).is_(False), col(Hold.expires_at) > now
    )
    holds = dict(session.exec(held.group_by(col(Hold.sku))).all())
    return all(int(levels.get(s) or 0) - int(holds.get(s) or 0) > 0 for s in skus)


def preferences(e: Applying, a: UpdatePreferences, skus: tuple[str, ...]) -> Result:
    """Record the preferences the shopper stated (a None value removes a key)."""
    shopper = e.session.get(Shopper, a.shopper_id)
    if shopper is None:
        raise LookupError(f"no shopper {a.shopper_id}")
    merged = {**shopper.preferences, **a.changes}
    shopper.preferences = {k: v for k, v in merged.items() if v is not None}
    e.session.add(shopper)
    return "applied", {"keys": sorted(a.changes)}


def merch_rule(e: Applying, a: MerchRuleChange, skus: tuple[str, ...]) -> Result:
    """Create the merchandising rule; rankings apply it while it is active."""
    scope: dict[str, Any] = a.scope.model_dump(mode="json", exclude_none=True)
    if a.query:
        scope["query"] = a.query
    rule = MerchRule(
        id=e.row_id("MR"),
        kind=a.op,
        scope=scope,
        weight=a.weight,
        starts_at=a.starts_at or e.now,
        ends_at=a.ends_at,
        created_by=e.actor,
        decision_id=e.decision_id,
    )
    e.session.add(rule)
    return "applied", {"merch_rule_id": rule.id}


def promotion(e: Applying, a: CreatePromotion, skus: tuple[str, ...]) -> Result:
    """Create the promotion for its window."""
    row = Promotion(
        id=e.row_id("PR"),
        name=a.name,
        discount_pct=a.discount_pct,
        scope=a.scope.model_dump(mode="json", exclude_none=True),
        loyalty_tiers=list(a.loyalty_tiers),
        stackable=a.stackable,
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        created_by=e.actor,
        decision_id=e.decision_id,
    )
    e.session.add(row)
    return "applied", {"promotion_id": row.id}


def list_price(e: Applying, a: ChangeListPrice, skus: tuple[str, ...]) -> Result:
    """Change the list price and keep its history."""
    product = e.session.get(Product, a.sku)
    if product is None:
        raise LookupError(f"no product {a.sku}")
    old = product.list_price_cents
    product.list_price_cents = a.new_price_cents
    e.session.add(product)
    reason = a.note or f"decision {e.decision_id}"
    e.session.add(
        PriceHistory(sku=a.sku, price_cents=a.new_price_cents, effective_at=e.now, reason=reason)
    )
    return "applied", {"old_price_cents": old, "new_price_cents": a.new_price_cents}


Applier = Callable[[Applying, Any, tuple[str, ...]], Result]
APPLIERS: dict[str, Applier] = {
    "show_recommendations": show,
    "quote_offer": quote,
    "hold_inventory": hold,
    "send_message": message,
    "update_preferences": preferences,
    "merch_rule": merch_rule,
    "create_promotion": promotion,
    "change_list_price": list_price,
}


def apply(e: Applying, action: ActionBase, skus: tuple[str, ...]) -> Result:
    """Apply one approved action; a kind without an applier is a programming error."""
    return APPLIERS[action.kind](e, action, skus)

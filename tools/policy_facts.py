"""The facts the policy checker decides on, read from the store for the actions of one turn.

One read per kind of fact, for every product and the shopper the actions name: products with
cost, MAP, 30-day low and stock by location; the shopper's store tier, timezone, consent and what
they were sent or offered in the last 24 hours; the active promotions the actions apply. Facts
only some kinds' rules read (price history, offers and messages sent) are read for those kinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from policies.actions import ActionBase, CartLine, QuoteOffer
from policies.actions.base import Scope
from policies.context import (
    ActorFacts,
    ChannelFacts,
    PolicyContext,
    ProductFacts,
    PromotionFacts,
    PromotionImpact,
    ShopperFacts,
)
from tools.messaging import channel_consents
from tools.store import InventoryLevel, Offer, OutboxMessage, PriceHistory, Product, Promotion
from tools.store import Shopper as ShopperRow
from tools.store.holds import Hold

DAY = timedelta(hours=24)
PRICED = frozenset({"quote_offer", "change_list_price", "create_promotion"})
"""Kinds whose rules read price history (30-day low, changes today)."""
LOW_WINDOW = timedelta(days=30)


def skus_of(action: ActionBase) -> set[str]:
    """Every sku an action names."""
    found: set[str] = set()
    for value in action.__dict__.values():
        if isinstance(value, Scope):
            found.update(value.skus)
        elif isinstance(value, tuple):
            found.update(v.sku for v in value if isinstance(v, CartLine) or hasattr(v, "sku"))
    sku = getattr(action, "sku", None)
    if isinstance(sku, str):
        found.add(sku)
    return found


class PolicyFacts:
    """Reads policy facts from the store (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def context(
        self,
        actions: Sequence[ActionBase],
        *,
        actor: ActorFacts,
        now: datetime,
        impact: PromotionImpact | None = None,
    ) -> PolicyContext:
        """One context that holds the facts every one of `actions` needs."""
        skus = sorted(set().union(*(skus_of(a) for a in actions))) if actions else []
        shoppers = sorted({s for a in actions if (s := a.subject_shopper()) is not None})
        promotion_ids = {p for a in actions if isinstance(a, QuoteOffer) for p in a.promotion_ids}
        kinds = {a.kind for a in actions}
        with Session(self.engine) as session:
            products = _products(session, skus, now, history=bool(kinds & PRICED)) if skus else {}
            shopper = (
                _shopper(session, shoppers[0], now, kinds=kinds) if len(shoppers) == 1 else None
            )
            promotions = _promotions(session, promotion_ids, now) if promotion_ids else {}
        return PolicyContext(
            now=now,
            actor=actor,
            shopper=shopper,
            products=products,
            promotions=promotions,
            promotion_impact=impact,
        )


def _products(
    session: Session, skus: list[str], now: datetime, *, history: bool
) -> dict[str, ProductFacts]:
    columns = [
        col(c)
        for c in (
            Product.sku,
            Product.category,
            Product.brand,
            Product.list_price_cents,
            Product.unit_cost_cents,
            Product.map_cents,
            Product.age_restricted,
            Product.regulated,
        )
    ]
    rows = session.execute(sa_select(*columns).where(col(Product.sku).in_(skus))).all()
    stock = _stock(session, skus, now)
    lows, changes = _price_history(session, skus, now) if history else ({}, {})
    facts: dict[str, ProductFacts] = {}
    for sku, category, brand, price, cost, map_cents, age_restricted, regulated in rows:
        at = stock.get(sku, {})
        facts[sku] = ProductFacts(
            sku=sku,
            category=category,
            brand=brand,
            list_price_cents=price,
            unit_cost_cents=cost,
            map_cents=map_cents,
            lowest_price_30d_cents=min(lows.get(sku, price), price),
            list_price_changes_24h=changes.get(sku, 0),
            available_units=sum(at.values()),
            available_at=at,
            age_restricted=age_restricted,
            regulated=regulated,
        )
    return facts


def _stock(session: Session, skus: list[str], now: datetime) -> dict[str, dict[str, int]]:
    held: dict[tuple[str, str], int] = defaultdict(int)
    holds = select(Hold.sku, Hold.location_id, func.sum(Hold.quantity)).where(
        col(Hold.sku).in_(skus), col(Hold.released).is_(False), col(Hold.expires_at) > now
    )
    for sku, location, units in session.exec(holds.group_by(col(Hold.sku), col(Hold.location_id))):
        held[(sku, location)] = int(units)
    stock: dict[str, dict[str, int]] = defaultdict(dict)
    levels = select(
        InventoryLevel.sku,
        InventoryLevel.location_id,
        InventoryLevel.on_hand - InventoryLevel.reserved,
    ).where(col(InventoryLevel.sku).in_(skus))
    for sku, location, units in session.exec(levels):
        free = units - held[(sku, location)]
        if free > 0:
            stock[sku][location] = free
    return stock


def _price_history(
    session: Session, skus: list[str], now: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    rows = session.exec(
        select(PriceHistory.sku, PriceHistory.price_cents, PriceHistory.effective_at).where(
            col(PriceHistory.sku).in_(skus), col(PriceHistory.effective_at) > now - LOW_WINDOW
        )
    )
    lows: dict[str, int] = {}
    changes: dict[str, int] = defaultdict(int)
    for sku, price, at in rows:
        lows[sku] = min(lows.get(sku, price), price)
        if at > now - DAY:
            changes[sku] += 1
    return lows, changes


def _shopper(
    session: Session, shopper_id: str, now: datetime, *, kinds: set[str]
) -> ShopperFacts | None:
    row = session.get(ShopperRow, shopper_id)
    if row is None:
        return None
    offers = 0
    if "quote_offer" in kinds:
        offers = session.exec(
            select(func.count())
            .select_from(Offer)
            .where(
                Offer.shopper_id == shopper_id, Offer.kind != "none", Offer.created_at > now - DAY
            )
        ).one()
    return ShopperFacts(
        id=row.id,
        loyalty_tier=row.loyalty_tier,
        timezone=row.timezone,
        offers_24h=int(offers),
        age_verified=bool(row.profile.get("age_verified", False)),
        personalization_consent=bool(row.preferences.get("personalization_consent", False)),
        channels=_channels(session, shopper_id, now) if "send_message" in kinds else {},
    )


def _channels(session: Session, shopper_id: str, now: datetime) -> dict[str, ChannelFacts]:
    sent: dict[str, int] = defaultdict(int)
    recent = select(OutboxMessage.channel, func.count()).where(
        OutboxMessage.shopper_id == shopper_id,
        col(OutboxMessage.status).in_(["pending", "sent"]),
        OutboxMessage.created_at > now - DAY,
    )
    for channel, count in session.exec(recent.group_by(col(OutboxMessage.channel))):
        sent[channel] = int(count)
    consents = channel_consents(session, shopper_id=shopper_id)
    return {
        channel.value: ChannelFacts(consent=state.granted, sent_24h=sent[channel.value])
        for channel, state in consents.items()
    }


def _promotions(session: Session, ids: Iterable[str], now: datetime) -> dict[str, PromotionFacts]:
    rows = session.exec(
        select(Promotion).where(
            col(Promotion.id).in_(sorted(ids)), Promotion.starts_at <= now, Promotion.ends_at > now
        )
    )
    return {
        p.id: PromotionFacts(
            id=p.id,
            discount_pct=p.discount_pct,
            stackable=p.stackable,
            loyalty_tiers=tuple(p.loyalty_tiers),
        )
        for p in rows
    }

"""Personalised slots (name, items, offer and its expiry, sender details) and rendering."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, model_validator
from sqlmodel import Session, col, select

from tools.exceptions import InputError
from tools.messaging.sender import Sender, unsubscribe_link
from tools.messaging.templates import TEMPLATES, MessageTemplate
from tools.store import Product, Shopper
from tools.store.vocab import Channel

MAX_ITEMS = 20
SHOWN_ITEMS = 5
SHORT_TITLE = 40


class OfferKind(StrEnum):
    """What an offer gives."""

    PERCENT_OFF = "percent_off"
    FREE_SHIPPING = "free_shipping"
    BUNDLE = "bundle"
    PRICE = "price"


class OfferSlot(BaseModel):
    """The offer a message announces, as decided by the pricing engine."""

    kind: OfferKind
    expires_at: datetime = Field(description="When the offer ends (timezone-aware)")
    discount_pct: float | None = Field(default=None, gt=0, lt=100)
    price_cents: int | None = Field(default=None, ge=0)
    offer_id: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> OfferSlot:
        if self.expires_at.tzinfo is None:
            raise ValueError("expires_at must carry a timezone")
        if self.kind is OfferKind.PERCENT_OFF and self.discount_pct is None:
            raise ValueError("a percent_off offer needs discount_pct")
        if self.kind is OfferKind.PRICE and self.price_cents is None:
            raise ValueError("a price offer needs price_cents")
        return self


class ItemSlot(BaseModel):
    """A product named in a message."""

    sku: str
    title: str
    price_cents: int


def template_named(name: str) -> MessageTemplate:
    """A message template by name, or an InputError listing the known ones."""
    template = TEMPLATES.get(name)
    if template is None:
        known = ", ".join(sorted(TEMPLATES))
        raise InputError(f"unknown template {name!r}; known: {known}", field="template")
    return template


def item_slots(session: Session, skus: list[str]) -> list[ItemSlot]:
    """The products named by skus, in the order given; unknown skus are refused."""
    if not 1 <= len(skus) <= MAX_ITEMS:
        raise InputError(f"give between 1 and {MAX_ITEMS} skus", field="skus")
    rows = session.exec(select(Product).where(col(Product.sku).in_(skus))).all()
    found = {p.sku: p for p in rows}
    missing = [sku for sku in skus if sku not in found]
    if missing:
        raise InputError(f"unknown sku(s): {', '.join(missing)}", field="skus")
    return [
        ItemSlot(sku=sku, title=_clean(found[sku].title), price_cents=found[sku].list_price_cents)
        for sku in dict.fromkeys(skus)
    ]


def _clean(text: str) -> str:
    return " ".join(text.split())


def _short(text: str) -> str:
    return text if len(text) <= SHORT_TITLE else text[: SHORT_TITLE - 3].rstrip() + "..."


def money(cents: int, symbol: str) -> str:
    """Cents as a price, e.g. $12.99."""
    return f"{symbol}{cents // 100:,}.{cents % 100:02d}"


def offer_headline(offer: OfferSlot, symbol: str) -> str:
    """What the offer gives, in words."""
    if offer.kind is OfferKind.PERCENT_OFF:
        return f"{offer.discount_pct:g}% off"
    if offer.kind is OfferKind.FREE_SHIPPING:
        return "Free shipping"
    if offer.kind is OfferKind.PRICE:
        return f"A special price of {money(offer.price_cents or 0, symbol)}"
    return "A bundle deal"


def _item_lines(items: list[ItemSlot], symbol: str) -> str:
    lines = [f"- {i.title}: {money(i.price_cents, symbol)}" for i in items[:SHOWN_ITEMS]]
    if len(items) > SHOWN_ITEMS:
        lines.append(f"- and {len(items) - SHOWN_ITEMS} more")
    return "\n".join(lines)


def _offer_slots(offer: OfferSlot | None, tz: ZoneInfo, symbol: str) -> dict[str, str]:
    if offer is None:
        return {"offer_headline": "", "offer_line": "", "offer_short": ""}
    headline = offer_headline(offer, symbol)
    local = offer.expires_at.astimezone(tz)
    expiry = local.strftime("%a %d %b %Y, %H:%M %Z")
    return {
        "offer_headline": headline,
        "offer_line": f"\n{headline}, valid until {expiry}.",
        "offer_short": f" {headline} until {local.strftime('%d %b %H:%M %Z')}.",
    }


def build_slots(
    *,
    shopper: Shopper,
    channel: Channel,
    items: list[ItemSlot],
    offer: OfferSlot | None,
    sender: Sender,
    tz: ZoneInfo,
) -> dict[str, str]:
    """Every slot a template may use, personalised for the recipient."""
    first_name = shopper.name.split()[0] if shopper.name.strip() else "there"
    first = items[0].title if channel in (Channel.EMAIL, Channel.CHAT) else _short(items[0].title)
    link = unsubscribe_link(sender, shopper_id=shopper.id, channel=channel.value)
    return {
        "name": first_name,
        "first_item": first,
        "item_lines": _item_lines(items, sender.currency_symbol),
        "store": sender.name,
        "postal_address": sender.postal_address,
        "unsubscribe_url": link,
        **_offer_slots(offer, tz, sender.currency_symbol),
    }

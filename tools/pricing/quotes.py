"""Quote locks: a quoted price carries an id and an expiry and is honoured until then.

The id is a digest of everything the quote says, so the same quote made twice has the same id
(recording it is idempotent) and a quote altered after it was made no longer matches its id.
Only the executor records quotes (into the offers table); engines and servers only make them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session

from tools.exceptions import InputError
from tools.pricing.decide import OfferDecision, OfferKind, OfferOption
from tools.pricing.exceptions import QuoteExpiredError, QuoteMismatchError
from tools.store import Offer

QUOTE_TTL = timedelta(minutes=30)
MAX_QUOTE_TTL = timedelta(days=7)


class Quote(BaseModel):
    """A price held for one shopper (or anyone, without a shopper) until it expires."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Digest of the quote's contents")
    shopper_id: str | None = None
    sku: str
    quantity: int = Field(ge=1)
    offer: OfferKind = "none"
    discount_pct: int = Field(default=0, ge=0, le=100)
    list_price_cents: int = Field(ge=0)
    price_cents: int = Field(ge=0, description="Unit price held")
    free_shipping: bool = False
    companion_sku: str | None = None
    companion_price_cents: int | None = None
    created_at: AwareDatetime
    expires_at: AwareDatetime
    decision_id: str | None = None

    @field_validator("created_at", "expires_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    def content_id(self) -> str:
        """The id these contents must carry."""
        body = self.model_dump_json(exclude={"id"})
        return "q-" + hashlib.sha256(body.encode()).hexdigest()[:32]


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        raise InputError("give a timezone-aware time", field=field)
    return moment.astimezone(UTC)


def make_quote(
    *,
    sku: str,
    list_price_cents: int,
    now: datetime,
    shopper_id: str | None = None,
    quantity: int = 1,
    option: OfferOption | None = None,
    decision_id: str | None = None,
    ttl: timedelta = QUOTE_TTL,
) -> Quote:
    """A quote at list price, or under an option of an offer decision, valid for `ttl`."""
    now = _aware(now, "now")
    if not timedelta(0) < ttl <= MAX_QUOTE_TTL:
        raise InputError(f"must be positive and at most {MAX_QUOTE_TTL}", field="ttl")
    fields: dict[str, Any] = {
        "id": "",
        "shopper_id": shopper_id,
        "sku": sku,
        "quantity": quantity,
        "list_price_cents": list_price_cents,
        "price_cents": list_price_cents,
        "created_at": now,
        "expires_at": now + ttl,
        "decision_id": decision_id,
    }
    if option is not None and option.kind != "none":
        fields.update(
            offer=option.kind,
            discount_pct=option.discount_pct,
            price_cents=option.price_cents,
            free_shipping=option.free_shipping,
            companion_sku=option.companion_sku,
            companion_price_cents=option.companion_price_cents,
        )
    draft = Quote.model_validate(fields)
    return draft.model_copy(update={"id": draft.content_id()})


def quote_decision(
    *,
    decision: OfferDecision,
    list_price_cents: int,
    now: datetime,
    shopper_id: str | None = None,
    quantity: int = 1,
    ttl: timedelta = QUOTE_TTL,
) -> Quote:
    """A quote for the option a decision chose."""
    return make_quote(
        sku=decision.sku,
        list_price_cents=list_price_cents,
        now=now,
        shopper_id=shopper_id,
        quantity=quantity,
        option=decision.chosen,
        decision_id=decision.decision_id,
        ttl=ttl,
    )


def honour_quote(*, quote: Quote, now: datetime) -> int:
    """The unit price the quote holds, if it is intact and not yet expired."""
    now = _aware(now, "now")
    if quote.id != quote.content_id():
        raise QuoteMismatchError(quote.id)
    if now >= quote.expires_at:
        raise QuoteExpiredError(quote.id, expires_at=quote.expires_at, now=now)
    return quote.price_cents


def record_quote(*, session: Session, quote: Quote) -> Offer:
    """Write a quote into the offers table in the caller's transaction; once per id."""
    if quote.id != quote.content_id():
        raise QuoteMismatchError(quote.id)
    existing = session.get(Offer, quote.id)
    if existing is not None:
        return existing
    row = Offer(
        id=quote.id,
        shopper_id=quote.shopper_id,
        sku=quote.sku,
        kind=quote.offer,
        discount_pct=float(quote.discount_pct),
        price_cents=quote.price_cents,
        created_at=quote.created_at,
        expires_at=quote.expires_at,
        decision_id=quote.decision_id,
        details={
            "quantity": quote.quantity,
            "list_price_cents": quote.list_price_cents,
            "free_shipping": quote.free_shipping,
            "companion_sku": quote.companion_sku,
            "companion_price_cents": quote.companion_price_cents,
        },
    )
    session.add(row)
    session.flush()
    return row


def quote_of_offer(offer: Offer) -> Quote:
    """A recorded offer read back as the quote it was made from."""
    details = offer.details or {}
    return Quote.model_validate(
        {
            "id": offer.id,
            "shopper_id": offer.shopper_id,
            "sku": offer.sku or "",
            "quantity": int(details.get("quantity", 1)),
            "offer": offer.kind,
            "discount_pct": round(offer.discount_pct),
            "list_price_cents": int(details.get("list_price_cents", offer.price_cents or 0)),
            "price_cents": offer.price_cents or 0,
            "free_shipping": bool(details.get("free_shipping", False)),
            "companion_sku": details.get("companion_sku"),
            "companion_price_cents": details.get("companion_price_cents"),
            "created_at": offer.created_at,
            "expires_at": offer.expires_at,
            "decision_id": offer.decision_id,
        }
    )

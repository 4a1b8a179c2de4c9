"""The storefront's proposals: personal picks, an offer, a cart. Each becomes a typed action that
the policy checker decides on and the decision log records; the decision is what the agent gets.

Nothing is written to the store here: an approved proposal waits in the decision log for the
executor, which applies only what a recorded approval binds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

import tools.pricing as pricing
import tools.recommend as rec
from mcp_servers.storefront.models import CartVerdict, OfferVerdict, Pick, PicksVerdict, Verdict
from mcp_servers.storefront.scopes import CART_WRITE, PRICE_QUOTE, SHOPPER_READ
from mcp_servers.storefront.state import StorefrontState, allowed, state_of
from policies.actions import (
    CartLine,
    ProposeCart,
    QuoteOffer,
    RecommendedItem,
    ShowRecommendations,
)
from policies.decision import Effect
from tools.store import Product, Shopper
from tools.store.types import utcnow

OFFER_TTL = timedelta(minutes=30)


class CartLineIn(BaseModel):
    """One line of a cart to propose."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=100)
    unit_price_cents: int | None = Field(
        default=None, ge=0, description="The unit price the shopper was shown; default: list price"
    )


def personal_picks(
    ctx: Context[StorefrontState],
    k: Annotated[int, Field(ge=1, le=20, description="How many picks")] = 5,
) -> PicksVerdict:
    """Personal picks for the token's shopper, if they consented to personalisation (shopper:read).

    Nothing is computed from their history without consent; the checker's denial says why.
    """
    who = allowed(ctx, SHOPPER_READ, shopper=True)
    shopper_id = who.shopper_id or ""
    state, now = state_of(ctx), utcnow()
    ranked: list[rec.RankedItem] = []
    if _consented(state, shopper_id):
        ranked = state.recommend.get().recommend(shopper_id=shopper_id, k=k, now=now).items
    action = ShowRecommendations(
        shopper_id=shopper_id,
        surface="agent",
        personalised=True,
        items=tuple(RecommendedItem(sku=item.sku) for item in ranked),
    )
    decision = state.gate.decide(action, who, now=now)
    by_sku = {item.sku: item for item in ranked}
    shown = decision.action if decision.executable else None
    picks = [
        _pick(rank, by_sku[item.sku], item.label)
        for rank, item in enumerate(
            shown.items if isinstance(shown, ShowRecommendations) else (), 1
        )
        if item.sku in by_sku
    ]
    return PicksVerdict(**Verdict.fields_of(decision), shopper_id=shopper_id, items=picks)


def propose_offer(
    sku: Annotated[str, Field(min_length=1, max_length=64)],
    ctx: Context[StorefrontState],
    quantity: Annotated[int, Field(ge=1, le=100)] = 1,
) -> OfferVerdict:
    """The pricing engine's best offer for the token's shopper, as a quote the checker decides on.

    Scope price:quote. The quote holds for 30 minutes once the executor records it.
    """
    who = allowed(ctx, PRICE_QUOTE, shopper=True)
    shopper_id = who.shopper_id or ""
    state, now = state_of(ctx), utcnow()
    context = state.pricing.get()
    with Session(state.engine) as session:
        pricing_input = pricing.pricing_input_for(
            session, context=context, sku=sku, shopper_id=shopper_id, quantity=quantity
        )
    engine_decision = pricing.decide_offer(pricing_input=pricing_input, demand=context.demand)
    chosen = engine_decision.chosen
    action = QuoteOffer(
        shopper_id=shopper_id,
        sku=sku,
        offer=chosen.kind,
        price_cents=chosen.price_cents,
        personalised=chosen.kind != "none",
        expires_at=now + OFFER_TTL,
    )
    decision = state.gate.decide(action, who, now=now)
    decided = decision.action if decision.effect is not Effect.DENY else None
    return OfferVerdict(
        **Verdict.fields_of(decision),
        offer_key=chosen.key,
        pricing_decision_id=engine_decision.decision_id,
        quote=decided if isinstance(decided, QuoteOffer) else None,
    )


def propose_cart(
    lines: Annotated[list[CartLineIn], Field(min_length=1, max_length=50)],
    ctx: Context[StorefrontState],
) -> CartVerdict:
    """Propose a cart for the token's shopper; the checker decides on it (scope cart:write).

    Lines carry the current list price unless given; a line at another price is refused, and
    the agent's carts count against its daily spend limit.
    """
    who = allowed(ctx, CART_WRITE, shopper=True)
    state, now = state_of(ctx), utcnow()
    skus = sorted({line.sku for line in lines})
    with Session(state.engine) as session:
        rows = session.exec(
            select(Product.sku, Product.list_price_cents).where(col(Product.sku).in_(skus))
        )
        prices = dict(rows.all())
    cart = ProposeCart(
        shopper_id=who.shopper_id or "",
        lines=tuple(
            CartLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price_cents=_price(line, prices.get(line.sku)),
            )
            for line in lines
        ),
    )
    decision = state.gate.decide(cart, who, now=now)
    decided = decision.action if decision.effect is not Effect.DENY else None
    return CartVerdict(
        **Verdict.fields_of(decision),
        cart=decided if isinstance(decided, ProposeCart) else None,
        total_cents=cart.total_cents(),
    )


def _price(line: CartLineIn, list_price: int | None) -> int:
    # An unknown sku goes to the checker as it is (at 0): it denies the cart as UNKNOWN_PRODUCT.
    if line.unit_price_cents is not None:
        return line.unit_price_cents
    return 0 if list_price is None else list_price


def _consented(state: StorefrontState, shopper_id: str) -> bool:
    with Session(state.engine) as session:
        shopper = session.get(Shopper, shopper_id)
    return shopper is not None and bool(shopper.preferences.get("personalization_consent"))


def _pick(rank: int, item: rec.RankedItem, label: str) -> Pick:
    return Pick(
        rank=rank,
        sku=item.sku,
        title=item.title,
        brand=item.brand,
        category=item.category,
        price_cents=item.price_cents,
        label=label,
        low_stock=item.low_stock,
        reasons=[reason.text for reason in item.reasons],
    )

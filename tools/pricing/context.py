"""What serving an offer decision needs from the store, loaded once, and the per-call lookups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from tools.exceptions import InputError
from tools.pricing.choice import load_choice_responses
from tools.pricing.demand import DemandModel
from tools.pricing.exceptions import UnknownShopperError, UnknownSkuError
from tools.pricing.fitting import fit_elasticities
from tools.pricing.inputs import (
    BasketLine,
    Fulfilment,
    IntentStage,
    LoyaltyTier,
    PricingInput,
    ShippingTerms,
    SkuFacts,
)
from tools.pricing.sensitivity import CategoryPrices, load_category_prices, shopper_sensitivity
from tools.store import Product, Shopper

LOYALTY_TIERS: tuple[LoyaltyTier, ...] = ("none", "silver", "gold", "platinum")


@dataclass(frozen=True)
class PricingContext:
    """The demand model, category price statistics and shipping terms decisions use."""

    demand: DemandModel
    prices: CategoryPrices
    shipping: ShippingTerms = field(default_factory=ShippingTerms)


def load_pricing_context(
    session: Session,
    *,
    data_dir: Path | None = None,
    shipping: ShippingTerms | None = None,
    fit_from_events: bool = True,
) -> PricingContext:
    """Choice models from the data directory, fits on the store's events, catalog prices."""
    choice = load_choice_responses(data_dir=data_dir) if data_dir is not None else ()
    fitted = fit_elasticities(session) if fit_from_events else {}
    return PricingContext(
        demand=DemandModel(choice=choice, fitted=fitted),
        prices=load_category_prices(session),
        shipping=shipping or ShippingTerms(),
    )


def open_pricing_context(engine: Engine, *, data_dir: Path | None = None) -> PricingContext:
    """`load_pricing_context` in a session of its own."""
    with Session(engine) as session:
        return load_pricing_context(session, data_dir=data_dir)


class CartItem(BaseModel):
    """A sku and quantity already in the cart."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100)


_FACTS = sa_select(
    col(Product.sku),
    col(Product.category),
    col(Product.brand),
    col(Product.list_price_cents),
    col(Product.unit_cost_cents),
).where(col(Product.sku).in_(bindparam("skus", expanding=True)))
_TIER = select(Shopper.loyalty_tier).where(col(Shopper.id) == bindparam("shopper_id"))


def as_loyalty_tier(value: str) -> LoyaltyTier:
    """A stored loyalty tier as the pricing vocabulary has it ("none" if unknown)."""
    return next((t for t in LOYALTY_TIERS if t == value), "none")


def sku_facts(product: Product) -> SkuFacts:
    """The pricing facts of a product row."""
    return SkuFacts(
        sku=product.sku,
        category=product.category,
        brand=product.brand,
        list_price_cents=max(1, product.list_price_cents),
        unit_cost_cents=product.unit_cost_cents,
    )


def load_sku_facts(session: Session, *, skus: Sequence[str]) -> dict[str, SkuFacts]:
    """Pricing facts of the skus that exist, by sku (one query)."""
    rows = session.connection().execute(_FACTS, {"skus": sorted(set(skus))}).all()
    return {
        sku: SkuFacts(
            sku=sku,
            category=category,
            brand=brand,
            list_price_cents=max(1, price),
            unit_cost_cents=cost,
        )
        for sku, category, brand, price, cost in rows
    }


def _facts(found: dict[str, SkuFacts], sku: str, field: str) -> SkuFacts:
    if sku not in found:
        raise UnknownSkuError(sku, field=field)
    return found[sku]


def _shopper_signals(
    session: Session, *, shopper_id: str | None, context: PricingContext
) -> tuple[LoyaltyTier, float | None]:
    """The shopper's loyalty tier (as the store records it) and estimated price sensitivity."""
    if shopper_id is None:
        return "none", None
    tier = session.exec(_TIER, params={"shopper_id": shopper_id}).first()
    if tier is None:
        raise UnknownShopperError(shopper_id)
    sensitivity = shopper_sensitivity(session, shopper_id=shopper_id, prices=context.prices)
    return as_loyalty_tier(tier), sensitivity


def _basket(found: dict[str, SkuFacts], cart: Sequence[CartItem]) -> tuple[BasketLine, ...]:
    return tuple(
        BasketLine(
            sku=line.sku,
            quantity=line.quantity,
            unit_price_cents=_facts(found, line.sku, "cart").list_price_cents,
            unit_cost_cents=found[line.sku].unit_cost_cents,
        )
        for line in cart
    )


def pricing_input_for(
    session: Session,
    *,
    context: PricingContext,
    sku: str,
    shopper_id: str | None = None,
    quantity: int = 1,
    cart: Sequence[CartItem] = (),
    companion_sku: str | None = None,
    purchase_propensity: float | None = None,
    intent: IntentStage | None = None,
    fulfilment: Fulfilment = "ship",
) -> PricingInput:
    """The pricing input for a sku, from the store: product facts, cart, shopper signals."""
    if companion_sku == sku:
        raise InputError("the companion must be another sku than the item", field="companion_sku")
    wanted = [sku, *(line.sku for line in cart), *([companion_sku] if companion_sku else [])]
    found = load_sku_facts(session, skus=wanted)
    item = _facts(found, sku, "sku")
    basket = _basket(found, cart)
    companion = _facts(found, companion_sku, "companion_sku") if companion_sku else None
    tier, sensitivity = _shopper_signals(session, shopper_id=shopper_id, context=context)
    return PricingInput(
        item=item,
        quantity=quantity,
        basket=basket,
        companion=companion,
        price_sensitivity=sensitivity,
        purchase_propensity=purchase_propensity,
        intent=intent,
        loyalty_tier=tier,
        fulfilment=fulfilment,
        shipping=context.shipping,
    )

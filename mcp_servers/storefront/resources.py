"""The storefront's resources: the catalog's categories and the store's policies for agents."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from mcp_servers.storefront.browse import QUOTE_TTL
from mcp_servers.storefront.models import (
    Categories,
    Category,
    PickupLocation,
    Shipping,
    StorePolicies,
)
from mcp_servers.storefront.scopes import SCOPES
from mcp_servers.storefront.state import StorefrontState
from tools.pricing import ShippingTerms
from tools.store import Location, Product

CATEGORIES_URI = "storefront://categories"
POLICIES_URI = "storefront://policies"


def categories(state: StorefrontState) -> Categories:
    """Every category path with its number of products and their price range."""
    price = col(Product.list_price_cents)
    query = (
        select(Product.category, func.count(), func.min(price), func.max(price))
        .group_by(col(Product.category))
        .order_by(col(Product.category))
    )
    with Session(state.engine) as session:
        rows = session.exec(query).all()
    return Categories(
        categories=[
            Category(path=path, products=count, min_price_cents=low, max_price_cents=high)
            for path, count, low, high in rows
        ]
    )


def store_policies(state: StorefrontState) -> StorePolicies:
    """The limits every proposal is held to (from the policy pack) and the store's terms."""
    params = state.pack.spec.params
    terms = ShippingTerms()  # the terms the pricing engine quotes under
    with Session(state.engine) as session:
        stores = session.exec(
            select(Location).where(col(Location.kind) == "store").order_by(col(Location.id))
        ).all()
    return StorePolicies(
        scopes=SCOPES,
        quote_minutes=int(QUOTE_TTL.total_seconds() // 60),
        cart_prices="Cart lines carry the current list price; discounts come only from offers "
        "the policy checker approved.",
        max_line_quantity=params.shopping.max_line_quantity,
        agent_daily_spend_cents=params.agents.daily_spend_cents,
        agent_proposals_per_minute=params.agents.rate_per_minute,
        offers_per_shopper_24h=params.pricing.max_offers_per_24h,
        personalisation="Personal picks only for shoppers who consented to personalisation.",
        shipping=Shipping(
            free_threshold_cents=terms.free_threshold_cents, fee_cents=terms.fee_cents
        ),
        pickup_locations=[
            PickupLocation(
                location_id=s.id,
                name=s.name,
                same_day_pickup=s.same_day_pickup,
                timezone=s.timezone,
                open_hour=s.open_hour,
                close_hour=s.close_hour,
            )
            for s in stores
        ],
    )

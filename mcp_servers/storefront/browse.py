"""The storefront's read-only tools: search, product details, stock and fulfilment, price quotes.

Each checks the caller's scope first; none writes anything.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field, ValidationError
from sqlmodel import Session, col, select

import tools.inventory as inventory
import tools.pricing as pricing
from mcp_servers.storefront.models import (
    LocationStock,
    ProductCard,
    ProductDetails,
    SearchResults,
    StockAndFulfilment,
)
from mcp_servers.storefront.scopes import CATALOG_READ, PRICE_QUOTE, SHOPPER_READ
from mcp_servers.storefront.state import StorefrontState, allowed, state_of
from tools.exceptions import InputError
from tools.search import SearchFilters, search
from tools.store import Product
from tools.store.types import utcnow

QUOTE_TTL = timedelta(minutes=30)
Sku = Annotated[str, Field(min_length=1, max_length=64, description="The product's sku")]
Quantity = Annotated[int, Field(ge=1, le=100, description="Units wanted")]
Cents = Annotated[int | None, Field(ge=0, le=100_000_000)]


def search_products(
    ctx: Context[StorefrontState],
    query: Annotated[str, Field(max_length=200, description="What the shopper wants")] = "",
    category: Annotated[
        str | None, Field(max_length=200, description="Category path prefix")
    ] = None,
    min_price_cents: Cents = None,
    max_price_cents: Cents = None,
    brands: Annotated[list[str] | None, Field(max_length=20, description="Any of")] = None,
    in_stock_at: Annotated[str | None, Field(max_length=64, description="Location id")] = None,
    same_day_pickup: bool = False,
    k: Annotated[int, Field(ge=1, le=20, description="How many products")] = 10,
) -> SearchResults:
    """Products matching the query that pass every filter, best first (scope catalog:read)."""
    allowed(ctx, CATALOG_READ)
    try:
        filters = SearchFilters(
            category=category,
            min_price_cents=min_price_cents,
            max_price_cents=max_price_cents,
            brands=brands or [],
            in_stock_at=in_stock_at,
            same_day_pickup=same_day_pickup,
        )
    except ValidationError as exc:
        raise InputError(exc.errors()[0]["msg"], field="filters") from exc
    state = state_of(ctx)
    hits = search(state.search.get(), query=query, filters=filters, k=k)
    with Session(state.engine) as session:
        rows = session.exec(select(Product).where(col(Product.sku).in_([h.sku for h in hits])))
        products = {p.sku: p for p in rows}
    cards = [_card(products[h.sku]) for h in hits if h.sku in products]
    return SearchResults(query=query, products=cards)


def get_product(sku: Sku, ctx: Context[StorefrontState]) -> ProductDetails:
    """One product's public details and its sellable units (scope catalog:read)."""
    allowed(ctx, CATALOG_READ)
    with Session(state_of(ctx).engine) as session:
        product = session.get(Product, sku)
        if product is None:
            raise InputError(f"no product with sku {sku!r}", field="sku")
        stock = inventory.availability(session, sku=sku, now=utcnow())
    return ProductDetails(
        sku=product.sku,
        variant_group=product.variant_group,
        title=product.title,
        description=product.description,
        brand=product.brand,
        category=product.category,
        attributes=product.attributes,
        tags=product.tags,
        price_cents=product.list_price_cents,
        age_restricted=product.age_restricted,
        regulated=product.regulated,
        available_units=stock.total_available,
    )


def check_availability(
    sku: Sku,
    ctx: Context[StorefrontState],
    quantity: Quantity = 1,
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None,
    timezone: Annotated[str, Field(max_length=64, description="IANA timezone")] = "UTC",
) -> StockAndFulfilment:
    """Stock by location and every ship or pickup option with its time (scope catalog:read).

    Without coordinates, a token with shopper:read gets times from its shopper's home.
    """
    who = allowed(ctx, CATALOG_READ)
    now = utcnow()
    located = latitude is not None and longitude is not None
    personal = not located and who.shopper_id is not None and SHOPPER_READ in who.scopes
    with Session(state_of(ctx).engine) as session:
        if personal and who.shopper_id is not None:
            where = inventory.destination_for(session, who.shopper_id)
        else:
            where = inventory.Destination(latitude=latitude, longitude=longitude, timezone=timezone)
        stock = inventory.availability(session, sku=sku, now=now)
        plan = inventory.fulfilment_options(
            session, sku=sku, destination=where, now=now, quantity=quantity
        )
    locations = [
        LocationStock(
            location_id=s.location_id, name=s.location_name, kind=s.kind, available=s.available
        )
        for s in stock.locations
    ]
    return StockAndFulfilment(
        sku=sku,
        quantity=quantity,
        total_available=stock.total_available,
        locations=locations,
        options=plan.options,
        for_shopper=personal,
    )


def get_quote(sku: Sku, ctx: Context[StorefrontState], quantity: Quantity = 1) -> pricing.Quote:
    """A list-price quote with an id and an expiry, for the token's shopper if any (price:quote).

    Its id is a digest of its contents; checkout honours it, unaltered, until it expires.
    """
    who = allowed(ctx, PRICE_QUOTE)
    with Session(state_of(ctx).engine) as session:
        facts = pricing.load_sku_facts(session, skus=[sku]).get(sku)
    if facts is None:
        raise pricing.UnknownSkuError(sku)
    return pricing.make_quote(
        sku=sku,
        list_price_cents=facts.list_price_cents,
        now=utcnow(),
        shopper_id=who.shopper_id,
        quantity=quantity,
        ttl=QUOTE_TTL,
    )


def _card(product: Product) -> ProductCard:
    return ProductCard(
        sku=product.sku,
        title=product.title,
        brand=product.brand,
        category=product.category,
        price_cents=product.list_price_cents,
    )

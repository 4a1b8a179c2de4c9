"""`GroundingFacts`: what a reply may state, taken from the turn's approved actions.

A reply may name these products (by name, brand or sku), quote these prices and these offers, and
nothing else; `grounding.check_grounding` holds any text to them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.candidates import Candidate
from policies.actions import QuoteOffer

FactOfferKind = Literal["percent_off", "free_shipping", "bundle"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Priced(_Model):
    sku: str
    price_cents: int | None = Field(default=None, ge=0, description="The price it may quote")
    was_price_cents: int | None = Field(default=None, ge=0, description="A reference price")

    def saved_cents(self) -> int | None:
        """How much below its reference price it is, if it is."""
        price, was = self.price_cents, self.was_price_cents
        return was - price if price is not None and was is not None and was > price else None


class FactProduct(_Priced):
    """A product the reply may name, at the price it may quote."""

    name: str
    brand: str = ""


class FactOffer(_Priced):
    """An approved offer on one product."""

    kind: FactOfferKind
    percent_off: float | None = Field(default=None, gt=0, le=100)


class GroundingFacts(_Model):
    """Everything a reply may state; anything else it states is ungrounded."""

    products: tuple[FactProduct, ...] = ()
    offers: tuple[FactOffer, ...] = ()
    amounts_cents: tuple[int, ...] = Field(default=(), description="Other amounts, e.g. a budget")
    percents: tuple[float, ...] = Field(default=(), description="Other approved percentages")
    phrases: tuple[str, ...] = Field(default=(), description="Other names: store, locations")
    required: tuple[str, ...] = Field(default=(), description="Texts the reply must keep verbatim")
    known_brands: tuple[str, ...] = Field(
        default=(), description="Every catalog brand: naming one not in `products` is ungrounded"
    )

    def money_cents(self) -> frozenset[int]:
        """Every amount a reply may quote: prices, 'was' prices, savings, other amounts."""
        found: set[int] = set(self.amounts_cents)
        for item in self._priced():
            amounts = (item.price_cents, item.was_price_cents, item.saved_cents())
            found.update(v for v in amounts if v is not None)
        return frozenset(found)

    def percent_values(self) -> frozenset[float]:
        """Every percentage a reply may state: offers' and those the 'was' prices imply."""
        found: set[float] = set(self.percents)
        for item in self._priced():
            saved = item.saved_cents()
            if saved is not None and item.was_price_cents:
                found.update(_shown(100 * saved / item.was_price_cents))
        for offer in self.offers:
            if offer.percent_off is not None:
                found.update(_shown(offer.percent_off))
        return frozenset(found)

    def offer_kinds(self) -> frozenset[str]:
        """The kinds of offer a reply may mention (a 'was' price counts as a discount)."""
        kinds = {offer.kind for offer in self.offers}
        if any(p.saved_cents() for p in self.products):
            kinds.add("percent_off")
        return frozenset(kinds)

    def names(self) -> tuple[str, ...]:
        """Every product name, brand and other phrase a reply may use."""
        brands = (p.brand for p in self.products if p.brand)
        return (*(p.name for p in self.products), *brands, *self.phrases)

    def only(self, skus: frozenset[str]) -> GroundingFacts:
        """The same facts about these products only (other amounts and names kept)."""
        return self.model_copy(
            update={
                "products": tuple(p for p in self.products if p.sku in skus),
                "offers": tuple(o for o in self.offers if o.sku in skus),
            }
        )

    def _priced(self) -> tuple[_Priced, ...]:
        return (*self.products, *self.offers)

    def skus(self) -> frozenset[str]:
        """Every sku a reply may name."""
        return frozenset(p.sku for p in self.products) | {o.sku for o in self.offers}


def _shown(percent: float) -> tuple[float, ...]:
    """How a percentage may be written: exact, to one decimal, rounded to a whole number."""
    return (percent, round(percent, 1), float(math.floor(percent + 0.5)))


def facts_from(
    *,
    candidates: Sequence[Candidate] = (),
    quotes: Iterable[QuoteOffer] = (),
    known_brands: Iterable[str] = (),
    amounts_cents: Iterable[int] = (),
    phrases: Iterable[str] = (),
) -> GroundingFacts:
    """Facts from the products shown and the approved quotes (a quote's disclosure is required)."""
    listed = {c.sku: c.list_price_cents for c in candidates}
    offers: list[FactOffer] = []
    amounts = list(amounts_cents)
    required: list[str] = []
    for quote in quotes:
        if quote.disclosure:
            required.append(quote.disclosure)
        offer = _offer_of(quote, listed.get(quote.sku))
        if offer is not None:
            offers.append(offer)
        elif quote.price_cents != listed.get(quote.sku):
            amounts.append(quote.price_cents)
    products = tuple(
        FactProduct(sku=c.sku, name=c.title, brand=c.brand, price_cents=c.list_price_cents)
        for c in candidates
    )
    return GroundingFacts(
        products=products,
        offers=tuple(offers),
        amounts_cents=tuple(amounts),
        phrases=tuple(phrases),
        required=tuple(required),
        known_brands=tuple(known_brands),
    )


def _offer_of(quote: QuoteOffer, listed_cents: int | None) -> FactOffer | None:
    """The offer a quote makes on its product (its reference price: 'was', else the list price)."""
    if quote.offer == "none":
        return None
    was = quote.was_price_cents or listed_cents
    percent = None
    if quote.offer == "percent_off" and was and was > quote.price_cents:
        percent = 100 * (was - quote.price_cents) / was
    return FactOffer(
        sku=quote.sku,
        kind=quote.offer,
        price_cents=quote.price_cents,
        was_price_cents=was,
        percent_off=percent,
    )

"""The records of a τ-bench retail store (products.json, users.json, orders.json), strictly typed.

Types are checked as written in JSON: a price must be a number, a flag a boolean, an id a string.
Money is read exactly into integer cents.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from tools.importers.money import parse_cents


def _cents(value: object) -> int:
    return parse_cents(value, allow_text=False)


Cents = Annotated[int, BeforeValidator(_cents)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Short = Annotated[str, StringConstraints(max_length=200)]


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class TauVariant(_Record):
    """One sellable variant of a product."""

    item_id: Id
    options: dict[str, str]
    available: bool
    price: Cents


class TauProduct(_Record):
    """A product and its variants, keyed by item id."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    product_id: Id
    variants: dict[str, TauVariant]


class TauAddress(_Record):
    """A postal address."""

    address1: Short
    address2: Short = ""
    city: Short
    country: Short
    state: Short
    zip: Annotated[str, StringConstraints(max_length=16)]


class TauName(_Record):
    """A user's name."""

    first_name: Short
    last_name: Short


class TauPaymentMethod(_Record):
    """A stored payment method (card details reduced to brand and last four)."""

    id: Id
    source: Short
    brand: Short | None = None
    last_four: Annotated[str, StringConstraints(max_length=4)] | None = None
    balance: Cents | None = None


class TauUser(_Record):
    """A user with their address and payment methods."""

    name: TauName
    address: TauAddress
    email: Annotated[str, StringConstraints(max_length=320)]
    payment_methods: dict[str, TauPaymentMethod] = Field(default_factory=dict)


class TauOrderItem(_Record):
    """One item of an order, at the price paid."""

    item_id: Id
    price: Cents


class TauFulfillment(_Record):
    """A shipment: tracking ids and the items in it."""

    tracking_id: list[str]
    item_ids: list[str]


class TauPayment(_Record):
    """A payment or refund."""

    transaction_type: Short
    amount: Cents
    payment_method_id: Short


class TauOrder(_Record):
    """An order with its items, shipments and payments."""

    order_id: Id
    user_id: Id
    address: TauAddress
    items: list[TauOrderItem]
    fulfillments: list[TauFulfillment] = Field(default_factory=list)
    status: Short
    payment_history: list[TauPayment] = Field(default_factory=list)

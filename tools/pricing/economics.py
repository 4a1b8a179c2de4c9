"""What one session is worth under an offer: expected conversion, margin and discount spend.

Contribution margin of an order = revenue - cost of goods - shipping cost + shipping fee paid.
The order is the cart plus the item; the free-shipping threshold is judged on that order at
list prices (a discount never makes an order pay shipping) and before any add-on. A shopper
weighs a shipping fee more than the same amount off a price (the "free" effect), by
`FEE_WEIGHT`. A bundle or the free-shipping nudge adds value only when the shopper takes it
up, with the take-up rates below.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.pricing.demand import conversion
from tools.pricing.inputs import PricingInput, SkuFacts

FEE_WEIGHT = 1.5
DEFAULT_MARGIN_RATE = 0.40
COMPANION_TAKE_RATE = 0.10
NUDGE_MAX_GAP_SHARE = 0.4
TOPUP_OVERSHOOT = 1.15
MAX_TOPUP_RATE = 0.6


def unit_cost(item: SkuFacts) -> float:
    """The unit cost, or the cost a default margin implies when it is unknown."""
    if item.unit_cost_cents is not None:
        return float(item.unit_cost_cents)
    return item.list_price_cents * (1.0 - DEFAULT_MARGIN_RATE)


def discounted(price_cents: int, pct: int) -> int:
    """A price less a whole percentage, rounded half up to the cent."""
    return (price_cents * (100 - pct) + 50) // 100


@dataclass(frozen=True)
class Outcome:
    """Expectations for one session under one offer."""

    conversion: float
    margin_cents: float
    discount_cents: float


@dataclass(frozen=True)
class SessionEconomics:
    """The session's economics at list price, shared by every option."""

    pricing_input: PricingInput
    base: float
    elasticity: float
    companion_elasticity: float
    sensitivity: float

    @property
    def order_at_list(self) -> int:
        """Cart plus the item at list price."""
        p = self.pricing_input
        return p.cart_value_cents + p.quantity * p.item.list_price_cents

    def fee(self, order_value: int) -> int:
        """The shipping fee an order of this value pays."""
        p = self.pricing_input
        if p.fulfilment != "ship" or order_value >= p.shipping.free_threshold_cents:
            return 0
        return p.shipping.fee_cents

    def cart_margin(self) -> float:
        """Margin of the rest of the cart (cost at the default margin where unknown)."""
        total = 0.0
        for line in self.pricing_input.basket:
            cost = line.unit_cost_cents
            if cost is None:
                cost = round(line.unit_price_cents * (1.0 - DEFAULT_MARGIN_RATE))
            total += (line.unit_price_cents - cost) * line.quantity
        return total

    def order_margin(self, *, item_price: int, fee_paid: int) -> float:
        """Margin of the order if bought at this item price with this fee."""
        p = self.pricing_input
        ship_cost = p.shipping.cost_cents if p.fulfilment == "ship" else 0
        item = p.quantity * (item_price - unit_cost(p.item))
        return self.cart_margin() + item + fee_paid - ship_cost

    def companion_value(self, *, price: int) -> tuple[float, float]:
        """Expected margin and discount of the companion at this price, per order bought."""
        companion = self.pricing_input.companion
        if companion is None:
            return 0.0, 0.0
        saving = 1.0 - price / companion.list_price_cents
        take = conversion(
            base=COMPANION_TAKE_RATE, elasticity=self.companion_elasticity, saving=saving
        )
        return take * (price - unit_cost(companion)), take * (companion.list_price_cents - price)

    def priced(
        self, *, item_price: int, free_shipping: bool, companion_price: int | None
    ) -> Outcome:
        """Expectations when the item sells at `item_price`, maybe shipping free."""
        p = self.pricing_input
        reference_fee = self.fee(self.order_at_list)
        fee_paid = 0 if free_shipping else reference_fee
        item_saving = p.quantity * (p.item.list_price_cents - item_price)
        fee_saving = reference_fee - fee_paid
        saving = (item_saving + FEE_WEIGHT * fee_saving) / (self.order_at_list + reference_fee)
        converts = conversion(base=self.base, elasticity=self.elasticity, saving=saving)
        companion = p.companion.list_price_cents if p.companion else 0
        extra, extra_discount = self.companion_value(price=companion_price or companion)
        margin = self.order_margin(item_price=item_price, fee_paid=fee_paid) + extra
        return Outcome(
            conversion=converts,
            margin_cents=converts * margin,
            discount_cents=converts * (item_saving + fee_saving + extra_discount),
        )

    def nudge_gap(self) -> int | None:
        """How far the order is below the free-shipping threshold, if a nudge could close it."""
        p = self.pricing_input
        gap = p.shipping.free_threshold_cents - self.order_at_list
        if self.fee(self.order_at_list) == 0 or gap <= 0:
            return None
        return gap if gap <= NUDGE_MAX_GAP_SHARE * p.shipping.free_threshold_cents else None

    def nudged(self, *, gap: int) -> tuple[Outcome, float]:
        """Expectations of 'add `gap` more and shipping is free', and the top-up rate."""
        p = self.pricing_input
        fee = p.shipping.fee_cents
        topup = min(MAX_TOPUP_RATE, (0.25 + 0.5 * self.sensitivity) * fee / (fee + gap))
        plain = self.priced(
            item_price=p.item.list_price_cents, free_shipping=False, companion_price=None
        )
        free = self.priced(
            item_price=p.item.list_price_cents, free_shipping=True, companion_price=None
        )
        addon = gap * TOPUP_OVERSHOOT * DEFAULT_MARGIN_RATE
        return (
            Outcome(
                conversion=topup * free.conversion + (1 - topup) * plain.conversion,
                margin_cents=topup * (free.margin_cents + free.conversion * addon)
                + (1 - topup) * plain.margin_cents,
                # Free shipping above the threshold is the store's standing term, not a discount.
                discount_cents=0.0,
            ),
            topup,
        )

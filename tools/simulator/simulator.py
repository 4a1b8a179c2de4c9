"""The shopper response simulator: would this shopper buy at this price, open this message.

It answers from the demo store's hidden truth (`demo_truth.jsonl`), never from the store, so
evaluations can measure pricing policies counterfactually: the same sessions, the same
shoppers' moods, different offers. Answers are reproducible for a seed.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from sqlmodel import Session

from tools.demo_store.rng import derive_rng
from tools.demo_store.taxonomy import Taxonomy, load_taxonomy
from tools.demo_store.truth import Truth, read_truth
from tools.pricing.inputs import ShippingTerms
from tools.simulator.catalog import SimCatalog, load_catalog
from tools.simulator.exceptions import SimulatorError
from tools.simulator.response import (
    ADDON_MARGIN,
    FEE_WEIGHT,
    buy_probability,
    take_probability,
    topup_probability,
)
from tools.simulator.sessions import SimSession, Weights, draw_session
from tools.store import get_meta, has_schema

MAX_DRAWS_PER_SESSION = 5


@dataclass(frozen=True)
class Presented:
    """What a pricing policy shows in a session (prices in cents, quantity one)."""

    item_price_cents: int
    free_shipping: bool = False
    nudge: bool = False
    companion_price_cents: int | None = None


@dataclass(frozen=True)
class Response:
    """What the shopper did, and what it was worth to the store."""

    bought: bool
    companion_taken: bool
    topped_up: bool
    revenue_cents: float
    margin_cents: float
    discount_cents: float


@dataclass(frozen=True)
class Expected:
    """The expected outcome of a session over the shopper's chances."""

    conversion: float
    revenue_cents: float
    margin_cents: float
    discount_cents: float


@dataclass(frozen=True)
class _Terms:
    """A presented offer worked out for one session: chances and money per outcome."""

    buy: float
    buy_topped: float
    take: float
    topup: float
    addon_cents: float
    base_margin: float
    fee_paid: int
    companion_price: int
    discount: float


class ShopperSimulator:
    """Simulated shoppers of one demo store, answering from its hidden truth."""

    def __init__(
        self,
        *,
        truth: Truth,
        catalog: SimCatalog,
        taxonomy: Taxonomy,
        seed: int,
        shipping: ShippingTerms | None = None,
    ) -> None:
        self.truth = truth
        self.catalog = catalog
        self.seed = seed
        self.shipping = shipping or ShippingTerms()
        self._weights = Weights(catalog, taxonomy)
        self._categories = catalog.categories()

    @classmethod
    def open(
        cls, *, engine: Engine, truth_path: Path, seed: int, shipping: ShippingTerms | None = None
    ) -> ShopperSimulator:
        """The simulator of the store at `engine`, whose truth file is `truth_path`."""
        truth = load_store_truth(engine=engine, truth_path=truth_path)
        taxonomy = load_taxonomy()
        catalog = load_catalog(engine, taxonomy=taxonomy, seed=seed)
        if not catalog.items:
            raise SimulatorError("the store has no demo products with a unit cost to simulate")
        return cls(truth=truth, catalog=catalog, taxonomy=taxonomy, seed=seed, shipping=shipping)

    def session(self, shopper_id: str, number: int) -> SimSession | None:
        """A shopper's `number`-th simulated session (the same every time)."""
        taste = self.truth.tastes.get(shopper_id)
        if taste is None:
            raise SimulatorError(f"shopper {shopper_id!r} is not in the demo truth")
        return draw_session(
            seed=self.seed,
            taste=taste,
            number=number,
            weights=self._weights,
            categories=self._categories,
        )

    def sessions(self, count: int) -> list[SimSession]:
        """`count` sessions of shoppers drawn in proportion to their activity."""
        ids = sorted(self.truth.tastes)
        if not ids:
            raise SimulatorError("the demo truth has no shoppers")
        rng = derive_rng(self.seed, "simulator", "shoppers")
        cumulative = list(itertools.accumulate(self.truth.tastes[i].activity for i in ids))
        seen: Counter[str] = Counter()
        out: list[SimSession] = []
        for _ in range(count * MAX_DRAWS_PER_SESSION):
            if len(out) == count:
                break
            shopper_id = rng.choices(ids, cum_weights=cumulative)[0]
            seen[shopper_id] += 1
            drawn = self.session(shopper_id, seen[shopper_id] - 1)
            if drawn is not None:
                out.append(drawn)
        return out

    def taste_weights(self, shopper_id: str, category: str) -> list[float]:
        """The generator's taste weight of each of the category's items for this shopper."""
        cumulative = self._weights.cumulative(self.truth.tastes[shopper_id], category)
        return [float(w) for w in np.diff(cumulative, prepend=0.0)]

    def respond(self, session: SimSession, presented: Presented) -> Response:
        """What the shopper does when shown `presented` (fixed by the session's draws)."""
        terms = self._terms(session, presented)
        draws = session.draws
        topped = draws.topup < terms.topup
        bought = draws.buy < (terms.buy_topped if topped else terms.buy)
        if not bought:
            return Response(False, False, False, 0.0, 0.0, 0.0)
        taken = session.companion is not None and draws.take < terms.take
        addon = terms.addon_cents * (1.0 + 0.4 * draws.topup_size) if topped else 0.0
        revenue, margin, discount = self._money(session, presented, terms, taken=taken, addon=addon)
        return Response(True, taken, topped, revenue, margin, discount)

    def expected(self, session: SimSession, presented: Presented) -> Expected:
        """The expected outcome over the shopper's chances."""
        terms = self._terms(session, presented)
        q = terms.topup
        addon = terms.addon_cents * 1.2
        plain = self._money(session, presented, terms, taken=False, addon=0.0)
        with_take = self._money(session, presented, terms, taken=True, addon=0.0)
        topped = self._money(session, presented, terms, taken=False, addon=addon)
        take = terms.take if session.companion is not None else 0.0
        values = []
        for k in range(3):
            untopped = plain[k] + take * (with_take[k] - plain[k])
            full = topped[k] + take * (with_take[k] - plain[k])
            values.append((1 - q) * terms.buy * untopped + q * terms.buy_topped * full)
        conversion = (1 - q) * terms.buy + q * terms.buy_topped
        return Expected(conversion, values[0], values[1], values[2])

    def buy_chance(self, session: SimSession, presented: Presented) -> float:
        """P(the order is bought) when shown `presented`."""
        terms = self._terms(session, presented)
        return (1 - terms.topup) * terms.buy + terms.topup * terms.buy_topped

    def would_buy(
        self, session: SimSession, *, price_cents: int, free_shipping: bool = False
    ) -> bool:
        """Whether the shopper buys the session's item at this price."""
        presented = Presented(item_price_cents=price_cents, free_shipping=free_shipping)
        return self.respond(session, presented).bought

    def would_open(self, session: SimSession, *, channel: str) -> bool:
        """Whether the shopper opens a message on this channel in this session."""
        taste = self.truth.tastes[session.shopper_id]
        return session.draws.open < taste.open_rates.get(channel, 0.0)

    def _fee(self, session: SimSession, order_cents: int) -> int:
        terms = self.shipping
        if session.fulfilment != "ship" or order_cents >= terms.free_threshold_cents:
            return 0
        return terms.fee_cents

    def _terms(self, session: SimSession, presented: Presented) -> _Terms:
        taste = self.truth.tastes[session.shopper_id]
        cart = sum(item.list_price_cents for item in session.cart)
        list_price = session.item.list_price_cents
        fee_ref = self._fee(session, cart + list_price)
        fee_paid = 0 if presented.free_shipping else fee_ref
        whole = cart + list_price + fee_ref
        saving = (
            list_price - presented.item_price_cents + FEE_WEIGHT * (fee_ref - fee_paid)
        ) / whole
        gap = self.shipping.free_threshold_cents - cart - list_price
        nudged = presented.nudge and fee_paid > 0 and gap > 0
        topup = topup_probability(taste, fee_cents=fee_paid, gap_cents=gap) if nudged else 0.0
        topped_saving = saving + FEE_WEIGHT * fee_paid / whole
        companion = session.companion
        companion_price = presented.companion_price_cents or (
            companion.list_price_cents if companion else 0
        )
        take = 0.0
        if companion is not None:
            take = take_probability(
                taste, discount=1.0 - companion_price / companion.list_price_cents
            )
        return _Terms(
            buy=buy_probability(taste, base=session.base_buy, saving=saving),
            buy_topped=buy_probability(taste, base=session.base_buy, saving=topped_saving),
            take=take,
            topup=topup,
            addon_cents=float(max(gap, 0)),
            base_margin=float(sum(i.margin_cents for i in session.cart)),
            fee_paid=fee_paid,
            companion_price=companion_price,
            discount=float(
                list_price
                - presented.item_price_cents
                + (fee_ref if presented.free_shipping else 0)
            ),
        )

    def _money(
        self, session: SimSession, presented: Presented, terms: _Terms, *, taken: bool, addon: float
    ) -> tuple[float, float, float]:
        """(revenue, contribution margin, discount spend) of a bought order."""
        item = session.item
        fee = 0 if addon > 0 else terms.fee_paid
        ship_cost = self.shipping.cost_cents if session.fulfilment == "ship" else 0
        revenue = (
            sum(i.list_price_cents for i in session.cart) + presented.item_price_cents + fee + addon
        )
        margin = (
            terms.base_margin + presented.item_price_cents - item.unit_cost_cents + fee - ship_cost
        )
        margin += addon * ADDON_MARGIN
        discount = terms.discount
        if taken and session.companion is not None:
            revenue += terms.companion_price
            margin += terms.companion_price - session.companion.unit_cost_cents
            discount += session.companion.list_price_cents - terms.companion_price
        return revenue, margin, discount


def load_store_truth(*, engine: Engine, truth_path: Path) -> Truth:
    """The truth file of the demo store at `engine`, checked to belong to it."""
    if not truth_path.is_file():
        raise SimulatorError(f"no demo truth at {truth_path}: run `concierge init` first")
    if not has_schema(engine):
        raise SimulatorError("no store found: run `concierge init` first")
    with Session(engine) as session:
        expected = get_meta(session, "demo_truth_sha256")
    if expected is None:
        raise SimulatorError("the store was not built by the demo generator: run `concierge init`")
    actual = hashlib.sha256(truth_path.read_bytes()).hexdigest()
    if actual != expected:
        raise SimulatorError(f"{truth_path} is the truth of another store: run `concierge init`")
    return read_truth(truth_path)

"""What a reply may state: the products, prices and offers of the turn's approved, executed actions.

A product is grounded when an approved action names it; its list price when it is the price the
approving decision's facts held; a quoted price when an approved quote carries it. `ungrounded`
finds what a reply (templated or phrased by an LLM) says beyond that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from agents.candidates import Candidate
from orchestrator.state import ExecutionRecord, Judgement, TurnState
from policies.actions import HoldInventory, QuoteOffer, SendMessage, ShowRecommendations

DONE = frozenset({"applied", "replayed", "waiting"})
MONEY = re.compile(r"\$\s?(\d[\d,]*\.\d{2})")


class Grounding(BaseModel):
    """The approved facts of one turn, by kind."""

    model_config = ConfigDict(frozen=True)

    shown: tuple[Candidate, ...] = ()
    quotes: tuple[tuple[QuoteOffer, int], ...] = ()
    holds: tuple[tuple[HoldInventory, ExecutionRecord], ...] = ()
    messages: tuple[tuple[SendMessage, ExecutionRecord], ...] = ()
    message_skus: tuple[str, ...] = ()
    refused: tuple[Judgement, ...] = ()
    titles: dict[str, str] = {}

    def prices(self) -> set[int]:
        """Every price in cents the reply may state."""
        found = {c.list_price_cents for c in self.shown}
        for quote, list_price in self.quotes:
            found.update({quote.price_cents, list_price})
        return found


def money(cents: int, symbol: str = "$") -> str:
    """Cents as the reply writes them: $1,234.50."""
    return f"{symbol}{cents / 100:,.2f}"


def ground(state: TurnState) -> Grounding:
    """The grounding of a turn from its judgements and executions."""
    executed = {e.key: e for e in state.get("executed", [])}
    known = _catalog(state)
    shown: list[Candidate | None] = []
    quotes, holds, messages, refused = [], [], [], []
    message_skus: list[str] = []
    for j in state.get("judgements", []):
        done = executed.get(j.key)
        action = j.decision.action
        if not j.decision.executable or done is None or done.status not in DONE:
            refused.append(j)
            continue
        prices = j.list_prices
        if isinstance(action, ShowRecommendations):
            shown.extend(_priced(known, item.sku, prices) for item in action.items)
        elif isinstance(action, QuoteOffer):
            quotes.append((action, prices.get(action.sku, action.price_cents)))
        elif isinstance(action, HoldInventory):
            holds.append((action, done))
        elif isinstance(action, SendMessage):
            messages.append((action, done))
            message_skus.extend(j.proposal.skus)
    titles = {c.sku: c.title for c in known.values()}
    for c in state.get("out_of_stock", []):
        titles.setdefault(c.sku, c.title)
    return Grounding(
        shown=tuple(c for c in shown if c is not None),
        quotes=tuple(quotes),
        holds=tuple(holds),
        messages=tuple(messages),
        message_skus=tuple(message_skus),
        refused=tuple(refused),
        titles=titles,
    )


def approved_skus(grounding: Grounding) -> set[str]:
    """Every product an approved action of the turn names."""
    skus = {c.sku for c in grounding.shown}
    skus.update(q.sku for q, _ in grounding.quotes)
    skus.update(h.sku for h, _ in grounding.holds)
    skus.update(grounding.message_skus)
    return skus


def ungrounded(text: str, grounding: Grounding, *, catalog: Iterable[Candidate] = ()) -> list[str]:
    """Prices and product titles in `text` that no approved action of the turn backs."""
    allowed = {money(c) for c in grounding.prices()}
    problems = [
        f"price {m.group(0)}" for m in MONEY.finditer(text) if _norm(m.group(0)) not in allowed
    ]
    approved = approved_skus(grounding)
    for product in catalog:
        if product.sku not in approved and product.title and product.title in text:
            problems.append(f"product {product.sku}")
    return problems


def _norm(amount: str) -> str:
    return amount.replace(" ", "")


def _catalog(state: TurnState) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    stock = state.get("stock")
    pools: list[Iterable[Candidate]] = [state.get("shown", []), state.get("candidates", [])]
    if stock is not None:
        pools.append(stock.shown)
    for pool in pools:
        for c in pool:
            found[c.sku] = c
    return found


def _priced(known: dict[str, Candidate], sku: str, prices: dict[str, int]) -> Candidate | None:
    candidate = known.get(sku)
    if candidate is None or sku not in prices:
        return None
    return candidate.model_copy(update={"list_price_cents": prices[sku]})

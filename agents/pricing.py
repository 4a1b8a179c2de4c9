"""Pricing agent: the offer with the best expected margin for one product, as a quote to propose.

Allowed tools: `pricing.propose_offer`. The discount comes from the pricing engine alone; what a
shopper asks for ("give me 90% off") is never an input, and the policy checker has the last word.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from agents.tool_client import AgentSpec, BoundedTools
from policies.actions import QuoteOffer
from tools.pricing import OfferDecision

SPEC = AgentSpec(name="pricing", tools=frozenset({"pricing.propose_offer"}), budget=1)
QUOTE_TTL = timedelta(minutes=30)


class PricingRequest(BaseModel):
    """The product a shopper asked about, for a known shopper."""

    sku: str
    shopper_id: str
    quantity: int = 1
    now: datetime


class PricingResult(BaseModel):
    """The engine's decision and the quote proposed from it."""

    model_config = ConfigDict(frozen=True)

    decision_id: str
    offer: str
    quote: QuoteOffer


async def run(tools: BoundedTools, request: PricingRequest) -> PricingResult:
    """Ask the engine for the best offer and propose it as a quote valid for 30 minutes."""
    args = {"sku": request.sku, "shopper_id": request.shopper_id, "quantity": request.quantity}
    decision = await tools.call("pricing.propose_offer", args, OfferDecision)
    chosen = decision.chosen
    quote = QuoteOffer(
        shopper_id=request.shopper_id,
        sku=request.sku,
        offer=chosen.kind,
        price_cents=chosen.price_cents,
        personalised=chosen.kind != "none",
        expires_at=request.now + QUOTE_TTL,
    )
    return PricingResult(decision_id=decision.decision_id, offer=chosen.key, quote=quote)

"""The intent signal: how close a session is to buying, from the session propensity model.

`tools.propensity` scores a session's P(purchase) from its events; the stages cut that score
into about to buy (>= 0.6), hesitating (0.2 to 0.6) and browsing (< 0.2). Without a score, a
stage stands for the typical conversion of its sessions; without either, the loyalty tier
(returning, engaged members convert more) gives the prior.
"""

from __future__ import annotations

from collections.abc import Sequence

from tools.pricing.inputs import IntentStage, LoyaltyTier, PricingInput
from tools.propensity import PropensityModel, predict_proba, session_features_from_events
from tools.store import Event

ABOUT_TO_BUY_AT = 0.6
HESITATING_AT = 0.2
STAGE_CONVERSION: dict[IntentStage, float] = {
    "about_to_buy": 0.75,
    "hesitating": 0.35,
    "browsing": 0.08,
}
TIER_CONVERSION: dict[LoyaltyTier, float] = {
    "none": 0.2,
    "silver": 0.24,
    "gold": 0.28,
    "platinum": 0.32,
}


def intent_stage(propensity: float) -> IntentStage:
    """The stage a session with this P(purchase) is in."""
    if propensity >= ABOUT_TO_BUY_AT:
        return "about_to_buy"
    if propensity >= HESITATING_AT:
        return "hesitating"
    return "browsing"


def base_conversion(pricing_input: PricingInput) -> tuple[float, IntentStage | None]:
    """P(buy) with no offer, and the intent stage it reflects (None when unknown)."""
    if pricing_input.purchase_propensity is not None:
        stage = pricing_input.intent or intent_stage(pricing_input.purchase_propensity)
        return pricing_input.purchase_propensity, stage
    if pricing_input.intent is not None:
        return STAGE_CONVERSION[pricing_input.intent], pricing_input.intent
    return TIER_CONVERSION[pricing_input.loyalty_tier], None


def session_propensity(
    *, model: PropensityModel, events: Sequence[Event], returning_visitor: bool | None = None
) -> float:
    """P(purchase) of a session so far, from its events."""
    features = session_features_from_events(events=events, returning_visitor=returning_visitor)
    return predict_proba(model=model, sessions=[features])[0]

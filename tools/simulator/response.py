"""How simulated shoppers respond: the simulator's ground truth, from the demo store's tastes.

Per session the shopper is in one stage: about to buy (share 0.5 x buy propensity), hesitating
(0.45) or browsing (the rest). With no offer the order is bought with the stage's base chance:
0.85, 0.75 x buy propensity (the generator's cart-then-checkout rate), 0.25 x buy propensity.
An offer multiplies it as the generator's own discount response does (`history._intent`):
min(0.95, base x (1 + 4 x price_sensitivity x saving)), where saving is the share of the
order's price the shopper sees taken off, a waived shipping fee counting `FEE_WEIGHT` times
(the free-shipping threshold is judged on the order at list prices, as the store does).
A companion item shown beside the order is taken with min(0.95, 0.12 x (1 + 4 x s x its
discount)). Told "add $gap for free shipping", the shopper tops up with chance
min(0.9, (0.3 + 0.6 s) x fee / (fee + gap)), adding 1.0 to 1.4 times the gap at `ADDON_MARGIN`.
A message on a channel is opened with the shopper's open rate for it.
"""

from __future__ import annotations

import math
from typing import Literal

from tools.demo_store.tastes import Taste

Stage = Literal["about_to_buy", "hesitating", "browsing"]

DISCOUNT_RESPONSE = 4.0
MAX_BUY = 0.95
FEE_WEIGHT = 2.0
COMPANION_TAKE = 0.12
ADDON_MARGIN = 0.35
ABOUT_TO_BUY_BASE = 0.85
HESITATING_FACTOR = 0.75
BROWSING_FACTOR = 0.25


def stage_of(taste: Taste, u: float) -> Stage:
    """The session's stage for a uniform draw `u`."""
    ready = 0.5 * taste.buy_propensity
    if u < ready:
        return "about_to_buy"
    return "hesitating" if u < ready + 0.45 else "browsing"


def base_buy(taste: Taste, stage: Stage) -> float:
    """P(buy the order) with no offer."""
    if stage == "about_to_buy":
        return ABOUT_TO_BUY_BASE
    if stage == "hesitating":
        return HESITATING_FACTOR * taste.buy_propensity
    return BROWSING_FACTOR * taste.buy_propensity


def buy_probability(taste: Taste, *, base: float, saving: float) -> float:
    """P(buy) after an offer the shopper sees as taking `saving` (0..1) off."""
    lift = 1.0 + DISCOUNT_RESPONSE * taste.price_sensitivity * max(0.0, saving)
    return min(MAX_BUY, base * lift)


def take_probability(taste: Taste, *, discount: float) -> float:
    """P(take the companion item) at this discount off its list price."""
    lift = 1.0 + DISCOUNT_RESPONSE * taste.price_sensitivity * max(0.0, discount)
    return min(MAX_BUY, COMPANION_TAKE * lift)


def topup_probability(taste: Taste, *, fee_cents: int, gap_cents: int) -> float:
    """P(spend `gap_cents` more to ship free) when told how far the threshold is."""
    if fee_cents <= 0 or gap_cents <= 0:
        return 0.0
    return min(0.9, (0.3 + 0.6 * taste.price_sensitivity) * fee_cents / (fee_cents + gap_cents))


def observed_propensity(base: float, noise: float) -> float:
    """What a session-propensity model would read: the true chance, blurred in log-odds."""
    p = min(0.99, max(0.01, base))
    logit = math.log(p / (1.0 - p)) + noise
    return 1.0 / (1.0 + math.exp(-logit))

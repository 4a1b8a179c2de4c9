"""Interest per item: a shopper's events summed by sku, weighted by kind and recency."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tools.profiles.events import EventWeights, ShopperEvent
from tools.store.vocab import EventKind

SECONDS_PER_DAY = 86_400.0
VIEW, PURCHASE, RETURN = EventKind.VIEW.value, EventKind.PURCHASE.value, EventKind.RETURN.value


@dataclass
class Interest:
    """What a shopper did with one sku: weighted interest and counts by kind."""

    sku: str
    weight: float = 0.0
    events: int = 0
    views: int = 0
    purchases: int = 0
    returns: int = 0
    last_at: datetime | None = None

    @property
    def bought(self) -> bool:
        """Whether the shopper bought the sku (and kept at least one)."""
        return self.purchases > self.returns


def decay(age_seconds: float, half_life_days: float) -> float:
    """Weight of an event `age_seconds` old: halves every `half_life_days` (no decay if <= 0)."""
    if half_life_days <= 0:
        return 1.0
    return math.pow(0.5, max(0.0, age_seconds) / (half_life_days * SECONDS_PER_DAY))


def reference_time(events: Iterable[ShopperEvent]) -> datetime | None:
    """The latest event's time: recency is measured back from it, so results don't drift."""
    return max((e.occurred_at for e in events), default=None)


def interests(
    events: Sequence[ShopperEvent],
    *,
    weights: EventWeights,
    half_life_days: float,
    reference: datetime | None = None,
) -> dict[str, Interest]:
    """Interest by sku over item events, in sku order."""
    reference = reference or reference_time(events)
    found: dict[str, Interest] = {}
    for event in events:
        if event.sku is None:
            continue
        entry = found.setdefault(event.sku, Interest(sku=event.sku))
        age = (reference - event.occurred_at).total_seconds() if reference else 0.0
        entry.weight += weights.of(event.kind) * decay(age, half_life_days)
        entry.events += 1
        entry.views += event.kind == VIEW
        entry.purchases += event.kind == PURCHASE
        entry.returns += event.kind == RETURN
        if entry.last_at is None or event.occurred_at > entry.last_at:
            entry.last_at = event.occurred_at
    return {sku: found[sku] for sku in sorted(found)}

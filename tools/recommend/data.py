"""What recommenders learn from and are asked about: training data, and a shopper's query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import numpy as np

from tools.profiles import EventWeights, ShopperEvent
from tools.profiles.interest import decay
from tools.recommend.catalog import Catalog, FloatArray, IntArray

T = TypeVar("T")
HALF_LIFE_DAYS = 60.0  # a touch counts half after two months (back from the latest one)


@dataclass(frozen=True, slots=True)
class Touch:
    """One interaction of the shopper with an item: its weight, when, and what kind."""

    sku: str
    weight: float
    at: datetime | None = None
    kind: str = "view"


@dataclass(frozen=True)
class Query:
    """Whom to recommend for: their touches (oldest first) and the segments they belong to."""

    touches: tuple[Touch, ...] = ()
    shopper_id: str | None = None
    tier: str | None = None
    device: str | None = None
    _decayed: dict[float, dict[str, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _memo: dict[object, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """A value derived from this query, computed once (e.g. a model's query vector)."""
        if key not in self._memo:
            self._memo[key] = compute()
        found: T = self._memo[key]
        return found

    def reference(self) -> datetime | None:
        """The latest touch's time: recency counts back from it, so answers do not drift."""
        return max((t.at for t in self.touches if t.at is not None), default=None)

    def decayed(self, half_life_days: float = HALF_LIFE_DAYS) -> Mapping[str, float]:
        """Summed, recency-decayed weight per touched sku (computed once per half-life)."""
        found = self._decayed.get(half_life_days)
        if found is None:
            reference = self.reference()
            totals: dict[str, float] = defaultdict(float)
            for touch in self.touches:
                age = (reference - touch.at).total_seconds() if reference and touch.at else 0.0
                totals[touch.sku] += touch.weight * decay(age, half_life_days)
            found = self._decayed[half_life_days] = dict(totals)
        return found

    def weighted(
        self, positions: Mapping[str, int], *, half_life_days: float = HALF_LIFE_DAYS
    ) -> tuple[IntArray, FloatArray]:
        """Positions of the touched items and their summed, recency-decayed weights.

        Computed once per (catalog numbering, half-life): every source asks for it.
        """
        key = ("weighted", id(positions), half_life_days)
        found = self._memo.get(key)
        if found is None or found[0] is not positions:
            found = self._memo[key] = (positions, self._weighted(positions, half_life_days))
        weighted: tuple[IntArray, FloatArray] = found[1]
        return weighted

    def _weighted(
        self, positions: Mapping[str, int], half_life_days: float
    ) -> tuple[IntArray, FloatArray]:
        totals = {
            at: weight
            for sku, weight in self.decayed(half_life_days).items()
            if (at := positions.get(sku)) is not None
        }
        keys = sorted(totals)
        found = np.array(keys, dtype=np.int64), np.array([totals[k] for k in keys])
        for array in found:
            array.setflags(write=False)  # shared by every caller of this query
        return found

    def seen(self) -> set[str]:
        """Every sku the shopper touched."""
        return {t.sku for t in self.touches}


def touches_of(events: Sequence[ShopperEvent], weights: EventWeights) -> tuple[Touch, ...]:
    """The item events as touches (searches have no item and are left out)."""
    return tuple(
        Touch(sku=e.sku, weight=weights.of(e.kind), at=e.occurred_at, kind=e.kind)
        for e in events
        if e.sku is not None and weights.of(e.kind) != 0
    )


@dataclass(frozen=True)
class TrainingData:
    """Everything a recommender is fitted on: the catalog and the events it may learn from."""

    catalog: Catalog
    events: Sequence[ShopperEvent]
    tiers: Mapping[str, str] = field(default_factory=dict)
    weights: EventWeights = field(default_factory=EventWeights)

    def by_shopper(self) -> dict[str, list[ShopperEvent]]:
        """Each known shopper's events, oldest first, in shopper-id order."""
        found: dict[str, list[ShopperEvent]] = defaultdict(list)
        for event in self.events:
            if event.shopper_id is not None:
                found[event.shopper_id].append(event)
        return {s: found[s] for s in sorted(found)}

    def queries(self) -> dict[str, Query]:
        """The query of every known shopper, from all their events."""
        return {
            shopper: query_of(
                events, shopper_id=shopper, tier=self.tiers.get(shopper), weights=self.weights
            )
            for shopper, events in self.by_shopper().items()
        }


def query_of(
    events: Sequence[ShopperEvent],
    *,
    shopper_id: str | None = None,
    tier: str | None = None,
    weights: EventWeights = EventWeights(),
) -> Query:
    """A shopper's query from their events; their device is the one they used most."""
    devices: dict[str, int] = defaultdict(int)
    for event in events:
        devices[event.device] += 1
    device = min(devices, key=lambda d: (-devices[d], d)) if devices else None
    return Query(
        touches=touches_of(events, weights), shopper_id=shopper_id, tier=tier, device=device
    )

"""Popularity by segment: what shoppers like this one interact with most, lately.

Counts are weighted by event kind (purchases most) and halve every `half_life_days` back
from the latest training event. Segments: `department` (the item's popularity within its
department, times the shopper's share of interest in that department), `tier` (loyalty
tier), `device`, or `none` (plain popularity). A small `blend` of plain popularity orders
what the segment says nothing about.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Literal, Self

import numpy as np

from tools.profiles.interest import decay
from tools.recommend.base import Recommender, Scored, best_of, check_k, member
from tools.recommend.catalog import FloatArray, IntArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.storage import read_document, read_model, write_model

Segment = Literal["none", "department", "tier", "device"]


class PopularityRecommender(Recommender):
    """Most popular items, overall or within the shopper's segment."""

    kind = "popularity"

    def __init__(
        self, *, segment: Segment = "department", half_life_days: float = 60.0, blend: float = 0.05
    ) -> None:
        super().__init__()
        self.segment: Segment = segment
        self.half_life_days = half_life_days
        self.blend = blend
        self._overall: FloatArray = np.zeros(0)
        self._department_of: IntArray = np.zeros(0, dtype=np.int64)
        self._within: FloatArray = np.zeros(0)
        self._segments: dict[str, FloatArray] = {}
        self._departments: tuple[str, ...] = ()
        self._leading: tuple[list[IntArray], IntArray] | None = None

    def fit(self, data: TrainingData) -> None:
        """Count weighted, decayed interactions overall, per department and per segment."""
        catalog = data.catalog
        n = len(catalog)
        latest = max((e.occurred_at for e in data.events), default=None)
        overall = np.zeros(n)
        segments: dict[str, FloatArray] = {}
        devices = (
            {s: q.device for s, q in data.queries().items()} if self.segment == "device" else {}
        )
        for event in data.events:
            at = None if event.sku is None else catalog.position(event.sku)
            weight = max(0.0, data.weights.of(event.kind))
            if at is None or weight == 0 or latest is None:
                continue
            weight *= decay((latest - event.occurred_at).total_seconds(), self.half_life_days)
            overall[at] += weight
            name = self._segment_of(event.shopper_id, data, devices)
            if name is not None:
                segments.setdefault(name, np.zeros(n))[at] += weight
        self._department_of = catalog.department_of.copy()
        self._departments = catalog.departments
        self._store(overall, segments)
        self._set_items(catalog.skus)

    def _segment_of(
        self, shopper_id: str | None, data: TrainingData, devices: dict[str, str | None]
    ) -> str | None:
        if shopper_id is None:
            return None
        if self.segment == "tier":
            return data.tiers.get(shopper_id)
        if self.segment == "device":
            return devices.get(shopper_id)
        return None

    def _store(self, overall: FloatArray, segments: dict[str, FloatArray]) -> None:
        self._leading = None
        total = overall.sum()
        self._overall = overall / total if total > 0 else overall
        per_department = np.bincount(self._department_of, weights=overall)
        denominators = per_department[self._department_of]
        self._within = np.divide(
            overall, denominators, out=np.zeros_like(overall), where=denominators > 0
        )
        self._segments = {
            name: counts / counts.sum() for name, counts in sorted(segments.items()) if counts.sum()
        }

    def _department_shares(self, query: Query) -> FloatArray:
        positions, weights = query.weighted(self._positions)
        size = int(self._department_of.max(initial=-1)) + 1
        counts = np.bincount(self._department_of[positions], weights=weights, minlength=size)
        shares: FloatArray = np.clip(counts.astype(np.float64), 0.0, None)
        total = shares.sum()
        return shares / total if total > 0 else shares

    def _mix(self, segment: FloatArray | None) -> FloatArray:
        if segment is None or not segment.any():
            return self._overall.copy()
        return (1.0 - self.blend) * segment + self.blend * self._overall

    def _leaders(self) -> tuple[list[IntArray], IntArray]:
        """Per department, and overall, positions by popularity (ties by position)."""
        if self._leading is None:
            order = np.lexsort((np.arange(self._within.size), -self._within, self._department_of))
            cuts = np.flatnonzero(np.diff(self._department_of[order])) + 1
            per: list[IntArray] = [np.zeros(0, dtype=np.int64)] * len(self._departments)
            for block in np.split(order, cuts) if order.size else []:
                per[int(self._department_of[block[0]])] = block
            overall = np.lexsort((np.arange(self._overall.size), -self._overall))
            self._leading = (per, overall)
        return self._leading

    def popular_in(
        self,
        departments: Mapping[str, float],
        *,
        k: int,
        exclude: Collection[str] = (),
        items: Collection[str] | None = None,
    ) -> list[Scored]:
        """The k most popular items of these departments, weighted by each one's share.

        Scores are those of the department segment; only each department's leaders are
        looked at, which gives the same answer as scoring every item.
        """
        check_k(k)
        self._require_fitted()
        codes = {name: i for i, name in enumerate(self._departments)}
        shares = np.zeros(len(self._departments))
        for name, share in departments.items():
            if name in codes:
                shares[codes[name]] = max(0.0, share)
        if shares.sum() > 0:
            shares /= shares.sum()
        banned = np.array(self._positions_of(exclude), dtype=np.int64)
        if items is not None:
            allowed = np.unique(np.array(self._positions_of(items), dtype=np.int64))
        else:
            per, overall = self._leaders()
            depth = k + banned.size
            parts = [per[d][:depth] for d in np.flatnonzero(shares)] + [overall[:depth]]
            allowed = np.unique(np.concatenate(parts))
        segment = shares[self._department_of[allowed]] * self._within[allowed]
        if shares.any():
            scores = (1.0 - self.blend) * segment + self.blend * self._overall[allowed]
        else:
            scores = self._overall[allowed]
        keep = ~member(allowed, banned)
        found = best_of(allowed[keep], scores[keep], k)
        lookup = dict(zip(allowed.tolist(), scores.tolist(), strict=True))
        return [Scored(self._skus[i], lookup[int(i)]) for i in found]

    def _scores(self, query: Query) -> FloatArray:
        segment: FloatArray | None = None
        if self.segment == "department":
            segment = self._department_shares(query)[self._department_of] * self._within
        elif self.segment in ("tier", "device"):
            name = query.tier if self.segment == "tier" else query.device
            segment = self._segments.get(name or "")
        return self._mix(segment)

    def _similar_scores(self, position: int) -> FloatArray:
        same = self._department_of == self._department_of[position]
        return np.where(same, self._within, -np.inf)

    def save(self, directory: Path) -> None:
        """Write the counts and segment tables."""
        names = sorted(self._segments)
        write_model(
            directory,
            kind=self.kind,
            params={
                "segment": self.segment,
                "half_life_days": self.half_life_days,
                "blend": self.blend,
            },
            skus=self._skus,
            arrays={
                "overall": self._overall,
                "department_of": self._department_of,
                "within": self._within,
                "segments": np.array([self._segments[s] for s in names]).reshape(
                    len(names), len(self._skus)
                ),
            },
            extra={"segments": names, "departments": list(self._departments)},
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read a saved popularity model."""
        params, skus, arrays = read_model(directory, kind=cls.kind)
        model = cls(**params)
        model._overall = arrays["overall"]
        model._department_of = arrays["department_of"]
        model._within = arrays["within"]
        names = read_document(directory, "segments")
        model._segments = {name: arrays["segments"][i] for i, name in enumerate(names)}
        model._departments = tuple(read_document(directory, "departments"))
        model._set_items(skus)
        return model

"""Lookalike shoppers: those whose taste vectors lie closest, and the affinities they share.

Used for cold start: a shopper with little history borrows the department and brand
affinities of the shoppers most like what little they (or their session) showed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tools.profiles.items import Vector
from tools.profiles.model import Affinity

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Neighbour:
    """A similar shopper and how similar (cosine of taste vectors)."""

    shopper_id: str
    similarity: float


@dataclass(frozen=True)
class LookalikeIndex:
    """Shoppers' taste vectors (rows, in shopper-id order) and their top affinities."""

    shopper_ids: tuple[str, ...]
    vectors: Matrix
    departments: Mapping[str, Sequence[tuple[str, float]]]
    brands: Mapping[str, Sequence[tuple[str, float]]]

    def nearest(self, vector: Vector, *, k: int, exclude: str | None = None) -> list[Neighbour]:
        """The k shoppers with the closest taste (ties by shopper id)."""
        if not self.shopper_ids:
            return []
        scores = self.vectors @ vector.astype(np.float32)
        take = min(scores.size, k + 1)
        cut = np.partition(scores, scores.size - take)[scores.size - take]
        kept = np.flatnonzero(scores >= cut)
        order = kept[np.lexsort((kept, -scores[kept]))]
        found = [
            Neighbour(self.shopper_ids[i], round(float(scores[i]), 6))
            for i in order[: k + 1]
            if self.shopper_ids[i] != exclude and scores[i] > 0
        ]
        return found[:k]

    def borrowed(self, neighbours: Sequence[Neighbour]) -> tuple[list[Affinity], list[Affinity]]:
        """Department and brand affinities averaged over neighbours, weighted by similarity."""
        return (
            _merge(neighbours, self.departments),
            _merge(neighbours, self.brands),
        )


def _merge(
    neighbours: Sequence[Neighbour], table: Mapping[str, Sequence[tuple[str, float]]]
) -> list[Affinity]:
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    total = sum(n.similarity for n in neighbours)
    for n in neighbours:
        for value, score in table.get(n.shopper_id, ()):
            scores[value] += n.similarity * score / total
            counts[value] += 1
    merged = [
        Affinity(value=v, score=round(s, 4), items=counts[v], purchases=0, source="lookalikes")
        for v, s in scores.items()
    ]
    merged.sort(key=lambda a: (-a.score, a.value))
    return merged[:10]


def build_lookalikes(
    tastes: Mapping[str, Vector],
    departments: Mapping[str, Sequence[Affinity]],
    brands: Mapping[str, Sequence[Affinity]],
) -> LookalikeIndex:
    """An index over the given shoppers' taste vectors and affinities."""
    ids = tuple(sorted(tastes))
    dim = next(iter(tastes.values())).shape[0] if tastes else 0
    matrix = np.zeros((len(ids), dim), dtype=np.float32)
    for row, shopper_id in enumerate(ids):
        matrix[row] = tastes[shopper_id]
    return LookalikeIndex(
        shopper_ids=ids,
        vectors=matrix,
        departments={s: [(a.value, a.score) for a in departments.get(s, ())] for s in ids},
        brands={s: [(a.value, a.score) for a in brands.get(s, ())] for s in ids},
    )

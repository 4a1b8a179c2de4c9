"""Ranking helpers: deterministic top-N by score, and reciprocal rank fusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tools.search.postings import Rows

RRF_K = 60


def top_ranked(rows: Rows, scores: npt.NDArray[np.float32], *, depth: int) -> Rows:
    """The `depth` best `rows` by descending score; equal scores go in row (= sku) order."""
    if len(rows) > depth:
        cut = len(scores) - depth
        threshold = np.partition(scores, cut)[cut]
        keep = scores >= threshold
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))[:depth]
    ranked: Rows = rows[order].astype(np.int32, copy=False)
    return ranked


@dataclass(frozen=True, slots=True)
class Fused:
    """One row after fusion: its fused score and its 1-based rank in each input (None: absent)."""

    row: int
    score: float
    ranks: tuple[int | None, ...]


def reciprocal_rank_fusion(rankings: Sequence[Rows], *, k: int = RRF_K) -> list[Fused]:
    """Rows of several rankings by the sum of 1 / (k + rank); ties go in row order."""
    ranks: dict[int, list[int | None]] = {}
    for which, ranking in enumerate(rankings):
        for position, row in enumerate(ranking.tolist(), start=1):
            ranks.setdefault(row, [None] * len(rankings))[which] = position
    fused = [
        Fused(
            row=row,
            score=sum(1.0 / (k + rank) for rank in row_ranks if rank is not None),
            ranks=tuple(row_ranks),
        )
        for row, row_ranks in ranks.items()
    ]
    fused.sort(key=lambda item: (-item.score, item.row))
    return fused

"""Adding item-kNN evidence to the model's scores, with the weight chosen on validation.

The sequential model reads at most the last `max_len` items and ranks by what tends to come
next; item-kNN reads the whole history and ranks by what the same people bought. Their sum
(kNN scores scaled to [0, 1] per user, times a weight) is selected like an epoch: on
validation NDCG@20 only, the weight 0 (the model alone) included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from tools.sequential.protocol import Scorer, Stage, metrics_of, target_ranks

GRID = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
SELECT_ON = "NDCG@20"
Dense = npt.NDArray[np.float64]


def scaled(scores: Dense) -> Dense:
    """Each row divided by its largest value (rows without a positive value stay zero)."""
    top = scores.max(axis=1, keepdims=True)
    out: Dense = np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)
    return out


def fused(model: Scorer, knn: Scorer, weight: float) -> Scorer:
    """The model's scores plus `weight` times the scaled kNN scores."""

    def score(stage: Stage, start: int, stop: int) -> Dense:
        base = np.asarray(model(stage, start, stop), dtype=np.float64)
        if weight == 0.0:
            return base
        return base + weight * scaled(np.asarray(knn(stage, start, stop), dtype=np.float64))

    return score


def search_weight(
    model: Scorer,
    knn: Scorer,
    stage: Stage,
    grid: Sequence[float] = GRID,
    *,
    chunk: int = 1024,
) -> tuple[float, dict[float, dict[str, float]]]:
    """The weight with the best `SELECT_ON` on the stage (ties to the smaller weight), and
    every weight's metrics; each user is scored by each scorer once."""
    ranks: dict[float, list[npt.NDArray[np.int64]]] = {w: [] for w in grid}
    for start in range(0, len(stage), chunk):
        stop = min(start + chunk, len(stage))
        base = np.asarray(model(stage, start, stop), dtype=np.float64)
        extra = scaled(np.asarray(knn(stage, start, stop), dtype=np.float64))
        targets = stage.targets[start:stop]
        for weight in grid:
            scores = base + weight * extra
            stage.exclude(scores, start)
            ranks[weight].append(target_ranks(scores, targets))
    table = {w: metrics_of(np.concatenate(r)) for w, r in ranks.items()}
    best = max(grid, key=lambda w: (table[w][SELECT_ON], -w))
    return best, table

"""Baselines computed in the same run as the model: popularity and item-kNN.

Both count training interactions only (every item before the validation target), so unlike
the published PopRec row nothing of the validation or test targets leaks into them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tools.sequential.data import IntArray
from tools.sequential.protocol import Stage

Dense = npt.NDArray[np.float64]


def _user_item(sequences: Sequence[IntArray], n_items: int) -> sp.csr_matrix:
    """Users x (n_items + 1) binary matrix of who interacted with what."""
    rows = np.repeat(np.arange(len(sequences)), [s.size for s in sequences])
    cols = np.concatenate(sequences) if sequences else np.zeros(0, dtype=np.int64)
    matrix = sp.csr_matrix((np.ones(cols.size), (rows, cols)), shape=(len(sequences), n_items + 1))
    matrix.data[:] = 1.0
    return matrix


class Popularity:
    """Every user gets the items by their number of training interactions."""

    name = "popularity"

    def __init__(self, train: Sequence[IntArray], n_items: int) -> None:
        counts = np.bincount(
            np.concatenate(train) if train else np.zeros(0, dtype=np.int64),
            minlength=n_items + 1,
        )
        self.counts: Dense = counts.astype(np.float64)

    def __call__(self, stage: Stage, start: int, stop: int) -> Dense:
        """The same scores for every user."""
        return np.broadcast_to(self.counts, (stop - start, self.counts.size)).copy()


class ItemKNN:
    """Sum of cosine similarities (shrunk, top neighbours per item) to the user's history."""

    name = "item-knn"

    def __init__(
        self,
        train: Sequence[IntArray],
        n_items: int,
        *,
        neighbours: int = 100,
        shrink: float = 10.0,
    ) -> None:
        matrix = _user_item(train, n_items)
        counts = np.asarray(matrix.sum(axis=0)).ravel()
        co = (matrix.T @ matrix).tocsr().astype(np.float64)
        co.setdiag(0.0)
        co.eliminate_zeros()
        norms = np.sqrt(counts)
        coo = co.tocoo()
        values = coo.data / (norms[coo.row] * norms[coo.col] + shrink)
        sim = sp.csr_matrix((values, (coo.row, coo.col)), shape=co.shape)
        self.similarity = _keep_top(sim, neighbours)
        self.n_items = n_items

    def __call__(self, stage: Stage, start: int, stop: int) -> Dense:
        """Scores from the user's whole history before the target."""
        lo, hi = int(stage.history_ptr[start]), int(stage.history_ptr[stop])
        ptr = stage.history_ptr[start : stop + 1] - lo
        history = sp.csr_matrix(
            (np.ones(hi - lo), stage.history[lo:hi], ptr), shape=(stop - start, self.n_items + 1)
        )
        scores: Dense = np.asarray((history @ self.similarity).todense(), dtype=np.float64)
        return scores


def _keep_top(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's k largest entries (ties to the lower column)."""
    rows, cols, values = [], [], []
    for row in range(matrix.shape[0]):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        if hi == lo:
            continue
        c, v = matrix.indices[lo:hi], matrix.data[lo:hi]
        best = np.lexsort((c, -v))[:k]
        rows.append(np.full(best.size, row))
        cols.append(c[best])
        values.append(v[best])
    if not rows:
        return sp.csr_matrix(matrix.shape)
    return sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape
    )

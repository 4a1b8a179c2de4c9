"""Item-to-item co-occurrence: items that turn up together in sessions and shopper histories.

Each session and each shopper is a row of interest per item (the strongest event kind on
it). Rows are weighted down by their length (1 / log2(1 + items)), so one shopper who
browses everything does not tie all items together; shopper rows count `shopper_weight` of
a session row. Similarity is the cosine of two items' columns with a shrinkage term
(support below `shrink` is trusted less), and each item keeps its `neighbours` best.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Self

import numpy as np
import scipy.sparse as sp

from tools.recommend.base import Recommender, best_index, member
from tools.recommend.catalog import FloatArray, IntArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.storage import read_model, write_model


def _rows(data: TrainingData, shopper_weight: float) -> sp.csr_matrix:
    """Sessions and shoppers by items: the strongest event weight, length-normalised."""
    cells: dict[tuple[str, int], float] = defaultdict(float)
    for event in data.events:
        at = None if event.sku is None else data.catalog.position(event.sku)
        weight = data.weights.of(event.kind)
        if at is None or weight <= 0:
            continue
        for row in (f"s:{event.session_id}", f"u:{event.shopper_id}" if event.shopper_id else ""):
            if row:
                cells[row, at] = max(cells[row, at], weight)
    names = sorted({row for row, _ in cells})
    index = {name: i for i, name in enumerate(names)}
    keys = sorted(cells)
    rows = np.fromiter((index[r] for r, _ in keys), dtype=np.int64, count=len(keys))
    cols = np.fromiter((c for _, c in keys), dtype=np.int64, count=len(keys))
    values = np.fromiter((cells[k] for k in keys), dtype=np.float64, count=len(keys))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(names), len(data.catalog)))
    lengths = np.diff(matrix.indptr).astype(np.float64)
    scale = 1.0 / np.log2(1.0 + np.maximum(lengths, 1.0))
    scale *= np.array([shopper_weight if n.startswith("u:") else 1.0 for n in names])
    return sp.csr_matrix(sp.diags(scale) @ matrix)


def _prune(similar: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep each row's `keep` largest entries (ties to the lower column)."""
    rows, cols, values = [], [], []
    for r in range(similar.shape[0]):
        start, stop = similar.indptr[r], similar.indptr[r + 1]
        idx, val = similar.indices[start:stop], similar.data[start:stop]
        order = np.lexsort((idx, -val))[:keep]
        rows.append(np.full(order.size, r, dtype=np.int64))
        cols.append(idx[order])
        values.append(val[order])
    if not rows:
        return similar
    pruned = sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=similar.shape,
    )
    pruned.sort_indices()
    return pruned


class CooccurrenceRecommender(Recommender):
    """Items that co-occur with what the shopper touched (cosine, length-normalised)."""

    kind = "cooccurrence"

    def __init__(
        self, *, neighbours: int = 100, shrink: float = 1.0, shopper_weight: float = 0.5
    ) -> None:
        super().__init__()
        self.neighbours = neighbours
        self.shrink = shrink
        self.shopper_weight = shopper_weight
        self._similar: sp.csr_matrix = sp.csr_matrix((0, 0))

    def fit(self, data: TrainingData) -> None:
        """Item-item cosine similarities from co-occurrence in sessions and histories."""
        rows = _rows(data, self.shopper_weight)
        gram = sp.csr_matrix(rows.T @ rows)
        norms = np.sqrt(gram.diagonal())
        gram.setdiag(0.0)
        gram.eliminate_zeros()
        coo = gram.tocoo()
        coo.data = coo.data / (norms[coo.row] * norms[coo.col] + self.shrink)
        self._similar = _prune(sp.csr_matrix(coo), self.neighbours)
        self._set_items(data.catalog.skus)

    def _weighted(self, query: Query) -> tuple[np.ndarray, FloatArray]:
        positions, weights = query.weighted(self._positions)
        keep = weights > 0
        return positions[keep], weights[keep]

    def _neighbours(self, query: Query) -> tuple[IntArray, IntArray, FloatArray]:
        """Every (touched row, neighbour, weighted similarity) entry, gathered once per query."""

        def gather() -> tuple[IntArray, IntArray, FloatArray]:
            positions, weights = self._weighted(query)
            m = self._similar
            starts, stops = m.indptr[positions], m.indptr[positions + 1]
            rows = np.repeat(np.arange(positions.size), stops - starts)
            if rows.size == 0:
                return rows, np.zeros(0, dtype=np.int64), np.zeros(0)
            take = np.concatenate([np.arange(a, b) for a, b in zip(starts, stops, strict=True)])
            columns = m.indices[take].astype(np.int64)
            return rows, columns, m.data[take] * weights[rows]

        return query.memo((id(self), "neighbours"), gather)

    def _summed(self, query: Query) -> tuple[IntArray, FloatArray]:
        """Each neighbour of the touched items (in order) and its summed weighted similarity."""
        _, columns, parts = self._neighbours(query)
        if columns.size == 0:
            return columns, parts
        found, inverse = np.unique(columns, return_inverse=True)
        return found, np.bincount(inverse, weights=parts).astype(np.float64)

    def _scores(self, query: Query) -> FloatArray:
        scores = np.full(len(self._skus), -np.inf)
        found, summed = self._summed(query)
        positive = summed > 0
        scores[found[positive]] = summed[positive]
        return scores

    def recommend_positions(
        self, query: Query, *, k: int, banned: IntArray, allowed: IntArray | None = None
    ) -> tuple[IntArray, FloatArray]:
        """As every recommender, from the sparse sum of the touched items' neighbours."""
        found, scores = self._summed(query)
        keep = (scores > 0) & ~member(found, banned)
        if allowed is not None:
            keep &= member(found, allowed)
        found, scores = found[keep], scores[keep]
        best = best_index(found, scores, k)
        return found[best], scores[best]

    def _similar_scores(self, position: int) -> FloatArray:
        row = np.asarray(self._similar[position].toarray(), dtype=np.float64).ravel()
        return np.where(row > 0, row, -np.inf)

    def because(self, query: Query, skus: Collection[str]) -> dict[str, str]:
        """The touched item contributing most to each sku's score."""
        rows, columns, parts = self._neighbours(query)
        targets = self._positions_of(skus)
        if columns.size == 0 or not targets:
            return {}
        positions = self._weighted(query)[0]
        keep = np.flatnonzero(member(columns, np.array(targets, dtype=np.int64)) & (parts > 0))
        # strongest part first; on a tie the lower touched position
        order = keep[np.lexsort((positions[rows[keep]], -parts[keep]))]
        best: dict[int, int] = {}
        for i in order:
            best.setdefault(int(columns[i]), int(positions[rows[i]]))
        return {self._skus[c]: self._skus[p] for c, p in sorted(best.items())}

    def save(self, directory: Path) -> None:
        """Write the pruned similarity matrix."""
        m = self._similar
        write_model(
            directory,
            kind=self.kind,
            params={
                "neighbours": self.neighbours,
                "shrink": self.shrink,
                "shopper_weight": self.shopper_weight,
            },
            skus=self._skus,
            arrays={"data": m.data, "indices": m.indices, "indptr": m.indptr},
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read a saved co-occurrence model."""
        params, skus, arrays = read_model(directory, kind=cls.kind)
        model = cls(**params)
        n = len(skus)
        model._similar = sp.csr_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n, n)
        )
        model._set_items(skus)
        return model

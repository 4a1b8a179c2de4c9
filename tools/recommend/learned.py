"""Learned embeddings: item (and shopper) vectors served by faiss inner-product search.

A trained model (a sequence model, a two-tower model, …) saves its vectors as a model
directory (the service serves `<data_dir>/models/embeddings` when present):
`item_vectors.npy` (items x d, float32) with `items.json` (their skus), and
optionally `user_vectors.npy` with `users.json` document (shopper ids). A shopper with a
stored vector is scored with it; anyone else by the interest-weighted sum of the vectors of
what they touched (fold-in), unless a `query_encoder` is attached (a sequence model's
encoder of the shopper's recent items, say). `fit` learns vectors itself by a truncated SVD of the
shopper x item matrix (PureSVD), so the adapter is useful before any other model exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tools.recommend.base import DenseRecommender, best_of, member
from tools.recommend.catalog import FloatArray, IntArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.storage import read_document, read_model, write_model

Matrix = npt.NDArray[np.float32]
QueryEncoder = Callable[[Query], "Matrix | None"]
"""Turns a shopper's query (their recent touches) into a vector in the items' space."""
SEARCH_MARGIN = 64


def _shopper_matrix(data: TrainingData) -> sp.csr_matrix:
    """Shoppers x items: log(1 + summed positive interest)."""
    shoppers = data.by_shopper()
    rows, cols, values = [], [], []
    for row, events in enumerate(shoppers.values()):
        totals: dict[int, float] = {}
        for event in events:
            at = None if event.sku is None else data.catalog.position(event.sku)
            if at is not None:
                totals[at] = totals.get(at, 0.0) + data.weights.of(event.kind)
        for at in sorted(totals):
            if totals[at] > 0:
                rows.append(row)
                cols.append(at)
                values.append(np.log1p(totals[at]))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(shoppers), len(data.catalog)))


def pure_svd(matrix: sp.csr_matrix, *, factors: int, seed: int = 0) -> Matrix:
    """Item factors V of a rank-`factors` SVD (deterministic for a seed; signs fixed)."""
    from sklearn.utils.extmath import randomized_svd

    rank = min(factors, min(matrix.shape) - 1)
    if matrix.nnz == 0 or rank < 1:
        return np.zeros((matrix.shape[1], factors), dtype=np.float32)
    _, _, vt = randomized_svd(matrix, n_components=rank, random_state=seed)
    vt *= np.sign(vt[np.arange(rank), np.argmax(np.abs(vt), axis=1)])[:, None]
    return np.ascontiguousarray(vt.T, dtype=np.float32)


class EmbeddingRecommender(DenseRecommender):
    """Inner product of a shopper vector with item vectors (faiss flat inner-product index)."""

    kind = "embedding"

    def __init__(self, *, factors: int = 64, model: str = "pure-svd", seed: int = 0) -> None:
        super().__init__()
        self.factors = factors
        self.model = model
        self.seed = seed
        self._items: Matrix = np.zeros((0, factors), dtype=np.float32)
        self._unit: Matrix = self._items
        self._users: dict[str, int] = {}
        self._user_vectors: Matrix = np.zeros((0, factors), dtype=np.float32)
        self._index: Any = None
        self.query_encoder: QueryEncoder | None = None

    @classmethod
    def from_vectors(
        cls,
        *,
        skus: Sequence[str],
        item_vectors: Matrix,
        model: str,
        user_ids: Sequence[str] = (),
        user_vectors: Matrix | None = None,
    ) -> Self:
        """Serve vectors a trained model produced (skus in any order; rows follow them)."""
        order = sorted(range(len(skus)), key=lambda i: skus[i])
        recommender = cls(factors=int(item_vectors.shape[1]), model=model)
        vectors = np.asarray(item_vectors, dtype=np.float32)[order]
        users = np.zeros((0, vectors.shape[1]), dtype=np.float32)
        if user_vectors is not None:
            users = np.asarray(user_vectors, dtype=np.float32)
        recommender._install([skus[i] for i in order], vectors, list(user_ids), users)
        return recommender

    def _install(
        self, skus: Sequence[str], items: Matrix, user_ids: Sequence[str], users: Matrix
    ) -> None:
        import faiss

        self._items = np.ascontiguousarray(items, dtype=np.float32)
        norms = np.linalg.norm(self._items, axis=1, keepdims=True)
        self._unit = (self._items / np.maximum(norms, 1e-12)).astype(np.float32)
        self._users = {shopper: i for i, shopper in enumerate(user_ids)}
        self._user_vectors = np.ascontiguousarray(users, dtype=np.float32)
        index = faiss.IndexFlatIP(self._items.shape[1])
        index.add(self._items)
        self._index = index
        self._set_items(skus)

    def fit(self, data: TrainingData) -> None:
        """Learn item vectors by a truncated SVD of the shopper x item interest matrix."""
        items = pure_svd(_shopper_matrix(data), factors=self.factors, seed=self.seed)
        self._install(data.catalog.skus, items, (), np.zeros((0, items.shape[1]), np.float32))

    def item_matrix(self) -> Matrix:
        """The item vectors."""
        return self._items

    def query_vector(self, query: Query) -> Matrix | None:
        """The shopper's vector (computed once per query)."""
        return query.memo((id(self), "user"), lambda: self.user_vector(query))

    def user_vector(self, query: Query) -> Matrix | None:
        """The shopper's vector: from the attached encoder, else stored by the model, else
        folded in from their touches."""
        if self.query_encoder is not None:
            return self.query_encoder(query)
        stored = self._users.get(query.shopper_id or "")
        if stored is not None:
            row: Matrix = self._user_vectors[stored]
            return row
        positions, weights = query.weighted(self._positions)
        keep = weights > 0
        if not keep.any():
            return None
        total = (weights[keep, None] * self._items[positions[keep]]).sum(axis=0)
        vector: Matrix = total.astype(np.float32)
        return vector

    def _similar_scores(self, position: int) -> FloatArray:
        scores: FloatArray = (self._unit @ self._unit[position]).astype(np.float64)
        return scores

    def _search(self, vector: Matrix, want: int) -> tuple[FloatArray, IntArray]:
        """faiss inner-product search on one thread (a request should not take both cores)."""
        import faiss

        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, found = self._index.search(vector[None, :], want)
        finally:
            faiss.omp_set_num_threads(threads)
        return scores[0].astype(np.float64), found[0].astype(np.int64)

    def recommend_positions(
        self, query: Query, *, k: int, banned: IntArray, allowed: IntArray | None = None
    ) -> tuple[IntArray, FloatArray]:
        """As every recommender; over the whole catalog, faiss finds the candidates."""
        if allowed is not None:
            return super().recommend_positions(query, k=k, banned=banned, allowed=allowed)
        vector = self.query_vector(query)
        if vector is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        want = min(len(self._skus), k + banned.size + SEARCH_MARGIN)
        scores, found = self._search(vector, want)
        keep = (found >= 0) & ~member(np.maximum(found, 0), banned)
        best = best_of(found[keep], scores[keep], k)
        lookup = dict(zip(found[keep].tolist(), scores[keep].tolist(), strict=True))
        return best, np.array([lookup[int(i)] for i in best])

    def save(self, directory: Path) -> None:
        """Write the item (and stored shopper) vectors."""
        write_model(
            directory,
            kind=self.kind,
            params={"factors": self.factors, "model": self.model, "seed": self.seed},
            skus=self._skus,
            arrays={"item_vectors": self._items, "user_vectors": self._user_vectors},
            extra={"users": sorted(self._users, key=self._users.__getitem__)},
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read saved vectors (from `save` or a trained model's export)."""
        params, skus, arrays = read_model(directory, kind=cls.kind)
        model = cls(**params)
        users: Mapping[str, Any] | list[str] = read_document(directory, "users")
        model._install(skus, arrays["item_vectors"], list(users), arrays["user_vectors"])
        return model

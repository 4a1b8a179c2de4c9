"""The one recommender interface every implementation follows, and deterministic top-k.

Like `implicit`'s RecommenderBase: `fit` on training data, `recommend` for a shopper's
query, `similar_items` for a sku, `save` to a directory and `load` it back. Implementations
only score; filtering, restriction to given items and tie-breaking (by sku) live here, so
every implementation answers the same way and passes the same contract tests.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Self

import numpy as np
import numpy.typing as npt

from tools.exceptions import InputError
from tools.recommend.catalog import FloatArray, IntArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.exceptions import NotFittedError, UnknownItemError
from tools.recommend.threads import one_blas_thread

MAX_K = 10_000


class Scored(NamedTuple):
    """A recommended sku and its score (higher is better; scales differ by recommender)."""

    sku: str
    score: float


def top_k(
    scores: FloatArray,
    k: int,
    *,
    banned: Iterable[int] = (),
    allowed: IntArray | None = None,
) -> IntArray:
    """Positions of the k best finite scores, best first; ties go to the lower position."""
    candidates = np.arange(scores.size) if allowed is None else np.unique(allowed)
    keep = np.isfinite(scores[candidates])
    banned_positions = np.fromiter(banned, dtype=np.int64)
    if banned_positions.size:
        keep &= ~member(candidates, banned_positions)
    candidates = candidates[keep]
    return best_of(candidates, scores[candidates], k)


def best_of(positions: IntArray, scores: FloatArray, k: int) -> IntArray:
    """The k positions with the best scores, best first; ties go to the lower position."""
    return positions[best_index(positions, scores, k)]


def best_index(positions: IntArray, scores: npt.NDArray[np.floating[Any]], k: int) -> IntArray:
    """Indices (into both arrays) of the k best scores, best first; ties to the lower position."""
    values = -scores
    index = np.arange(values.size)
    if values.size > k:
        cut = np.partition(values, k - 1)[k - 1]
        index = np.flatnonzero(values <= cut)
    order = np.lexsort((positions[index], values[index]))
    found: IntArray = index[order[:k]]
    return found


def member(values: IntArray, of: IntArray) -> np.ndarray:
    """Which of `values` are in `of` (both non-negative positions), in one pass over each."""
    if values.size == 0 or of.size == 0:
        return np.zeros(values.size, dtype=bool)
    size = int(max(values.max(), of.max())) + 1
    table = np.zeros(size, dtype=bool)
    table[of] = True
    found: np.ndarray = table[values]
    return found


def check_k(k: int) -> None:
    """Refuse a k outside 1..MAX_K."""
    if not 1 <= k <= MAX_K:
        raise InputError(f"must be between 1 and {MAX_K}, got {k}", field="k")


class Recommender(ABC):
    """Fit on interactions, recommend for a query, find similar items, save and load."""

    kind: ClassVar[str]

    def __init__(self) -> None:
        self._skus: tuple[str, ...] = ()
        self._positions: dict[str, int] = {}
        self._fitted = False

    # What implementations provide.

    @abstractmethod
    def fit(self, data: TrainingData) -> None:
        """Learn from the training data (replacing anything learned before)."""

    @abstractmethod
    def _scores(self, query: Query) -> FloatArray:
        """A score per known item for the query; -inf where it has nothing to say."""

    @abstractmethod
    def _similar_scores(self, position: int) -> FloatArray:
        """A score per known item for its likeness to the item at `position`; -inf for none."""

    @abstractmethod
    def save(self, directory: Path) -> None:
        """Write the fitted model to a directory."""

    @classmethod
    @abstractmethod
    def load(cls, directory: Path) -> Self:
        """A model read back from `save`'s directory."""

    def _scores_at(self, query: Query, positions: IntArray) -> FloatArray:
        """Scores of the items at `positions` only (implementations may do less work)."""
        scores: FloatArray = self._scores(query)[positions]
        return scores

    def because(self, query: Query, skus: Collection[str]) -> dict[str, str]:
        """For each of `skus` it can tell, the touched sku that did most to recommend it."""
        return {}

    # What every implementation shares.

    @property
    def skus(self) -> tuple[str, ...]:
        """The items the model knows, in position order."""
        return self._skus

    def _set_items(self, skus: Iterable[str]) -> None:
        self._skus = tuple(skus)
        if any(a >= b for a, b in pairwise(self._skus)):
            raise ValueError("items must be in strictly increasing sku order")
        self._positions = {sku: i for i, sku in enumerate(self._skus)}
        self._fitted = True

    def _require_fitted(self) -> None:
        if not self._fitted:
            raise NotFittedError(f"{type(self).__name__} is not fitted")

    def _positions_of(self, skus: Iterable[str]) -> list[int]:
        return [p for s in skus if (p := self._positions.get(s)) is not None]

    def recommend_positions(
        self, query: Query, *, k: int, banned: IntArray, allowed: IntArray | None = None
    ) -> tuple[IntArray, FloatArray]:
        """The bulk form of `recommend`: the k best positions (not banned, among `allowed`
        if given) and their scores."""
        if allowed is None:
            scores = self._scores(query)
            found = top_k(scores, k, banned=banned)
            return found, scores[found]
        allowed = np.unique(allowed)
        subset = self._scores_at(query, allowed)
        keep = np.isfinite(subset) & ~member(allowed, banned)
        found = best_of(allowed[keep], subset[keep], k)
        return found, subset[np.searchsorted(allowed, found)]

    def recommend(
        self,
        query: Query,
        *,
        k: int = 10,
        exclude: Collection[str] = (),
        exclude_seen: bool = True,
        items: Collection[str] | None = None,
    ) -> list[Scored]:
        """The k best items for the query, best first (fewer if fewer can be scored).

        `exclude` and, with `exclude_seen`, every touched item are left out; `items`
        restricts the answer to those skus (the others are not scored).
        """
        check_k(k)
        self._require_fitted()
        banned = self._positions_of(exclude)
        if exclude_seen:
            banned += self._positions_of(query.seen())
        allowed = None if items is None else np.array(self._positions_of(items), dtype=np.int64)
        found, scores = self.recommend_positions(
            query, k=k, banned=np.array(banned, dtype=np.int64), allowed=allowed
        )
        return [Scored(self._skus[i], float(v)) for i, v in zip(found, scores, strict=True)]

    def similar_items(self, sku: str, *, k: int = 10) -> list[Scored]:
        """The k items most like `sku` (never `sku` itself), best first."""
        check_k(k)
        self._require_fitted()
        position = self._positions.get(sku)
        if position is None:
            raise UnknownItemError(sku)
        scores = self._similar_scores(position)
        found = top_k(scores, k, banned=[position])
        return [Scored(self._skus[i], float(scores[i])) for i in found]


class DenseRecommender(Recommender):
    """A recommender scoring items by the inner product of a query vector with item vectors."""

    @abstractmethod
    def item_matrix(self) -> npt.NDArray[np.float32]:
        """The item vectors, one row per position."""

    @abstractmethod
    def query_vector(self, query: Query) -> npt.NDArray[np.float32] | None:
        """The query's vector, or None when there is nothing to go on."""

    def _scores(self, query: Query) -> FloatArray:
        vector = self.query_vector(query)
        if vector is None:
            return np.full(len(self._skus), -np.inf)
        with one_blas_thread():
            product = self.item_matrix() @ vector
        scores: FloatArray = product.astype(np.float64)
        return scores

    def _scores_at(self, query: Query, positions: IntArray) -> FloatArray:
        vector = self.query_vector(query)
        if vector is None:
            return np.full(positions.size, -np.inf)
        with one_blas_thread():
            product = self.item_matrix()[positions] @ vector
        scores: FloatArray = product.astype(np.float64)
        return scores

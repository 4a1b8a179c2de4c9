"""The dense side of search: inner-product search over unit vectors in faiss.

Small catalogs get an exact flat index; from `HNSW_THRESHOLD` products up, an HNSW graph.
Vectors are stored grouped by category (the `order` given at build), so the products a
category filter allows sit side by side. A filtered search is exact — a bitmap-selected scan
of the stored vectors — when the allowed products are few or packed into a short stretch;
only a filter that leaves many products scattered across the catalog walks the graph, where
it finds its matches well. (A graph walk under a narrow, clustered filter finds too few.)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import faiss as _faiss
import numpy as np

from tools.embeddings import Vectors
from tools.search.fusion import top_ranked
from tools.search.postings import Mask, Rows

DenseKind = Literal["flat", "hnsw"]

HNSW_THRESHOLD = 20_000
HNSW_M = 32
EF_CONSTRUCTION = 80
EF_SEARCH = 128
EXACT_LIMIT = 10_000  # a filter allowing at most this many products is searched exactly
SPAN_LIMIT = 50_000  # ... and so is one whose products lie within this many stored vectors
MAX_EF = 1024

_NO_ROWS: Rows = np.zeros(0, dtype=np.int32)

faiss: Any = _faiss  # its bundled stubs lack the search-parameter classes used here


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run faiss on the calling thread only (the setting is per thread, restored after).

    One query gains nothing from a thread team, and on a busy machine the team's barriers
    cost tens of milliseconds; parallel HNSW inserts would also make the graph depend on
    thread timing.
    """
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def _build_hnsw(vectors: Vectors, *, m: int, ef_construction: int) -> Any:
    index = faiss.IndexHNSWFlat(vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    index.hnsw.efSearch = EF_SEARCH
    with _one_thread():
        index.add(vectors)
    return index


class DenseIndex:
    """Nearest catalog rows to a query vector, optionally within allowed rows."""

    def __init__(
        self,
        index: Any,
        *,
        order: Rows,
        exact_limit: int = EXACT_LIMIT,
        span_limit: int = SPAN_LIMIT,
    ) -> None:
        self._index = index
        self._order = order  # stored position -> catalog row
        self.kind: DenseKind = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        self._exact = faiss.downcast_index(index.storage) if self.kind == "hnsw" else index
        self._exact_limit = exact_limit
        self._span_limit = span_limit

    @classmethod
    def build(
        cls,
        vectors: Vectors,
        *,
        order: Rows | None = None,
        hnsw_threshold: int = HNSW_THRESHOLD,
        hnsw_m: int = HNSW_M,
        ef_construction: int = EF_CONSTRUCTION,
        exact_limit: int = EXACT_LIMIT,
        span_limit: int = SPAN_LIMIT,
    ) -> DenseIndex:
        """An index of row vectors stored in `order`: exact below `hnsw_threshold`, else HNSW."""
        if order is None:
            order = np.arange(len(vectors), dtype=np.int32)
        data = np.ascontiguousarray(vectors[order], dtype=np.float32)
        if len(data) >= hnsw_threshold:
            index = _build_hnsw(data, m=hnsw_m, ef_construction=ef_construction)
        else:
            index = faiss.IndexFlatIP(data.shape[1])
            index.add(data)
        return cls(index, order=order, exact_limit=exact_limit, span_limit=span_limit)

    @property
    def size(self) -> int:
        """Number of rows indexed."""
        return int(self._index.ntotal)

    def ranked(self, query: Vectors, *, allowed: Mask | None, depth: int) -> Rows:
        """The `depth` rows most similar to `query`, best first, within `allowed` rows."""
        if self.size == 0:
            return _NO_ROWS
        vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        with _one_thread():
            if allowed is None:
                scores, labels = self._search_all(vector, depth)
            else:
                stored = allowed[self._order]
                if not stored.any():
                    return _NO_ROWS
                scores, labels = self._search_allowed(vector, stored, depth)
        found = labels[0] >= 0
        rows = self._order[labels[0][found]]
        return top_ranked(rows, scores[0][found], depth=depth)

    def _search_allowed(self, vector: Vectors, stored: Mask, depth: int) -> tuple[Any, Any]:
        positions = np.flatnonzero(stored)
        count, span = len(positions), int(positions[-1] - positions[0]) + 1
        bitmap = np.packbits(stored, bitorder="little")  # must outlive the search
        selector = faiss.IDSelectorBitmap(len(stored), faiss.swig_ptr(bitmap))
        if self.kind == "flat" or count <= self._exact_limit or span <= self._span_limit:
            params = faiss.SearchParameters(sel=selector)
            scores, labels = self._exact.search(vector, min(depth, count), params=params)
        else:
            ef = min(MAX_EF, math.ceil(max(EF_SEARCH, depth) * self.size / count))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
            scores, labels = self._index.search(vector, depth, params=params)
        return scores, labels

    def _search_all(self, vector: Vectors, depth: int) -> tuple[Any, Any]:
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(EF_SEARCH, depth))
            scores, labels = self._index.search(vector, depth, params=params)
        else:
            scores, labels = self._index.search(vector, min(depth, self.size))
        return scores, labels

    def save(self, directory: Path) -> None:
        """Write the faiss index and the storage order into `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(directory / "vectors.faiss"))
        np.save(directory / "order.npy", self._order)

    @classmethod
    def load(cls, directory: Path) -> DenseIndex:
        """Read what `save` wrote."""
        order: Rows = np.load(directory / "order.npy")
        return cls(faiss.read_index(str(directory / "vectors.faiss")), order=order)

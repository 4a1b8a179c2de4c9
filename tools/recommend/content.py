"""Content similarity: items described alike, for cold-start items and shoppers.

An item's vector joins the embedding of its short summary (`tools.embeddings.item_summary`,
the text search embeds too, so the two share cached vectors) with a hashed one-hot of its
department, category, brand and attribute values (`feature_share` of the weight), reduced to
`dimension` principal components and normalised, so a whole 100k-item catalog is scored in a
millisecond or two. A shopper's vector is the interest-weighted mean of the vectors of what
they touched.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt

from tools.embeddings import cached_embeddings, item_summary
from tools.profiles import ItemInfo, Vector
from tools.recommend.base import DenseRecommender
from tools.recommend.catalog import FloatArray, IntArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.storage import read_model, write_model

Matrix = npt.NDArray[np.float32]
Encode = Callable[[Sequence[str]], Matrix]
FEATURE_DIM = 256


def item_text(item: ItemInfo) -> str:
    """The text an item is embedded from."""
    return item_summary(
        title=item.title,
        brand=item.brand,
        category=item.category,
        attributes=item.attributes,
        tags=item.tags,
        description=item.description,
    )


def item_features(item: ItemInfo) -> list[str]:
    """The structured features an item is hashed from."""
    features = [f"dept:{item.department}", f"cat:{item.category}", f"brand:{item.brand}"]
    features += [f"attr:{key}={value}" for key, value in item.values()]
    return features


def hashed_features(items: Sequence[ItemInfo], *, dim: int = FEATURE_DIM) -> Matrix:
    """Unit-length signed hashed one-hots of every item's structured features."""
    out = np.zeros((len(items), dim), dtype=np.float32)
    for row, item in enumerate(items):
        for feature in item_features(item):
            code = zlib.crc32(feature.encode())
            out[row, code % dim] += 1.0 if (code >> 16) & 1 else -1.0
    return _normalised(out)


def _normalised(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: Matrix = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def reduce_dimension(matrix: Matrix, dimension: int) -> Matrix:
    """Projection on the top principal directions (signs fixed), rows normalised."""
    if matrix.shape[1] <= dimension:
        return _normalised(matrix)
    centred = matrix.astype(np.float64) - matrix.mean(axis=0, dtype=np.float64)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, ::-1][:, :dimension]
    top *= np.sign(top[np.argmax(np.abs(top), axis=0), np.arange(dimension)])
    return _normalised((matrix.astype(np.float64) @ top).astype(np.float32))


class ContentRecommender(DenseRecommender):
    """Items whose descriptions are closest to what the shopper engaged with."""

    kind = "content"

    def __init__(
        self,
        *,
        encode: Encode | None = None,
        model_id: str = "none",
        cache_dir: Path | None = None,
        feature_share: float = 0.5,
        dimension: int = 96,
    ) -> None:
        super().__init__()
        self.encode = encode
        self.model_id = model_id
        self.cache_dir = cache_dir
        self.feature_share = feature_share
        self.dimension = dimension
        self._vectors: Matrix = np.zeros((0, dimension), dtype=np.float32)

    def _text_vectors(self, items: Sequence[ItemInfo]) -> Matrix | None:
        if self.encode is None or self.feature_share >= 1.0:
            return None
        texts = [item_text(i) for i in items]
        if self.cache_dir is None:
            return _normalised(self.encode(texts))
        return _normalised(
            cached_embeddings(
                directory=self.cache_dir, model_id=self.model_id, texts=texts, encode=self.encode
            )
        )

    def fit(self, data: TrainingData) -> None:
        """Embed every catalog item (interactions are not needed)."""
        items = data.catalog.items
        features = hashed_features(items)
        text = self._text_vectors(items)
        if text is None:
            joined = features
        else:
            share = self.feature_share
            joined = np.hstack([np.sqrt(1.0 - share) * text, np.sqrt(share) * features])
        self._vectors = reduce_dimension(joined.astype(np.float32), self.dimension)
        self._set_items(data.catalog.skus)

    def vector(self, sku: str) -> Vector | None:
        """The item's unit-length content vector, or None."""
        at = self._positions.get(sku)
        return None if at is None else self._vectors[at]

    def item_matrix(self) -> Matrix:
        """The unit-length item vectors."""
        return self._vectors

    def _touched(self, query: Query) -> tuple[IntArray, FloatArray]:
        positions, weights = query.weighted(self._positions)
        keep = weights > 0
        return positions[keep], weights[keep]

    def query_vector(self, query: Query) -> Vector | None:
        """The shopper's taste: the interest-weighted mean of touched items, unit length."""
        return query.memo((id(self), "taste"), lambda: self._taste(query))

    def _taste(self, query: Query) -> Vector | None:
        positions, weights = self._touched(query)
        if positions.size == 0:
            return None
        total = (weights[:, None] * self._vectors[positions]).sum(axis=0)
        norm = float(np.linalg.norm(total))
        return None if norm <= 1e-12 else (total / norm).astype(np.float32)

    def _similar_scores(self, position: int) -> FloatArray:
        scores: FloatArray = (self._vectors @ self._vectors[position]).astype(np.float64)
        return scores

    def because(self, query: Query, skus: Collection[str]) -> dict[str, str]:
        """The touched item most like each sku."""
        positions = self._touched(query)[0]
        targets = self._positions_of(skus)
        if positions.size == 0 or not targets:
            return {}
        similarity = self._vectors[targets] @ self._vectors[positions].T
        best = np.argmax(similarity, axis=1)
        return {self._skus[t]: self._skus[positions[b]] for t, b in zip(targets, best, strict=True)}

    def save(self, directory: Path) -> None:
        """Write the item vectors."""
        write_model(
            directory,
            kind=self.kind,
            params={
                "model_id": self.model_id,
                "feature_share": self.feature_share,
                "dimension": self.dimension,
            },
            skus=self._skus,
            arrays={"vectors": self._vectors},
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Read saved item vectors (no encoder is needed to serve them)."""
        params, skus, arrays = read_model(directory, kind=cls.kind)
        model = cls(**params)
        model._vectors = arrays["vectors"]
        model._set_items(skus)
        return model

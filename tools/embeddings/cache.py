"""Item embeddings computed once per catalog version and kept on disk beside the store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tools.embeddings.encoder import Vectors


def texts_fingerprint(keys: Sequence[str], texts: Sequence[str]) -> str:
    """A short hash of the (key, text) pairs: it changes whenever the catalog text changes."""
    hasher = hashlib.sha256()
    for key, text in zip(keys, texts, strict=True):
        hasher.update(key.encode())
        hasher.update(b"\x00")
        hasher.update(text.encode())
        hasher.update(b"\x01")
    return hasher.hexdigest()[:16]


def cached_embeddings(
    *,
    directory: Path,
    model_id: str,
    keys: Sequence[str],
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], Vectors],
) -> Vectors:
    """Embeddings of `texts`, read from `directory` when this exact catalog was encoded before."""
    version = texts_fingerprint(keys, texts)
    target = directory / f"{model_id}-{version}.npy"
    manifest = target.with_suffix(".json")
    if target.is_file() and manifest.is_file():
        vectors: Vectors = np.load(target)
        if vectors.shape[0] == len(keys):
            return vectors
    vectors = encode(texts)
    directory.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial.npy")
    np.save(partial, vectors)
    partial.replace(target)
    manifest.write_text(json.dumps({"model": model_id, "version": version, "rows": len(keys)}))
    return vectors

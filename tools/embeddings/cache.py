"""Embeddings kept on disk per text, so a catalog change re-encodes only the texts it changed.

A vector is found by a hash of (model id, text). The cache is a folder per model of segments:
`<digest>.vectors.npy` (float32 rows) and `<digest>.keys.npy` (16-byte hashes, one per row),
the keys written last, so a segment whose keys file exists is complete. New vectors are added
as new segments while a long encoding runs (an interrupted build resumes where it stopped),
and many segments are merged into one. Deleting the folder is always safe.

Vectors read back are the ones the encoder computed for the same text, so the result does not
depend on what was cached before (see `TextEncoder`: a text's vector does not depend on the
texts encoded with it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tools.embeddings.encoder import Vectors

CountProgress = Callable[[int, int], None]  # (texts encoded so far, texts to encode)
Keys = npt.NDArray[np.uint8]

KEY_BYTES = 16
CHUNK_TEXTS = 1024  # texts per encoder call: progress is reported after each
FLUSH_SECONDS = 60.0  # a long encoding saves what it has at least this often
MAX_SEGMENTS = 8  # more than this many segments are merged into one


def text_key(model_id: str, text: str) -> bytes:
    """The cache key of a text's embedding by a model."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).digest()[:KEY_BYTES]


def model_folder(directory: Path, model_id: str) -> Path:
    """The cache folder of one model inside `directory`."""
    return directory / (re.sub(r"[^A-Za-z0-9._-]+", "_", model_id) or "model")


class EmbeddingCache:
    """The vectors saved in one model's folder, looked up by text key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._segments: list[Vectors] = []
        self._where: dict[bytes, tuple[int, int]] = {}
        self._names: list[str] = []
        self._damaged: list[str] = []
        for keys_file in sorted(folder.glob("*.keys.npy")):
            self._read(keys_file)

    def _read(self, keys_file: Path) -> None:
        name = keys_file.name.removesuffix(".keys.npy")
        try:
            keys = np.load(keys_file)
            vectors = np.load(self.folder / f"{name}.vectors.npy", mmap_mode="r")
        except (OSError, ValueError, EOFError):
            self._damaged.append(name)  # its texts are encoded again
            return
        width = self._segments[0].shape[1] if self._segments else None
        if (
            keys.dtype != np.uint8
            or keys.ndim != 2
            or keys.shape[1] != KEY_BYTES
            or vectors.ndim != 2
            or vectors.dtype != np.float32
            or len(vectors) != len(keys)
            or (width is not None and vectors.shape[1] != width)
        ):
            self._damaged.append(name)
            return
        segment = len(self._segments)
        self._segments.append(vectors)
        self._names.append(name)
        raw = keys.tobytes()
        for row in range(len(keys)):
            self._where.setdefault(raw[row * KEY_BYTES : (row + 1) * KEY_BYTES], (segment, row))

    def __len__(self) -> int:
        return len(self._where)

    @property
    def segments(self) -> int:
        """Number of segment files read."""
        return len(self._segments)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def gather(self, keys: Sequence[bytes]) -> Vectors:
        """The saved vectors of `keys`, one row each (every key must be saved)."""
        where = [self._where[key] for key in keys]
        segment = np.fromiter((s for s, _ in where), dtype=np.int64, count=len(where))
        row = np.fromiter((r for _, r in where), dtype=np.int64, count=len(where))
        out: Vectors = np.empty((len(keys), self._segments[0].shape[1]), dtype=np.float32)
        for index in np.unique(segment):
            chosen = segment == index
            out[chosen] = self._segments[int(index)][row[chosen]]
        return out

    def add(self, keys: Sequence[bytes], vectors: Vectors) -> None:
        """Save new vectors as one more segment (and make them visible to `gather`)."""
        if not keys:
            return
        name = _write_segment(self.folder, keys, vectors)
        segment = len(self._segments)
        self._segments.append(vectors)
        self._names.append(name)
        for row, key in enumerate(keys):
            self._where.setdefault(key, (segment, row))

    def compact(self, *, max_segments: int = MAX_SEGMENTS) -> None:
        """Merge every segment into one when there are more than `max_segments` (or some
        could not be read: those are dropped)."""
        if len(self._segments) <= max_segments and not self._damaged:
            return
        if not self._segments:
            for name in self._damaged:
                _remove_segment(self.folder, name)
            self._damaged = []
            return
        keys = sorted(self._where)
        vectors = self.gather(keys)
        retired = [*self._names, *self._damaged]
        merged = _write_segment(self.folder, keys, vectors)
        for name in retired:
            if name != merged:
                _remove_segment(self.folder, name)
        self._segments, self._names, self._damaged = [vectors], [merged], []
        self._where = {key: (0, row) for row, key in enumerate(keys)}


def _write_segment(folder: Path, keys: Sequence[bytes], vectors: Vectors) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    raw = b"".join(keys)
    name = hashlib.sha256(raw).hexdigest()[:KEY_BYTES]
    stage = f".{name}.{os.getpid()}.tmp.npy"
    key_array = np.frombuffer(raw, dtype=np.uint8).reshape(len(keys), KEY_BYTES)
    for suffix, array in (("vectors", vectors), ("keys", key_array)):  # keys last: the commit
        np.save(folder / stage, np.ascontiguousarray(array))
        (folder / stage).replace(folder / f"{name}.{suffix}.npy")
    return name


def _remove_segment(folder: Path, name: str) -> None:
    for suffix in ("keys", "vectors"):  # keys first: a reader never sees keys without vectors
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{name}.{suffix}.npy").unlink()


def cached_embeddings(
    *,
    directory: Path,
    model_id: str,
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], Vectors],
    progress: CountProgress | None = None,
) -> Vectors:
    """Embeddings of `texts`, one row each: saved ones read from `directory`, the rest encoded.

    Only distinct texts missing from the cache are encoded, shortest first (so the encoder's
    batches hold texts of like length); `progress(done, total)` is called as they are.
    """
    if not texts:
        return encode([])
    cache = EmbeddingCache(model_folder(directory, model_id))
    keys = [text_key(model_id, text) for text in texts]
    missing: dict[bytes, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in cache:
            missing.setdefault(key, text)
    _encode_missing(cache, missing, encode=encode, progress=progress)
    cache.compact()
    return cache.gather(keys)


def _encode_missing(
    cache: EmbeddingCache,
    missing: dict[bytes, str],
    *,
    encode: Callable[[Sequence[str]], Vectors],
    progress: CountProgress | None,
) -> None:
    todo = sorted(missing.items(), key=lambda item: (len(item[1]), item[0]))
    pending_keys: list[bytes] = []
    pending: list[Vectors] = []
    flushed = time.monotonic()
    if todo and progress is not None:
        progress(0, len(todo))
    try:
        for start in range(0, len(todo), CHUNK_TEXTS):
            chunk = todo[start : start + CHUNK_TEXTS]
            pending.append(encode([text for _, text in chunk]))
            pending_keys += [key for key, _ in chunk]
            if progress is not None:
                progress(start + len(chunk), len(todo))
            if time.monotonic() - flushed >= FLUSH_SECONDS:
                cache.add(pending_keys, np.vstack(pending).astype(np.float32, copy=False))
                pending_keys, pending, flushed = [], [], time.monotonic()
    finally:  # what was encoded is kept, also when interrupted
        if pending_keys:
            cache.add(pending_keys, np.vstack(pending).astype(np.float32, copy=False))

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tools.embeddings import EmbeddingCache, Vectors, cached_embeddings, text_key
from tools.embeddings import cache as cache_module
from tools.embeddings.cache import model_folder


class CountingEncoder:
    """Vectors derived from each text's hash (so a vector depends on its text only)."""

    def __init__(self, *, fail_after: int | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_after = fail_after

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise KeyboardInterrupt
        self.calls.append(list(texts))
        digests = b"".join(hashlib.sha256(t.encode()).digest()[:16] for t in texts)
        rows = np.frombuffer(digests, dtype=np.uint8).reshape(len(texts), 16)
        vectors: Vectors = rows.astype(np.float32) / np.float32(255)
        return vectors

    @property
    def encoded(self) -> list[str]:
        return [text for call in self.calls for text in call]


def _embed(directory: Path, texts: Sequence[str], encode: CountingEncoder) -> Vectors:
    return cached_embeddings(directory=directory, model_id="m", texts=texts, encode=encode)


def test_only_texts_missing_from_the_cache_are_encoded(tmp_path: Path) -> None:
    first = CountingEncoder()
    vectors = _embed(tmp_path, ["tent", "stove", "tent", "lamp"], first)
    assert sorted(first.encoded) == ["lamp", "stove", "tent"]  # duplicates encoded once
    np.testing.assert_array_equal(vectors[0], vectors[2])
    np.testing.assert_array_equal(vectors, CountingEncoder()(["tent", "stove", "tent", "lamp"]))

    again = CountingEncoder()
    texts = ["tent", "stove", "tent", "lamp"]
    np.testing.assert_array_equal(_embed(tmp_path, texts, again), vectors)
    assert again.calls == []

    edited = CountingEncoder()
    changed = _embed(tmp_path, ["tent", "gas stove", "tent", "lamp"], edited)
    assert edited.encoded == ["gas stove"]
    np.testing.assert_array_equal(changed, CountingEncoder()(["tent", "gas stove", "tent", "lamp"]))


def test_keys_belong_to_one_model(tmp_path: Path) -> None:
    assert text_key("m", "tent") != text_key("other", "tent")
    _embed(tmp_path, ["tent"], CountingEncoder())
    other = CountingEncoder()
    cached_embeddings(directory=tmp_path, model_id="other/model v2", texts=["tent"], encode=other)
    assert other.encoded == ["tent"]
    assert model_folder(tmp_path, "other/model v2").name == "other_model_v2"


def test_an_interrupted_encoding_keeps_what_it_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "CHUNK_TEXTS", 2)
    texts = [f"product {i}" for i in range(7)]
    with pytest.raises(KeyboardInterrupt):
        _embed(tmp_path, texts, CountingEncoder(fail_after=2))
    resumed = CountingEncoder()
    vectors = _embed(tmp_path, texts, resumed)
    assert len(resumed.encoded) == 3  # 4 texts were saved before the interruption
    np.testing.assert_array_equal(vectors, CountingEncoder()(texts))


def test_progress_counts_the_texts_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "CHUNK_TEXTS", 2)
    heard: list[tuple[int, int]] = []
    texts = ["a", "bb", "ccc", "dddd", "eeeee"]
    cached_embeddings(
        directory=tmp_path,
        model_id="m",
        texts=texts,
        encode=CountingEncoder(),
        progress=lambda done, total: heard.append((done, total)),
    )
    assert heard == [(0, 5), (2, 5), (4, 5), (5, 5)]
    heard.clear()
    cached_embeddings(
        directory=tmp_path,
        model_id="m",
        texts=texts,
        encode=CountingEncoder(),
        progress=lambda done, total: heard.append((done, total)),
    )
    assert heard == []


def test_many_segments_are_merged_into_one(tmp_path: Path) -> None:
    folder = model_folder(tmp_path, "m")
    for i in range(cache_module.MAX_SEGMENTS + 1):
        _embed(tmp_path, [f"text {i}"], CountingEncoder())
    cache = EmbeddingCache(folder)
    assert cache.segments == 1 and len(cache) == cache_module.MAX_SEGMENTS + 1
    assert len(list(folder.glob("*.npy"))) == 2
    texts = [f"text {i}" for i in range(cache_module.MAX_SEGMENTS + 1)]
    again = CountingEncoder()
    np.testing.assert_array_equal(_embed(tmp_path, texts, again), CountingEncoder()(texts))
    assert again.calls == []


def _segment_of(texts: Sequence[str]) -> str:
    keys = sorted((len(t), text_key("m", t)) for t in texts)
    return hashlib.sha256(b"".join(key for _, key in keys)).hexdigest()[:16]


@pytest.mark.parametrize("damage", ["keys", "vectors", "missing vectors", "wrong shape"])
def test_a_damaged_segment_is_encoded_again_and_dropped(tmp_path: Path, damage: str) -> None:
    _embed(tmp_path, ["tent", "stove"], CountingEncoder())
    _embed(tmp_path, ["lamp"], CountingEncoder())
    folder = model_folder(tmp_path, "m")
    name = _segment_of(["tent", "stove"])
    target = folder / f"{name}.{'keys' if damage == 'keys' else 'vectors'}.npy"
    if damage == "missing vectors":
        target.unlink()
    elif damage == "wrong shape":
        np.save(target, np.zeros((3, 16), dtype=np.float32))
    else:
        target.write_bytes(b"\x93NUMPY garbage")
    again = CountingEncoder()
    vectors = _embed(tmp_path, ["tent", "stove", "lamp"], again)
    assert sorted(again.encoded) == ["stove", "tent"]
    np.testing.assert_array_equal(vectors, CountingEncoder()(["tent", "stove", "lamp"]))
    assert not list(folder.glob(f"{name}.*"))
    assert EmbeddingCache(folder).segments == 1


def test_no_texts_give_an_empty_matrix(tmp_path: Path) -> None:
    def encode(texts: Sequence[str]) -> Vectors:
        return np.zeros((len(texts), 16), dtype=np.float32)

    assert cached_embeddings(directory=tmp_path, model_id="m", texts=[], encode=encode).shape == (
        0,
        16,
    )

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tools.embeddings import DIMENSION, TextEncoder, Vectors, cached_embeddings


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    return TextEncoder(query_cache_size=2)


def test_vectors_are_unit_length_and_deterministic(encoder: TextEncoder) -> None:
    texts = ["fragrance-free moisturizer", "waterproof hiking boots", "organic oat milk"]
    first = encoder.encode(texts)
    second = TextEncoder().encode(texts)
    assert first.shape == (3, DIMENSION) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, second)


def test_similar_texts_are_closer(encoder: TextEncoder) -> None:
    query = encoder.encode_query("moisturizer for dry sensitive skin")
    skin, boots = encoder.encode(["hydrating face cream for sensitive skin", "hiking boots"])
    assert float(query @ skin) > float(query @ boots) + 0.2


def test_query_cache_is_bounded_lru(encoder: TextEncoder) -> None:
    a = encoder.encode_query("a")
    assert encoder.encode_query("a") is a
    encoder.encode_query("b")
    encoder.encode_query("c")
    assert encoder.encode_query("a") is not a
    assert not a.flags.writeable


def test_empty_input_gives_empty_matrix(encoder: TextEncoder) -> None:
    assert encoder.encode([]).shape == (0, DIMENSION)


def test_cache_encodes_once_per_catalog_version(tmp_path: Path) -> None:
    calls: list[int] = []

    def fake_encode(texts: Sequence[str]) -> Vectors:
        calls.append(len(texts))
        return np.full((len(texts), 4), float(len(calls)), dtype=np.float32)

    keys, texts = ["a", "b"], ["tent", "stove"]
    first = cached_embeddings(
        directory=tmp_path, model_id="m", keys=keys, texts=texts, encode=fake_encode
    )
    again = cached_embeddings(
        directory=tmp_path, model_id="m", keys=keys, texts=texts, encode=fake_encode
    )
    np.testing.assert_array_equal(first, again)
    assert calls == [2]
    cached_embeddings(
        directory=tmp_path, model_id="m", keys=keys, texts=["tent", "lamp"], encode=fake_encode
    )
    assert calls == [2, 2]

from __future__ import annotations

import random

import numpy as np
import pytest

from tools.embeddings import DIMENSION, TextEncoder
from tools.embeddings.encoder import length_batches

TEXTS = [
    "fragrance-free moisturizer",
    "waterproof hiking boots",
    "organic oat milk",
    "Calm Skin Fragrance-Free Moisturizer. Dermaco. moisturizers skin care beauty. vegan",
    "Insulated Down Jacket. TrailCo. jackets outerwear apparel. nylon, black, navy",
    "Dark Roast Coffee Beans. Bean There. coffee grocery. dark",
    "Light Roast Coffee Beans. Bean There. coffee grocery. light",
    "Camping Tent for Two. TrailCo. tents camping outdoor. capacity 2, waterproof",
    "tent",
    "stove",
]


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    return TextEncoder(query_cache_size=2)


def test_vectors_are_unit_length_and_deterministic(encoder: TextEncoder) -> None:
    first = encoder.encode(TEXTS[:3])
    second = TextEncoder().encode(TEXTS[:3])
    assert first.shape == (3, DIMENSION) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, second)


def test_a_texts_vector_does_not_depend_on_the_texts_encoded_with_it() -> None:
    encoder = TextEncoder(batch_tokens=40, workers=2)  # small batches, spread over two workers
    together = encoder.encode(TEXTS)
    alone = np.vstack([encoder.encode([text]) for text in TEXTS])
    shuffled = list(range(len(TEXTS)))
    random.Random(3).shuffle(shuffled)
    again = encoder.encode([TEXTS[i] for i in shuffled])
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together[shuffled], again)
    one_worker = TextEncoder(workers=1).encode(TEXTS)
    np.testing.assert_array_equal(together, one_worker)


def test_batches_hold_texts_of_one_length_shortest_first() -> None:
    lengths = [5, 3, 5, 3, 9, 5, 3]
    batches = length_batches(lengths, batch_tokens=10)
    assert batches == [[1, 3, 6], [0, 2], [5], [4]]
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert length_batches([50], batch_tokens=10) == [[0]]


def test_long_texts_are_cut_at_max_tokens(encoder: TextEncoder) -> None:
    base = "waterproof hiking boots with a cushioned footbed"
    long = base + " and more words" * 40
    longer = long + " and a great many more words after the cut" * 20
    a, b = encoder.encode([long, longer])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, encoder.encode([base])[0])


def test_similar_texts_are_closer(encoder: TextEncoder) -> None:
    query = encoder.encode_query("moisturizer for dry sensitive skin")
    skin, boots = encoder.encode(["hydrating face cream for sensitive skin", "hiking boots"])
    assert float(query @ skin) > float(query @ boots) + 0.2


def test_query_vector_equals_the_batch_vector_of_the_same_text(encoder: TextEncoder) -> None:
    text = "vegan leather ankle boots"
    batch = encoder.encode([text, *TEXTS])
    np.testing.assert_array_equal(TextEncoder().encode_query(text), batch[0])


def test_query_cache_is_bounded_lru(encoder: TextEncoder) -> None:
    a = encoder.encode_query("a")
    assert encoder.encode_query("a") is a
    encoder.encode_query("b")
    encoder.encode_query("c")
    assert encoder.encode_query("a") is not a
    assert not a.flags.writeable


def test_empty_input_gives_empty_matrix(encoder: TextEncoder) -> None:
    assert encoder.encode([]).shape == (0, DIMENSION)


def test_encoding_leaves_torch_thread_setting_as_it_was(encoder: TextEncoder) -> None:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        encoder.encode(TEXTS)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)

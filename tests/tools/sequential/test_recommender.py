"""The sequential model behind the recommender interface, and its faiss-served export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.tools.recommend.fakes import checker_item, checkerboard, shopper, sku
from tools.recommend import EmbeddingRecommender, Query, Touch, TrainingData, catalog_of
from tools.sequential.recommender import SequentialRecommender, item_tokens, shopper_sequences


def _fitted() -> tuple[SequentialRecommender, TrainingData]:
    data = checkerboard(20)
    model = SequentialRecommender()
    model.fit(data)
    return model, data


def test_save_and_load_round_trip_gives_identical_vectors_and_scores(tmp_path: Path) -> None:
    model, data = _fitted()
    model.save(tmp_path / "m")
    loaded = SequentialRecommender.load(tmp_path / "m")
    assert np.array_equal(loaded.item_matrix(), model.item_matrix())
    for query in data.queries().values():
        mine, theirs = model.query_vector(query), loaded.query_vector(query)
        assert mine is not None and theirs is not None and np.array_equal(mine, theirs)
        assert loaded.recommend(query, k=20) == model.recommend(query, k=20)


def test_order_matters_and_repeats_in_a_row_collapse() -> None:
    model, _ = _fitted()
    touches = [Touch(sku=sku(i), weight=1.0) for i in (2, 2, 4, 6)]
    query = Query(touches=tuple(touches))
    assert model.sequence_of(query).tolist() == [3, 5, 7]
    reversed_query = Query(touches=tuple(reversed(touches)))
    forward, backward = model.query_vector(query), model.query_vector(reversed_query)
    assert forward is not None and backward is not None
    assert not np.array_equal(forward, backward)
    negative = Query(touches=(Touch(sku=sku(2), weight=-1.0),))
    assert model.recommend(negative, k=3) == []  # a return alone says nothing


def test_the_faiss_export_recommends_what_the_model_does() -> None:
    model, data = _fitted()
    served = model.embedding_export(data)
    assert isinstance(served, EmbeddingRecommender) and served.skus == model.skus
    for user, query in data.queries().items():
        known = Query(touches=(), shopper_id=user)  # the stored shopper vector alone
        expected = [s.sku for s in model.recommend(query, k=5, exclude_seen=False)]
        assert [s.sku for s in served.recommend(known, k=5, exclude_seen=False)] == expected


def test_sequences_keep_time_order_and_drop_negative_events() -> None:
    data = checkerboard(4)
    rows = dict(shopper_sequences(data))
    assert rows[shopper(0)] == [sku(2)]
    assert rows[shopper(1)] == [sku(3)]
    tokens = item_tokens(checker_item(3))
    assert "brand=Odd Co" in tokens and "group=odd" in tokens and "price_band=3" in tokens


def test_an_item_nobody_touched_still_gets_a_vector_from_its_attributes() -> None:
    data = checkerboard(20)
    catalog = catalog_of([*data.catalog.items, checker_item(20)])  # new, even, never seen
    model = SequentialRecommender()
    model.fit(TrainingData(catalog=catalog, events=data.events, tiers=data.tiers))
    similar = model.similar_items(sku(20), k=5)
    assert all(int(s.sku[-2:]) % 2 == 0 for s in similar), similar

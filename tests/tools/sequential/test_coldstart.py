"""Cold start on a small demo store: held-out items and shoppers never reach training."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.tools.recommend.demo import build_demo, demo_url
from tools.recommend import TrainingData, training_data
from tools.sequential.coldstart import GROUPS, cold_split, run_cold_start
from tools.sequential.recommender import STORE_TRAINING, SequentialRecommender
from tools.store import make_engine


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> TrainingData:
    directory = build_demo(tmp_path_factory.mktemp("cold"), skus=400, shoppers=120)
    engine = make_engine(demo_url(directory))
    try:
        with Session(engine) as session:
            return training_data(session)
    finally:
        engine.dispose()


def test_held_out_items_and_shoppers_never_reach_training(store: TrainingData) -> None:
    split = cold_split(store, item_share=0.2, shopper_share=0.2, seed=3)
    assert len(split.new_items) == 80 and len(split.new_shoppers) == 24
    assert not {e.sku for e in split.train.events} & split.new_items
    assert not {e.shopper_id for e in split.train.events} & split.new_shoppers
    for case in split.cases:
        expected = (
            "new-shopper"
            if case.shopper in split.new_shoppers
            else "new-item"
            if case.target in split.new_items
            else "warm"
        )
        assert case.group == expected
        trained = [e for e in split.train.events if e.shopper_id == case.shopper]
        assert set(trained) <= set(case.history)  # nothing of the test session or after
        assert case.target in {e.sku for e in store.events if e.shopper_id == case.shopper}
    assert {c.group for c in split.cases} == set(GROUPS)


def test_the_model_recommends_new_items_popularity_cannot(store: TrainingData) -> None:
    model = SequentialRecommender(training=STORE_TRAINING.model_copy(update={"epochs": 8}))
    result = run_cold_start(store, item_share=0.2, shopper_share=0.2, seed=3, sequential=model)
    assert set(result.methods) == {"sequential", "popularity", "popularity-department"}
    for name in ("popularity", "popularity-department"):
        assert result.methods[name]["new-item"].metrics["HR@20"] == 0.0
    assert result.methods["sequential"]["new-item"].metrics["HR@20"] > 0.0
    warm = result.methods["sequential"]["warm"]
    assert (
        warm.cases > 0
        and warm.metrics["NDCG@20"] > result.methods["popularity"]["warm"].metrics["NDCG@20"]
    )

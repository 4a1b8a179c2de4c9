"""What each recommender does beyond the shared contract: its own notion of a right answer."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import numpy as np

from tests.tools.recommend.fakes import START, checker_catalog, checkerboard, fake_encode, sku
from tools.baskets import association_rules
from tools.profiles import ShopperEvent
from tools.recommend import (
    ContentRecommender,
    CooccurrenceRecommender,
    EmbeddingRecommender,
    PopularityRecommender,
    Query,
    Touch,
    TrainingData,
    top_k,
)
from tools.recommend.together import pair_rules


def _event(shopper: str, item: int, kind: str, minutes: int, session: str = "") -> ShopperEvent:
    return ShopperEvent(
        shopper_id=shopper,
        session_id=session or f"{shopper}-s",
        kind=kind,
        sku=sku(item),
        occurred_at=START + timedelta(minutes=minutes),
    )


def test_plain_popularity_counts_weighted_interest() -> None:
    events = [_event("a", 3, "purchase", 1), _event("b", 3, "purchase", 2)]  # 2 x 5
    events += [_event(f"v{i}", 5, "view", 3 + i) for i in range(7)]  # 7 x 1
    events += [_event("c", 1, "cart_add", 20)]  # 3
    model = PopularityRecommender(segment="none", half_life_days=0)
    model.fit(TrainingData(catalog=checker_catalog(8), events=events))
    found = model.recommend(Query(), k=4)
    assert [s.sku for s in found] == [sku(3), sku(5), sku(1), sku(0)]  # then ties by sku
    assert found[0].score == 10 / 20 and found[3].score == 0.0


def test_recent_interest_outweighs_old_interest() -> None:
    old = [_event(f"o{i}", 2, "purchase", 0) for i in range(3)]
    new = [_event(f"n{i}", 4, "purchase", 60 * 24 * 120) for i in range(2)]
    model = PopularityRecommender(segment="none", half_life_days=30)
    model.fit(TrainingData(catalog=checker_catalog(8), events=old + new))
    assert [s.sku for s in model.recommend(Query(), k=2)] == [sku(4), sku(2)]


def test_popular_in_departments_matches_scoring_every_item() -> None:
    rng = random.Random(3)
    events = [
        _event(f"s{rng.randrange(30)}", rng.randrange(40), rng.choice(["view", "purchase"]), m)
        for m in range(400)
    ]
    model = PopularityRecommender(segment="department")
    model.fit(TrainingData(catalog=checker_catalog(40), events=events))
    for shares in ({"even/things": 0.7, "odd/things": 0.3}, {"odd/things": 1.0}, {}):
        fast = model.popular_in(shares, k=15, exclude=[sku(1), sku(2)])
        positions = {"even/things": 0, "odd/things": 1}
        weights = np.zeros(2)
        for name, share in shares.items():
            weights[positions[name]] = share
        department = np.array([i % 2 for i in range(40)])
        within, overall = model._within, model._overall
        if weights.any():
            dense = 0.95 * weights[department] * within / weights.sum() + 0.05 * overall
        else:
            dense = overall
        expected = top_k(dense, 15, banned=[1, 2])
        assert [s.sku for s in fast] == [sku(int(i)) for i in expected], shares


def test_cooccurrence_names_the_item_that_prompted_it() -> None:
    data = checkerboard(20)
    model = CooccurrenceRecommender()
    model.fit(data)
    query = Query(touches=(Touch(sku(2), 5.0, START), Touch(sku(7), 1.0, START)))
    because = model.because(query, [sku(4), sku(9), sku(3)])
    assert because[sku(4)] == sku(2) and because[sku(9)] == sku(7) and because[sku(3)] == sku(7)


def test_content_reaches_items_nobody_has_touched() -> None:
    data = checkerboard(20)
    catalog = checker_catalog(24)  # items 20-23 are new: no events at all
    model = ContentRecommender(encode=fake_encode, model_id="fake", dimension=16)
    model.fit(TrainingData(catalog=catalog, events=data.events))
    query = data.queries()["u03"]
    found = [s.sku for s in model.recommend(query, k=12)]
    assert set(found[:3]) == {sku(3), sku(21), sku(23)}  # every unseen odd item, new ones too
    cooccurrence = CooccurrenceRecommender()
    cooccurrence.fit(TrainingData(catalog=catalog, events=data.events))
    assert sku(21) not in [s.sku for s in cooccurrence.recommend(query, k=24)]


def test_trained_vectors_are_served_and_survive_a_round_trip(tmp_path: Path) -> None:
    skus = [sku(i) for i in (4, 1, 3, 0, 2)]  # any order: rows follow the skus
    items = np.array([[1, 0], [0, 1], [0.5, 0.5], [2, 0], [0, 3]], dtype=np.float32)
    users = np.array([[0, 1], [1, 0]], dtype=np.float32)
    model = EmbeddingRecommender.from_vectors(
        skus=skus,
        item_vectors=items,
        model="two-tower",
        user_ids=["ann", "bob"],
        user_vectors=users,
    )
    assert [s.sku for s in model.recommend(Query(shopper_id="ann"), k=2)] == [sku(2), sku(1)]
    assert [s.sku for s in model.recommend(Query(shopper_id="bob"), k=2)] == [sku(0), sku(4)]
    folded = Query(touches=(Touch(sku(1), 1.0, START),))  # unknown shopper: fold-in
    assert model.recommend(folded, k=1)[0].sku == sku(2)
    model.save(tmp_path / "m")
    loaded = EmbeddingRecommender.load(tmp_path / "m")
    assert loaded.model == "two-tower"
    for query in (Query(shopper_id="ann"), Query(shopper_id="bob"), folded):
        assert loaded.recommend(query, k=5) == model.recommend(query, k=5)
    assert loaded.similar_items(sku(4), k=1)[0].sku == sku(0)
    loaded.query_encoder = lambda query: np.array([0, 1], dtype=np.float32)  # a sequence encoder
    fresh = Query(touches=(Touch(sku(1), 1.0, START),))
    assert [s.sku for s in loaded.recommend(fresh, k=2)] == [sku(2), sku(3)]


def test_pair_rules_are_the_association_rules_of_length_two() -> None:
    rng = random.Random(5)
    names = [f"item-{i}" for i in range(25)]
    baskets = [frozenset(rng.sample(names, rng.randint(1, 4))) for _ in range(400)]
    expected = association_rules(baskets=baskets, min_support=0.01, min_confidence=0.1, max_len=2)
    found = pair_rules(baskets, min_support=0.01, min_confidence=0.1)
    assert found.rules == expected.rules and len(found.rules) > 50


def test_top_k_is_deterministic_on_ties() -> None:
    scores = np.array([1.0, 3.0, 3.0, -np.inf, 2.0, 3.0])
    assert list(top_k(scores, 3)) == [1, 2, 5]
    assert list(top_k(scores, 10, banned=[2])) == [1, 5, 4, 0]
    assert list(top_k(scores, 2, allowed=np.array([5, 4, 0]))) == [5, 4]

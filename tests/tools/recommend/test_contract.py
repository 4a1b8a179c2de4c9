"""The contract every recommender implementation passes, on data whose right answer is known.

On the checkerboard (shopper i bought every item of its parity except item i) the only
unseen item of a shopper's group is item i, so it must come first; similar items stay in
the item's group. Plain popularity (segment "none") cannot tell groups apart by design and
is checked on its own in test_recommenders.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tools.recommend.fakes import checker_catalog, checkerboard, fake_encode, shopper, sku
from tools.exceptions import InputError
from tools.recommend import (
    ContentRecommender,
    CooccurrenceRecommender,
    EmbeddingRecommender,
    NotFittedError,
    PopularityRecommender,
    Query,
    Recommender,
    Scored,
    TrainingData,
    UnknownItemError,
    load_recommender,
)
from tools.sequential.recommender import SequentialRecommender

N = 20
Factory = Callable[[], Recommender]

IMPLEMENTATIONS: dict[str, Factory] = {
    "popularity-department": lambda: PopularityRecommender(segment="department"),
    "popularity-tier": lambda: PopularityRecommender(segment="tier"),
    "popularity-device": lambda: PopularityRecommender(segment="device"),
    "cooccurrence": CooccurrenceRecommender,
    "content": lambda: ContentRecommender(encode=fake_encode, model_id="fake", dimension=16),
    "content-features-only": lambda: ContentRecommender(dimension=16),
    "embedding": lambda: EmbeddingRecommender(factors=2),
    "sequential": SequentialRecommender,
}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def factory(request: pytest.FixtureRequest) -> Factory:
    return IMPLEMENTATIONS[request.param]


@pytest.fixture(scope="module")
def data() -> TrainingData:
    return checkerboard(N)


def _fitted(factory: Factory, data: TrainingData) -> Recommender:
    model = factory()
    model.fit(data)
    return model


def _queries(data: TrainingData) -> dict[str, Query]:
    return data.queries()


def _dump(found: list[Scored]) -> str:
    return json.dumps([list(s) for s in found])


def test_the_withheld_item_comes_first(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    for user, query in _queries(data).items():
        found = model.recommend(query, k=1)
        assert [s.sku for s in found] == [sku(int(user[1:]))], user


def test_an_anonymous_history_gets_the_same_answer(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    for user, query in _queries(data).items():
        anonymous = Query(touches=query.touches, tier=query.tier, device=query.device)
        assert model.recommend(anonymous, k=3) == model.recommend(query, k=3), user


def test_seen_and_excluded_items_never_come_back(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    query = _queries(data)[shopper(4)]
    everything = model.recommend(query, k=1000)
    skus = [s.sku for s in everything]
    assert len(skus) == len(set(skus)) <= N - len(query.seen())
    assert not set(skus) & query.seen()
    excluded = model.recommend(query, k=3, exclude=[sku(4)])
    assert sku(4) not in [s.sku for s in excluded]
    with_seen = model.recommend(query, k=N, exclude_seen=False)
    assert len(with_seen) >= len(everything)


def test_scores_descend_and_ties_go_to_the_lower_sku(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    for query in _queries(data).values():
        found = model.recommend(query, k=N, exclude_seen=False)
        keys = [(-s.score, s.sku) for s in found]
        assert keys == sorted(keys)


def test_items_restricts_what_is_ranked(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    query = _queries(data)[shopper(6)]
    allowed = [sku(6), sku(1), sku(3), "NOT-A-SKU"]
    found = model.recommend(query, k=10, items=allowed)
    assert {s.sku for s in found} <= set(allowed[:3])
    assert found[0].sku == sku(6)
    full = {s.sku: s.score for s in model.recommend(query, k=N)}
    assert all(
        full[s.sku] == pytest.approx(s.score, rel=1e-5, abs=1e-6) for s in found if s.sku in full
    )


def test_similar_items_stay_in_the_group(factory: Factory, data: TrainingData) -> None:
    model = _fitted(factory, data)
    for i in range(N):
        found = model.similar_items(sku(i), k=5)
        assert found, i
        assert sku(i) not in [s.sku for s in found]
        assert all(int(s.sku[-2:]) % 2 == i % 2 for s in found), (i, found)


def test_bad_input_is_refused(factory: Factory, data: TrainingData) -> None:
    with pytest.raises(NotFittedError):
        factory().recommend(Query(), k=1)
    model = _fitted(factory, data)
    with pytest.raises(UnknownItemError, match="NOPE"):
        model.similar_items("NOPE")
    for bad_k in (0, -1, 10_001):
        with pytest.raises(InputError, match="k"):
            model.recommend(Query(), k=bad_k)
    assert isinstance(model.recommend(Query(), k=3), list)  # nothing to go on is not an error


def test_save_and_load_give_identical_scores(
    factory: Factory, data: TrainingData, tmp_path: Path
) -> None:
    model = _fitted(factory, data)
    model.save(tmp_path / "a")
    loaded = type(model).load(tmp_path / "a")
    again = load_recommender(tmp_path / "a")
    assert type(again) is type(model)
    for query in _queries(data).values():
        expected = _dump(model.recommend(query, k=N, exclude_seen=False))
        assert _dump(loaded.recommend(query, k=N, exclude_seen=False)) == expected
        assert _dump(again.recommend(query, k=N, exclude_seen=False)) == expected
    for i in range(N):
        assert loaded.similar_items(sku(i), k=N) == model.similar_items(sku(i), k=N)
    loaded.save(tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_fitting_twice_gives_byte_identical_answers(factory: Factory, data: TrainingData) -> None:
    first, second = _fitted(factory, data), _fitted(factory, checkerboard(N))
    for user, query in _queries(data).items():
        assert _dump(first.recommend(query, k=N)) == _dump(second.recommend(query, k=N)), user


def test_items_outside_the_training_events_are_known(factory: Factory) -> None:
    model = factory()
    model.fit(TrainingData(catalog=checker_catalog(N), events=checkerboard(N).events[:0]))
    assert isinstance(model.recommend(Query(), k=3), list)

"""Cold start on a store's events: items and shoppers held out of training entirely.

A seeded share of the items loses every event from training (new items) and a seeded share
of the shoppers is left out of training (new shoppers). Every shopper with a purchase is
then asked for their last purchasing session: the history is everything before that
session, the target the first item bought in it. Each case is one of `warm` (known shopper,
known target), `new-item` (known shopper, target never trained on) and `new-shopper`.
Methods rank the whole catalogue with the history (never the target) excluded, as in the
sequence protocol; HR and NDCG at 10 and 20 are
reported per group, so the cold cases sit beside the warm one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from tools.profiles import ShopperEvent
from tools.recommend.base import Recommender
from tools.recommend.data import TrainingData, query_of
from tools.recommend.popularity import PopularityRecommender
from tools.sequential.protocol import metrics_of

GROUPS = ("warm", "new-item", "new-shopper")
PURCHASE = "purchase"


@dataclass(frozen=True)
class Case:
    """One shopper's test: their events before the test session and the item they bought."""

    shopper: str
    history: tuple[ShopperEvent, ...]
    target: str
    group: str


@dataclass(frozen=True)
class ColdSplit:
    """Training data without the held-out items and shoppers, and the test cases."""

    train: TrainingData
    cases: tuple[Case, ...]
    new_items: frozenset[str]
    new_shoppers: frozenset[str]


def _share(values: Sequence[str], share: float, rng: np.random.Generator) -> frozenset[str]:
    count = round(len(values) * share)
    return frozenset(rng.choice(sorted(values), size=count, replace=False).tolist())


def cold_split(
    data: TrainingData, *, item_share: float = 0.1, shopper_share: float = 0.1, seed: int = 0
) -> ColdSplit:
    """Hold out items and shoppers, and every shopper's last purchasing session."""
    rng = np.random.default_rng(seed)
    by_shopper = data.by_shopper()
    new_items = _share(data.catalog.skus, item_share, rng)
    new_shoppers = _share(list(by_shopper), shopper_share, rng)
    cases: list[Case] = []
    train: list[ShopperEvent] = []
    for shopper, events in by_shopper.items():
        bought = [e for e in events if e.kind == PURCHASE and e.sku is not None]
        cut = len(events)
        if bought:
            session = bought[-1].session_id
            cut = next(i for i, e in enumerate(events) if e.session_id == session)
            target = next(str(e.sku) for e in bought if e.session_id == session)
            group = (
                "new-shopper"
                if shopper in new_shoppers
                else "new-item"
                if target in new_items
                else "warm"
            )
            cases.append(Case(shopper, tuple(events[:cut]), target, group))
        if shopper not in new_shoppers:
            train.extend(e for e in events[:cut] if e.sku not in new_items)
    train.extend(e for e in data.events if e.shopper_id is None and e.sku not in new_items)
    return ColdSplit(
        train=TrainingData(
            catalog=data.catalog, events=train, tiers=data.tiers, weights=data.weights
        ),
        cases=tuple(c for c in cases if c.history),
        new_items=new_items,
        new_shoppers=new_shoppers,
    )


class GroupScores(BaseModel):
    """One method's figures on one group of cases."""

    cases: int
    metrics: dict[str, float]


class ColdStartResult(BaseModel):
    """Every method's figures per group."""

    new_items: int
    new_shoppers: int
    train_events: int
    methods: dict[str, dict[str, GroupScores]]


def evaluate_cold(
    split: ColdSplit,
    methods: dict[str, Recommender],
    *,
    progress: Callable[[str], None] | None = None,
) -> ColdStartResult:
    """Rank the whole catalogue for every case with each fitted method."""
    found: dict[str, dict[str, GroupScores]] = {}
    weights = split.train.weights
    for name, model in methods.items():
        if progress is not None:
            progress(name)
        ranks: dict[str, list[int]] = {g: [] for g in GROUPS}
        for case in split.cases:
            query = query_of(case.history, shopper_id=case.shopper, weights=weights)
            history = query.seen() - {case.target}  # as in the sequence protocol
            answer = model.recommend(query, k=20, exclude=history, exclude_seen=False)
            ranked = [s.sku for s in answer]
            rank = ranked.index(case.target) if case.target in ranked else 10**6
            ranks[case.group].append(rank)
        found[name] = {
            g: GroupScores(
                cases=len(r),
                metrics=metrics_of(np.array(r, dtype=np.int64), cutoffs=(10, 20)),
            )
            for g, r in ranks.items()
        }
    return ColdStartResult(
        new_items=len(split.new_items),
        new_shoppers=len(split.new_shoppers),
        train_events=len(split.train.events),
        methods=found,
    )


def run_cold_start(
    data: TrainingData,
    *,
    item_share: float = 0.1,
    shopper_share: float = 0.1,
    seed: int = 0,
    sequential: Recommender | None = None,
    progress: Callable[[str], None] | None = None,
) -> ColdStartResult:
    """Split, fit the sequential model and popularity on the training part, evaluate."""
    from tools.sequential.recommender import SequentialRecommender

    split = cold_split(data, item_share=item_share, shopper_share=shopper_share, seed=seed)
    methods: dict[str, Recommender] = {
        "sequential": sequential or SequentialRecommender(),
        "popularity": PopularityRecommender(segment="none"),
        "popularity-department": PopularityRecommender(segment="department"),
    }
    for name, model in methods.items():
        if progress is not None:
            progress(f"fitting {name}")
        model.fit(split.train)
    return evaluate_cold(split, methods, progress=progress)

"""Recommendation eval on a store's own events: hold out each shopper's last purchase, rank.

Protocol. For every shopper with a purchase, the test session is the session of their last
purchase, and the skus bought in it are the targets. Training data is every event except,
for those shoppers, everything from the start of that session on (so neither the test
session nor the later return of its items is seen). Every method answers from the same
training data and the same history (the shopper's latest events, as many as the service
reads), excludes nothing it is not told to, and is scored on its top 20: NDCG@k (binary
gain; the ideal ranks min(k, targets) hits first) and HR@k (a target in the top k) for
k = 5, 10, 20, averaged over test shoppers. Stock and merchandising are neutral: the held-out
purchases happened when their items were in stock.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from tools.profiles import ShopperEvent, ShopperFacts, build_profile
from tools.recommend import (
    Encoder,
    PopularityRecommender,
    Query,
    RecommendationEngine,
    Recommender,
    Situation,
    TrainingData,
    fit_engine,
    query_of,
    training_data,
)
from tools.recommend.service import HISTORY_LIMIT
from tools.store import Shopper, get_meta
from tools.store.vocab import EventKind

CUTOFFS = (5, 10, 20)
Progress = Callable[[int, int], None]
BASELINE, RANKER = "popularity", "ranker"


class MethodScores(BaseModel):
    """One method's figures over the test shoppers."""

    name: str
    description: str
    ndcg: dict[str, float] = Field(description="NDCG@k by k")
    hit_rate: dict[str, float] = Field(description="HR@k by k")


class RecommendEvalResult(BaseModel):
    """Every method on the same held-out purchases, and whether the ranker clears the bar."""

    catalog_version: str | None
    skus: int
    shoppers: int = Field(description="Shoppers with any event")
    test_shoppers: int
    targets: int = Field(description="Held-out purchased skus")
    train_events: int
    text_encoder: str
    methods: list[MethodScores]
    lift_ndcg_at_10: float = Field(description="Ranker over popularity, relative, on NDCG@10")
    required_lift: float
    ranker_beats_popularity: bool
    seconds: float


@dataclass(frozen=True)
class Holdout:
    """Training events, and per test shopper the held-out session's start and purchases."""

    train: list[ShopperEvent]
    cut: dict[str, datetime]
    targets: dict[str, frozenset[str]]


def hold_out(events: Sequence[ShopperEvent]) -> Holdout:
    """Split off every shopper's last purchasing session (events in time order)."""
    by_shopper: dict[str, list[ShopperEvent]] = defaultdict(list)
    for event in events:
        if event.shopper_id is not None:
            by_shopper[event.shopper_id].append(event)
    cut: dict[str, datetime] = {}
    targets: dict[str, frozenset[str]] = {}
    for shopper, mine in sorted(by_shopper.items()):
        bought = [e for e in mine if e.kind == EventKind.PURCHASE.value and e.sku]
        if not bought:
            continue
        session = bought[-1].session_id
        cut[shopper] = min(e.occurred_at for e in mine if e.session_id == session)
        targets[shopper] = frozenset(str(e.sku) for e in bought if e.session_id == session)
    train = [
        e
        for e in events
        if e.shopper_id is None or e.shopper_id not in cut or e.occurred_at < cut[e.shopper_id]
    ]
    return Holdout(train=train, cut=cut, targets=targets)


def ndcg_at(ranked: Sequence[str], targets: frozenset[str], k: int) -> float:
    """Binary-gain NDCG of the top k."""
    gain = sum(1.0 / math.log2(i + 2) for i, sku in enumerate(ranked[:k]) if sku in targets)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(targets))))
    return gain / ideal if ideal else 0.0


def hit_at(ranked: Sequence[str], targets: frozenset[str], k: int) -> float:
    """1 if any target is in the top k."""
    return 1.0 if targets.intersection(ranked[:k]) else 0.0


def _shoppers(session: Session) -> dict[str, ShopperFacts]:
    rows = session.connection().execute(
        select(
            col(Shopper.id),
            col(Shopper.timezone),
            col(Shopper.loyalty_tier),
            col(Shopper.preferences),
        )
    )
    return {r[0]: ShopperFacts(r[0], r[1], r[2], dict(r[3] or {})) for r in rows}


class _Scores:
    """Running sums of every method's metrics."""

    def __init__(self) -> None:
        self.sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(self, method: str, ranked: Sequence[str], targets: frozenset[str]) -> None:
        for k in CUTOFFS:
            self.sums[method][f"ndcg@{k}"] += ndcg_at(ranked, targets, k)
            self.sums[method][f"hr@{k}"] += hit_at(ranked, targets, k)

    def report(self, method: str, description: str, n: int) -> MethodScores:
        s = self.sums[method]
        return MethodScores(
            name=method,
            description=description,
            ndcg={str(k): round(s[f"ndcg@{k}"] / n, 6) for k in CUTOFFS},
            hit_rate={str(k): round(s[f"hr@{k}"] / n, 6) for k in CUTOFFS},
        )


def _methods(
    engine: RecommendationEngine, data: TrainingData
) -> dict[str, tuple[Recommender, str]]:
    plain = PopularityRecommender(segment="none")
    plain.fit(data)
    methods: dict[str, tuple[Recommender, str]] = {
        BASELINE: (plain, "most interacted-with items (decayed), the same for everyone"),
        "popularity by department": (
            engine.popularity,
            "popular within the departments the shopper's history leans to",
        ),
    }
    described = {
        "cooccurrence": "items co-occurring with the shopper's (cosine over sessions, shoppers)",
        "content": "items described like the shopper's taste vector",
        "embedding": "learned item vectors (PureSVD unless a trained model is present)",
    }
    for name, source in sorted(engine.sources.items()):
        methods[name] = (source, described.get(name, name))
    return methods


def _evaluate_one(
    engine: RecommendationEngine,
    methods: dict[str, tuple[Recommender, str]],
    scores: _Scores,
    *,
    history: list[ShopperEvent],
    facts: ShopperFacts,
    cut: datetime,
    targets: frozenset[str],
) -> None:
    query: Query = query_of(history, shopper_id=facts.shopper_id, tier=facts.tier)
    for name, (method, _) in methods.items():
        found = method.recommend(query, k=max(CUTOFFS), exclude_seen=False)
        scores.add(name, [s.sku for s in found], targets)
    profile = build_profile(engine.profile_context(), shopper=facts, history=history, explain=False)
    ranked = engine.recommend(profile, query, Situation(today=cut.date()), k=max(CUTOFFS))
    scores.add(RANKER, [i.sku for i in ranked.items], targets)


@dataclass(frozen=True)
class _Split:
    """The store's data split for the eval, and what the shoppers stated."""

    everything: TrainingData
    data: TrainingData
    holdout: Holdout
    facts: dict[str, ShopperFacts]
    version: str | None


def _split(engine: Engine) -> _Split:
    with Session(engine) as session:
        everything = training_data(session)
        facts = _shoppers(session)
        version = get_meta(session, "catalog_version")
    holdout = hold_out(everything.events)
    data = TrainingData(catalog=everything.catalog, events=holdout.train, tiers=everything.tiers)
    return _Split(everything, data, holdout, facts, version)


def run_recommend_eval(
    *,
    engine: Engine,
    encoder: Encoder | None,
    max_shoppers: int | None = None,
    seed: int = 0,
    required_lift: float = 0.5,
    progress: Progress | None = None,
) -> RecommendEvalResult:
    """Fit on the training split, rank for every (or a seeded sample of) test shopper, score."""
    started = time.perf_counter()
    split = _split(engine)
    fitted = fit_engine(split.data, encoder=encoder)
    methods = _methods(fitted, split.data)
    tested = sorted(split.holdout.targets)
    if max_shoppers is not None and max_shoppers < len(tested):
        tested = sorted(random.Random(seed).sample(tested, max_shoppers))
    histories = split.data.by_shopper()
    scores = _Scores()
    for done, shopper in enumerate(tested, start=1):
        _evaluate_one(
            fitted,
            methods,
            scores,
            history=histories.get(shopper, [])[-HISTORY_LIMIT:],
            facts=split.facts.get(shopper, ShopperFacts(shopper)),
            cut=split.holdout.cut[shopper],
            targets=split.holdout.targets[shopper],
        )
        if progress is not None:
            progress(done, len(tested))
    facts: dict[str, object] = {
        "catalog_version": split.version,
        "skus": len(split.data.catalog),
        "shoppers": len({e.shopper_id for e in split.everything.events if e.shopper_id}),
        "test_shoppers": len(tested),
        "targets": sum(len(split.holdout.targets[s]) for s in tested),
        "train_events": len(split.holdout.train),
        "text_encoder": encoder.model_id if encoder else "none (hashed attributes only)",
        "required_lift": required_lift,
    }
    return _result(scores, methods, n=max(1, len(tested)), facts=facts, started=started)


def _result(
    scores: _Scores,
    methods: dict[str, tuple[Recommender, str]],
    *,
    n: int,
    facts: dict[str, object],
    started: float,
) -> RecommendEvalResult:
    reports = [scores.report(name, text, n) for name, (_, text) in methods.items()]
    reports.append(scores.report(RANKER, "the full ranker over every source, with reasons", n))
    base, ranker = reports[0].ndcg["10"], reports[-1].ndcg["10"]
    lift = ranker / base - 1.0 if base > 0 else math.inf
    required = float(str(facts["required_lift"]))
    return RecommendEvalResult(
        **facts,
        methods=reports,
        lift_ndcg_at_10=round(lift, 4) if math.isfinite(lift) else 1e9,
        ranker_beats_popularity=lift >= required,
        seconds=round(time.perf_counter() - started, 2),
    )

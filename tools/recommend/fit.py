"""Fitting the whole engine from training data: every source, the statistics, the basket
rules and the lookalike index, and a version that names exactly what was fitted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.profiles import (
    Affinity,
    ProfileConfig,
    ShopperEvent,
    Vector,
    build_lookalikes,
    category_prices,
    interests,
)
from tools.profiles.affinity import brand_affinities, department_affinities
from tools.profiles.taste import taste_vector
from tools.recommend.base import Recommender
from tools.recommend.config import RankerConfig
from tools.recommend.content import ContentRecommender, Encode
from tools.recommend.cooccurrence import CooccurrenceRecommender
from tools.recommend.data import TrainingData
from tools.recommend.engine import RecommendationEngine
from tools.recommend.learned import EmbeddingRecommender
from tools.recommend.popularity import PopularityRecommender
from tools.recommend.stats import fit_item_stats
from tools.recommend.together import basket_rules


@dataclass(frozen=True)
class EngineConfig:
    """How the engine is fitted (the ranker's weights live in `ranker`)."""

    ranker: RankerConfig = field(default_factory=RankerConfig)
    profile: ProfileConfig = field(default_factory=ProfileConfig)
    content_dimension: int = 96
    feature_share: float = 0.5
    svd_factors: int = 64
    learned_svd: bool = True  # fit PureSVD embeddings when no trained model is given
    lookalikes: bool = True


@dataclass(frozen=True)
class Encoder:
    """A text encoder and the id its embeddings are cached under."""

    encode: Encode
    model_id: str
    cache_dir: Path | None = None


def fit_lookalikes(
    data: TrainingData, content: ContentRecommender, config: ProfileConfig
) -> tuple[dict[str, Vector], dict[str, list[Affinity]], dict[str, list[Affinity]]]:
    """Every training shopper's taste vector and department and brand affinities."""
    tastes: dict[str, Vector] = {}
    departments: dict[str, list[Affinity]] = {}
    brands: dict[str, list[Affinity]] = {}
    for shopper, events in data.by_shopper().items():
        interest = interests(events, weights=config.weights, half_life_days=config.half_life_days)
        vector, _ = taste_vector(interest, content)
        if vector is None:
            continue
        tastes[shopper] = vector
        departments[shopper] = department_affinities(interest, data.catalog)
        brands[shopper] = brand_affinities(interest, data.catalog)
    return tastes, departments, brands


def _version(data: TrainingData, config: EngineConfig, sources: Sequence[Recommender]) -> str:
    hasher = hashlib.sha256()
    for item in data.catalog.items:
        hasher.update(f"{item.sku}|{item.price_cents}|{item.category}|{item.brand}\n".encode())
    hasher.update(f"{len(data.events)}|{_last(data.events)}\n".encode())
    hasher.update(json.dumps(config.ranker.model_dump(), sort_keys=True).encode())
    hasher.update(
        repr((config.content_dimension, config.feature_share, config.svd_factors)).encode()
    )
    hasher.update("|".join(sorted(s.kind for s in sources)).encode())
    return "rec-" + hasher.hexdigest()[:16]


def _last(events: Sequence[ShopperEvent]) -> str:
    return events[-1].occurred_at.isoformat() if events else "-"


def fit_engine(
    data: TrainingData,
    *,
    config: EngineConfig = EngineConfig(),
    encoder: Encoder | None = None,
    learned: EmbeddingRecommender | None = None,
) -> RecommendationEngine:
    """Fit every part of the engine on the training data."""
    popularity = PopularityRecommender(segment="department")
    content = ContentRecommender(
        encode=encoder.encode if encoder else None,
        model_id=encoder.model_id if encoder else "none",
        cache_dir=encoder.cache_dir if encoder else None,
        feature_share=config.feature_share,
        dimension=config.content_dimension,
    )
    sources: dict[str, Recommender] = {
        "cooccurrence": CooccurrenceRecommender(),
        "content": content,
    }
    if learned is None and config.learned_svd:
        sources["embedding"] = EmbeddingRecommender(factors=config.svd_factors)
    for model in (popularity, *sources.values()):
        model.fit(data)
    if learned is not None:
        sources["embedding"] = learned
    lookalikes = None
    if config.lookalikes:
        lookalikes = build_lookalikes(*fit_lookalikes(data, content, config.profile))
    return RecommendationEngine(
        catalog=data.catalog,
        popularity=popularity,
        sources=sources,
        stats=fit_item_stats(data),
        rules=basket_rules(data),
        prices=category_prices((i.category, i.price_cents) for i in data.catalog.items),
        lookalikes=lookalikes,
        config=config.ranker,
        version=_version(data, config, [popularity, *sources.values()]),
    )

"""Recommendation: one recommender interface, several implementations, and a ranker.

Every recommender (`popularity` by segment, item-item `cooccurrence`, `content` similarity,
learned `embedding` vectors) follows `Recommender`: `fit`, `recommend`, `similar_items`,
`save`, `load`, and answers deterministically (ties by sku). The `Ranker` combines their
candidates with the shopper's profile, propensity, margin, stock and merchandising rules into
a diverse list where every item carries its reasons; `RecommendService` serves it over the
store.
"""

from tools.recommend.base import DenseRecommender, Recommender, Scored, top_k
from tools.recommend.bench import bench_recommend
from tools.recommend.catalog import Catalog, catalog_of, load_catalog
from tools.recommend.config import RankerConfig, SourceWeights
from tools.recommend.content import ContentRecommender, item_text
from tools.recommend.cooccurrence import CooccurrenceRecommender
from tools.recommend.data import Query, Touch, TrainingData, query_of, touches_of
from tools.recommend.engine import RecommendationEngine, Situation
from tools.recommend.exceptions import (
    ModelFileError,
    NotFittedError,
    RecommendError,
    UnknownItemError,
)
from tools.recommend.fit import Encoder, EngineConfig, fit_engine
from tools.recommend.learned import EmbeddingRecommender
from tools.recommend.merch import MerchRules, load_merch_rules, merch_rules_of
from tools.recommend.opening import open_engine, store_fingerprint, text_encoder, training_data
from tools.recommend.persist import load_engine, save_engine
from tools.recommend.popularity import PopularityRecommender
from tools.recommend.registry import RECOMMENDERS, load_recommender
from tools.recommend.results import RankedItem, Reason, ReasonCode, RecommendationList
from tools.recommend.service import RecommendService, open_service
from tools.recommend.similar import BoughtTogetherItem, SimilarItem
from tools.recommend.stock import StockLevels, load_stock_levels

__all__ = [
    "RECOMMENDERS",
    "BoughtTogetherItem",
    "Catalog",
    "ContentRecommender",
    "CooccurrenceRecommender",
    "DenseRecommender",
    "EmbeddingRecommender",
    "Encoder",
    "EngineConfig",
    "MerchRules",
    "ModelFileError",
    "NotFittedError",
    "PopularityRecommender",
    "Query",
    "RankedItem",
    "RankerConfig",
    "Reason",
    "ReasonCode",
    "RecommendError",
    "RecommendService",
    "RecommendationEngine",
    "RecommendationList",
    "Recommender",
    "Scored",
    "SimilarItem",
    "Situation",
    "SourceWeights",
    "StockLevels",
    "Touch",
    "TrainingData",
    "UnknownItemError",
    "bench_recommend",
    "catalog_of",
    "fit_engine",
    "item_text",
    "load_catalog",
    "load_engine",
    "load_merch_rules",
    "load_recommender",
    "load_stock_levels",
    "merch_rules_of",
    "open_engine",
    "open_service",
    "query_of",
    "save_engine",
    "store_fingerprint",
    "text_encoder",
    "top_k",
    "touches_of",
    "training_data",
]

"""The recommendation engine: fitted recommenders, item statistics, basket rules and the ranker,
and what it answers: picks for a shopper, ranking given candidates, similar items, and items
bought together."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import numpy as np

from tools.baskets import RuleSet, bought_together
from tools.profiles import CategoryPrices, LookalikeIndex, ProfileContext, ShopperProfile
from tools.recommend.base import DenseRecommender, Recommender, Scored, check_k
from tools.recommend.blocks import DepartmentBlocks
from tools.recommend.candidates import (
    Candidates,
    Shopper,
    gather,
    history_items,
    not_rebought,
    repurchase_items,
    together_items,
)
from tools.recommend.catalog import Catalog, FloatArray, IntArray
from tools.recommend.config import RankerConfig
from tools.recommend.content import ContentRecommender
from tools.recommend.data import Query
from tools.recommend.exceptions import UnknownItemError
from tools.recommend.merch import MerchRules
from tools.recommend.popularity import PopularityRecommender
from tools.recommend.ranker import LiveCheck, Ranker, RankRequest
from tools.recommend.results import RecommendationList, Strategy
from tools.recommend.similar import BoughtTogetherItem, SimilarItem, similar_from
from tools.recommend.stats import ItemStats
from tools.recommend.stock import StockLevels

DENSE_SOURCES = ("content", "embedding")
MAX_DEPARTMENTS = 3  # the dense sources search the shopper's three strongest departments


@dataclass(frozen=True)
class Situation:
    """When and against what a request is answered: the day, stock and merchandising rules."""

    today: date
    stock: StockLevels = field(default_factory=StockLevels)
    merch: MerchRules = field(default_factory=MerchRules)
    query_text: str | None = None
    live: LiveCheck | None = None


def price_positions(catalog: Catalog, prices: CategoryPrices) -> FloatArray:
    """Each item's price position in its category (standard deviations; 0 if unknown)."""
    return np.array(
        [
            prices.position(category=i.category, price_cents=i.price_cents) or 0.0
            for i in catalog.items
        ]
    )


@dataclass
class RecommendationEngine:
    """Everything fitted, and the operations the recommend tools expose."""

    catalog: Catalog
    popularity: PopularityRecommender
    sources: dict[str, Recommender]
    stats: ItemStats
    rules: RuleSet | None
    prices: CategoryPrices
    lookalikes: LookalikeIndex | None
    config: RankerConfig
    version: str
    ranker: Ranker = field(init=False)
    _blocks: dict[str, DepartmentBlocks] = field(init=False, repr=False)
    _aligned: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._aligned = {n for n, s in self.sources.items() if s.skus == self.catalog.skus}
        self._blocks = {
            name: DepartmentBlocks.of(self.catalog, source.item_matrix())
            for name, source in self.sources.items()
            if name in DENSE_SOURCES
            and isinstance(source, DenseRecommender)
            and source.skus == self.catalog.skus
        }
        self.ranker = Ranker(
            catalog=self.catalog,
            stats=self.stats,
            price_position=price_positions(self.catalog, self.prices),
            config=self.config,
        )

    @property
    def content(self) -> ContentRecommender | None:
        """The content recommender (its vectors make taste vectors), if fitted."""
        found = self.sources.get("content")
        return found if isinstance(found, ContentRecommender) else None

    def profile_context(self) -> ProfileContext:
        """What shopper profiles are built against."""
        return ProfileContext(
            items=self.catalog, prices=self.prices, vectors=self.content, lookalikes=self.lookalikes
        )

    def _dense(self, shopper: Shopper, banned: IntArray, found: Candidates) -> set[str]:
        """Dense sources propose from the shopper's departments (when those are known)."""
        profile = shopper.profile
        names = [a.value for a in profile.departments[:MAX_DEPARTMENTS]]
        names += profile.session.departments
        codes = [c for n in names if (c := self.catalog.code("department", n)) is not None]
        if not codes:
            return set()
        for name, blocks in sorted(self._blocks.items()):
            source = self.sources[name]
            assert isinstance(source, DenseRecommender)
            vector = source.query_vector(shopper.query)
            if vector is not None:
                at, scores = blocks.top(
                    vector, codes, k=self.config.candidates_per_source, banned=banned
                )
                found.add_positions(name, at, scores)
                found.explainers[name] = partial(source.because, shopper.query)
        return set(self._blocks)

    def _positions(self, skus: Collection[str]) -> IntArray:
        where = self.catalog.positions
        return np.array(sorted({where[s] for s in skus if s in where}), dtype=np.int64)

    def _candidates(
        self, shopper: Shopper, *, exclude: Collection[str], items: Collection[str] | None
    ) -> Candidates:
        limit = self.config.candidates_per_source
        banned = self._positions(exclude)
        allowed = None if items is None else self._positions(items)
        found = Candidates(catalog=self.catalog)
        done = self._dense(shopper, banned, found) if items is None else set()
        rest = {name: s for name, s in self.sources.items() if name not in done}
        gather(
            rest, shopper, found, exclude=banned, limit=limit, items=allowed, aligned=self._aligned
        )
        shares = {a.value: a.score for a in shopper.profile.departments}
        found.add(
            "popularity", self.popularity.popular_in(shares, k=limit, exclude=exclude, items=items)
        )
        found.add("history", history_items(shopper, exclude))
        found.add("repurchase", repurchase_items(shopper, self.catalog, self.stats, self.config))
        together, because = together_items(shopper, self.rules, limit)
        found.add("together", together)
        found.explainers["together"] = lambda skus: {s: because[s] for s in skus if s in because}
        if allowed is not None:
            found.keep_only(allowed, keep=True)
        found.keep_only(banned, keep=False)
        return found

    def _strategy(self, shopper: Shopper) -> Strategy:
        if not shopper.query.touches and not shopper.profile.departments:
            return "popular"
        return "cold_start" if shopper.profile.cold_start else "personal"

    def recommend(
        self,
        profile: ShopperProfile,
        query: Query,
        situation: Situation,
        *,
        k: int = 10,
        exclude: Collection[str] = (),
        basket: Collection[str] | None = None,
    ) -> RecommendationList:
        """The k best items for a shopper (history, session, profile), with reasons.

        `basket` (what bought-together starts from) defaults to the session's cart, else
        the shopper's three latest purchases.
        """
        check_k(k)
        if basket is None:
            basket = profile.session.in_cart or profile.bought[:3]
        shopper = Shopper(query=query, profile=profile, basket=tuple(sorted(basket)))
        min_rate = self.config.repurchase_min_rate
        excluded = set(exclude) | not_rebought(profile, self.catalog, self.stats, min_rate)
        candidates = self._candidates(shopper, exclude=excluded, items=None)
        return self._ranked(shopper, candidates, situation, k=k)

    def rank_candidates(
        self,
        profile: ShopperProfile,
        query: Query,
        situation: Situation,
        *,
        skus: list[str],
        k: int = 10,
    ) -> RecommendationList:
        """The given skus re-ranked for the shopper (their given order counts as relevance)."""
        check_k(k)
        shopper = Shopper(query=query, profile=profile)
        candidates = self._candidates(shopper, exclude=(), items=skus)
        known = list(dict.fromkeys(s for s in skus if self.catalog.item(s) is not None))
        candidates.add(
            "given",
            [Scored(sku, 1.0 - rank / max(1, len(known))) for rank, sku in enumerate(known)],
        )
        return self._ranked(shopper, candidates, situation, k=k)

    def _ranked(
        self, shopper: Shopper, candidates: Candidates, situation: Situation, *, k: int
    ) -> RecommendationList:
        request = RankRequest(
            profile=shopper.profile,
            candidates=candidates,
            today=situation.today,
            k=k,
            stock=situation.stock,
            merch=situation.merch,
            query_text=situation.query_text,
            live=situation.live,
        )
        return RecommendationList(
            shopper_id=shopper.profile.shopper_id,
            strategy=self._strategy(shopper),
            items=self.ranker.rank(request),
            sources=candidates.sources(),
            model_version=self.version,
        )

    def similar_items(
        self, sku: str, *, k: int = 10, stock: StockLevels | None = None
    ) -> list[SimilarItem]:
        """Items like `sku` (co-occurrence, content, learned), one per product, in stock."""
        check_k(k)
        if self.catalog.item(sku) is None:
            raise UnknownItemError(sku)
        limit = self.config.candidates_per_source
        found = {name: s.similar_items(sku, k=limit) for name, s in sorted(self.sources.items())}
        return similar_from(found, catalog=self.catalog, sku=sku, k=k, stock=stock or StockLevels())

    def bought_together(
        self, skus: Collection[str], *, k: int = 5, stock: StockLevels | None = None
    ) -> list[BoughtTogetherItem]:
        """Items often bought with these, strongest rule first, in stock."""
        check_k(k)
        for sku in skus:
            if self.catalog.item(sku) is None:
                raise UnknownItemError(sku)
        if self.rules is None:
            return []
        levels = stock or StockLevels()
        suggested = bought_together(rules=self.rules, items=skus, limit=k + len(levels.levels))
        return [
            BoughtTogetherItem.of(s, self.catalog)
            for s in suggested
            if levels.level(s.item).value != "out"
        ][:k]

    def describe(self) -> Mapping[str, object]:
        """What is fitted, for status reports."""
        return {
            "version": self.version,
            "skus": len(self.catalog),
            "sources": sorted([*self.sources, "popularity", "history", "repurchase", "together"]),
            "rules": 0 if self.rules is None else len(self.rules.rules),
            "lookalike_shoppers": 0
            if self.lookalikes is None
            else len(self.lookalikes.shopper_ids),
        }

"""The ranker: relevance from the candidate sources, then the shopper's affinities, price
fit, purchase propensity, margin, stock and merchandising, then pins and diversity.

Out-of-stock items, items an exclude rule covers and (by default) items carrying a value the
shopper said to avoid never appear. Pinned items come first (at most `max_pinned`); the rest
follow by score with maximal-marginal-relevance diversity. See `RankerConfig` for weights.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tools.inventory import StockLevel
from tools.profiles import Scalar, ShopperProfile
from tools.recommend.candidates import Candidates
from tools.recommend.catalog import Catalog, FloatArray, IntArray
from tools.recommend.config import RankerConfig
from tools.recommend.diversity import Looks, diversify
from tools.recommend.merch import MerchEffect, MerchRules
from tools.recommend.reasons import Evidence, reasons_for
from tools.recommend.results import RankedItem
from tools.recommend.stats import ItemStats
from tools.recommend.stock import LEVELS, StockLevels

OUT = LEVELS.index(StockLevel.OUT)
BRAND_LIKED = 0.3  # brand affinity, relative to their top brand, that counts as liked
LIVE_MARGIN = 5  # extra items ranked in case the live stock check drops some

LiveCheck = Callable[[Sequence[str]], Collection[str]]
"""Which of these skus are in stock right now (checked just before they are shown)."""


@dataclass(frozen=True)
class RankRequest:
    """One ranking: whose, from which candidates, against which stock and rules, how many."""

    profile: ShopperProfile
    candidates: Candidates
    today: date
    k: int = 10
    stock: StockLevels = field(default_factory=StockLevels)
    merch: MerchRules = field(default_factory=MerchRules)
    query_text: str | None = None
    live: LiveCheck | None = None


@dataclass(frozen=True)
class _Pool:
    """The eligible candidates: catalog positions (sku order) and their rules' effects."""

    positions: IntArray
    effects: list[MerchEffect]


class Ranker:
    """Scores and orders candidates; built once per fitted catalog."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        stats: ItemStats,
        price_position: FloatArray,
        config: RankerConfig,
    ) -> None:
        self.catalog = catalog
        self.stats = stats
        self.config = config
        self._price_position = np.clip(np.nan_to_num(price_position), -2.0, 2.0) / 2.0
        prices = catalog.price_cents
        margin = np.where(
            prices > 0, (prices - catalog.unit_cost_cents) / np.maximum(prices, 1), np.nan
        )
        known = margin[np.isfinite(margin)]
        median = float(np.median(known)) if known.size else 0.0
        self._margin = np.nan_to_num(np.clip(margin - median, -0.5, 0.5))
        base = stats.base_conversion
        self._propensity = (
            stats.conversion / (stats.conversion + base) - 0.5
            if base > 0
            else np.zeros(len(catalog))
        )

    def rank(self, request: RankRequest) -> list[RankedItem]:
        """The top `k` items, best first, each with its terms and reasons."""
        pool = self._eligible(request)
        if not pool.positions.size:
            return []
        terms = self._terms(request, pool)
        scores = np.sum(list(terms.values()), axis=0)
        pins, order = self._order(request, pool, scores)
        skus = {i: self.catalog.skus[pool.positions[i]] for i in order}
        if request.live is not None:
            live = set(request.live([skus[i] for i in order]))
            order = [i for i in order if skus[i] in live][: request.k]
        because = request.candidates.because([skus[i] for i in order])
        brand = self._affinities(request.profile, pool.positions[order])[1]
        return [
            self._item(
                request,
                pool,
                terms,
                i,
                rank=rank,
                pinned=i in pins,
                because={s: b[skus[i]] for s, b in because.items() if skus[i] in b},
                liked_brand=bool(brand[rank - 1] >= BRAND_LIKED),
            )
            for rank, i in enumerate(order, 1)
        ]

    def _eligible(self, request: RankRequest) -> _Pool:
        where = self.catalog.positions
        pinned = [where[s] for s in request.merch.pinned_skus if s in where]
        at = np.union1d(request.candidates.positions(), np.array(pinned, dtype=np.int64))
        keep = request.stock.codes(self.catalog.skus)[at] != OUT
        if self.config.hard_avoid:
            for a in request.profile.avoid:
                keep &= ~self.catalog.has_value(at, a.key, a.value)
        at = at[keep]
        effects = [MerchEffect()] * at.size
        if request.merch.rules:
            effects = [
                request.merch.effect(self.catalog.items[p], query=request.query_text) for p in at
            ]
            allowed = np.array([not e.excluded for e in effects], dtype=bool)
            effects = [e for e in effects if not e.excluded]
            at = at[allowed]
        return _Pool(positions=at.astype(np.int64), effects=effects)

    def _terms(self, request: RankRequest, pool: _Pool) -> dict[str, FloatArray]:
        c, at = self.config, pool.positions
        department, brand = self._affinities(request.profile, at)
        terms = self._relevance(request.candidates, at)
        terms["department"] = c.department * department
        terms["brand"] = c.brand * brand
        terms["attributes"] = c.attributes * self._attributes(request.profile, at)
        terms["price_fit"] = c.price_fit * self._price_fit(request.profile, at)
        terms["propensity"] = c.propensity * self._propensity[at]
        terms["margin"] = c.margin * self._margin[at]
        terms["stock"] = self._stock(request.stock, at)
        terms["new_from_brand"] = c.new_from_brand * self._new(request, at, brand)
        terms["merchandising"] = c.merchandising * np.array([e.adjust for e in pool.effects])
        return terms

    def _relevance(self, candidates: Candidates, at: IntArray) -> dict[str, FloatArray]:
        weights = self.config.sources.model_dump()
        return {
            f"source:{source}": weights.get(source, 0.0) * candidates.column(source, at)
            for source in candidates.sources()
        }

    def _affinities(self, profile: ShopperProfile, at: IntArray) -> tuple[FloatArray, FloatArray]:
        tables = []
        catalog = self.catalog
        for kind, found, of, size in (
            ("department", profile.departments, catalog.department_of, len(catalog.departments)),
            ("brand", profile.brands, catalog.brand_of, len(catalog.brands)),
        ):
            table = np.zeros(size)  # one entry per code (codes number the sorted names)
            for affinity in found:
                code = self.catalog.code(kind, affinity.value)
                if code is not None:
                    table[code] = max(0.0, affinity.score)
            top = table.max(initial=0.0)
            tables.append(table[of[at]] / top if top > 0 else np.zeros(at.size))
        return tables[0], tables[1]

    def _attributes(self, profile: ShopperProfile, at: IntArray) -> FloatArray:
        matches = np.zeros(at.size)
        for liked in profile.attributes:
            matches += self.catalog.has_value(at, liked.key, liked.value)
        if not self.config.hard_avoid:
            for avoided in profile.avoid:
                matches -= 2 * self.catalog.has_value(at, avoided.key, avoided.value)
        clipped: FloatArray = np.clip(matches, -2.0, 2.0) / 2.0
        return clipped

    def _price_fit(self, profile: ShopperProfile, at: IntArray) -> FloatArray:
        if profile.price.source == "default":
            return np.zeros(at.size)
        lean = (profile.price.estimate - 0.5) * 2.0
        fit: FloatArray = np.clip(-lean * self._price_position[at], -1.0, 1.0)
        return fit

    def _stock(self, stock: StockLevels, at: IntArray) -> FloatArray:
        c = self.config
        value = np.array([0.0, 0.0, -c.low_stock, c.overstock])  # in LEVELS order
        found: FloatArray = value[stock.codes(self.catalog.skus)[at]]
        return found

    def _new(self, request: RankRequest, at: IntArray, brand: FloatArray) -> FloatArray:
        day = request.today.toordinal()
        launched = self.catalog.launch_day[at]
        fresh = (launched >= 0) & (launched <= day) & (day - launched < self.config.new_days)
        return (fresh & (brand >= BRAND_LIKED)).astype(np.float64)

    def _order(
        self, request: RankRequest, pool: _Pool, scores: FloatArray
    ) -> tuple[set[int], list[int]]:
        pins = [i for i, e in enumerate(pool.effects) if e.pin is not None]
        pins.sort(key=lambda i: (-(pool.effects[i].pin or 0.0), -scores[i], pool.positions[i]))
        taken = pins[: min(self.config.max_pinned, request.k)]
        looks = Looks(
            brand=self.catalog.brand_of[pool.positions],
            category=self.catalog.category_of[pool.positions],
            group=self.catalog.group_of[pool.positions],
        )
        rest = diversify(
            scores,
            looks,
            k=request.k + (LIVE_MARGIN if request.live is not None else 0),
            penalty=self.config.diversity,
            max_per_brand=self.config.max_per_brand,
            max_per_product=self.config.max_per_product,
            taken=taken,
        )
        return set(taken), taken + rest

    def _matched(self, profile: ShopperProfile, sku: str) -> list[tuple[str, Scalar]]:
        item = self.catalog.item(sku)
        values = set(item.values()) if item else set()
        return [(a.key, a.value) for a in profile.attributes if (a.key, a.value) in values]

    def _item(
        self,
        request: RankRequest,
        pool: _Pool,
        terms: dict[str, FloatArray],
        i: int,
        *,
        rank: int,
        pinned: bool,
        because: Mapping[str, str],
        liked_brand: bool,
    ) -> RankedItem:
        item = self.catalog.items[pool.positions[i]]
        sku = item.sku
        contributions = {name: round(float(v[i]), 6) for name, v in terms.items() if v[i] != 0}
        evidence = Evidence(
            sku=sku,
            terms=contributions,
            because=because,
            matched=self._matched(request.profile, sku),
            pinned=pinned,
            liked_brand=liked_brand,
        )
        return RankedItem(
            rank=rank,
            sku=sku,
            title=item.title,
            brand=item.brand,
            category=item.category,
            price_cents=item.price_cents,
            score=round(sum(contributions.values()), 6),
            pinned=pinned,
            low_stock=request.stock.level(sku) is StockLevel.LOW,
            terms=contributions,
            reasons=reasons_for(evidence, profile=request.profile, catalog=self.catalog),
        )

"""Candidate generation: every source proposes items with a score normalised to 0-1.

Sources are the fitted recommenders (popularity, co-occurrence, content, learned embeddings)
and three read straight from the shopper: items they viewed or carted but did not buy
(`history`), items they bought in departments whose purchases are often re-bought
(`repurchase`), and items bought together with their latest basket (`together`). Scores of
similarity sources (content, embedding) are spread from their last candidate (0) to their
first (1); the others are divided by their best.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from tools.baskets import RuleSet, bought_together
from tools.profiles import ShopperProfile
from tools.recommend.base import Recommender, Scored, member
from tools.recommend.catalog import Catalog, FloatArray, IntArray
from tools.recommend.config import RankerConfig
from tools.recommend.data import Query
from tools.recommend.stats import ItemStats

SPREAD_SOURCES = frozenset({"content", "embedding"})


Explain = Callable[[Sequence[str]], Mapping[str, str]]


@dataclass
class Candidates:
    """Proposed items by catalog position: each source's normalised scores, in position order,
    and how to tell what prompted them."""

    catalog: Catalog
    by_source: dict[str, tuple[IntArray, FloatArray]] = field(default_factory=dict)
    explainers: dict[str, Explain] = field(default_factory=dict)

    def add_positions(self, source: str, positions: IntArray, scores: FloatArray) -> None:
        """Add a source's answer (best first), normalised to 0-1."""
        if positions.size == 0:
            return
        best, last = float(scores[0]), float(scores[-1])
        floor = last if source in SPREAD_SOURCES and best > last else 0.0
        top = best - floor
        values = np.clip((scores - floor) / top, 0.0, 1.0) if top > 0 else np.zeros(scores.size)
        order = np.argsort(positions, kind="stable")
        self.by_source[source] = (positions[order], values[order])

    def add(self, source: str, found: Sequence[Scored]) -> None:
        """Add a source's answer given by sku (best first); unknown skus are skipped."""
        where = self.catalog.positions
        known = [(where[s.sku], s.score) for s in found if s.sku in where]
        positions = np.array([p for p, _ in known], dtype=np.int64)
        self.add_positions(source, positions, np.array([v for _, v in known], dtype=np.float64))

    def positions(self) -> IntArray:
        """Every proposed position, in order."""
        if not self.by_source:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate([p for p, _ in self.by_source.values()]))

    @property
    def skus(self) -> list[str]:
        """Every proposed sku, in order."""
        return [self.catalog.skus[p] for p in self.positions()]

    def sources(self) -> list[str]:
        """The sources that proposed anything."""
        return sorted(source for source, (found, _) in self.by_source.items() if found.size)

    def column(self, source: str, positions: IntArray) -> FloatArray:
        """The source's normalised score at each of `positions` (0 where it proposed nothing)."""
        found, values = self.by_source[source]
        at = np.minimum(np.searchsorted(found, positions), max(0, found.size - 1))
        hit = found[at] == positions if found.size else np.zeros(positions.size, dtype=bool)
        column: FloatArray = np.where(hit, values[at] if found.size else 0.0, 0.0)
        return column

    def keep_only(self, positions: IntArray, *, keep: bool) -> None:
        """Keep only (keep=True) or forget (keep=False) these positions in every source."""
        for source, (found, values) in self.by_source.items():
            inside = member(found, positions)
            chosen = inside if keep else ~inside
            self.by_source[source] = (found[chosen], values[chosen])

    def because(self, skus: Sequence[str]) -> dict[str, Mapping[str, str]]:
        """Per source, the touched (or basket) item that prompted each of `skus`."""
        return {source: explain(skus) for source, explain in sorted(self.explainers.items())}


@dataclass(frozen=True)
class Shopper:
    """What candidate generation reads about the shopper."""

    query: Query
    profile: ShopperProfile
    basket: tuple[str, ...] = ()


def history_items(shopper: Shopper, excluded: Collection[str]) -> list[Scored]:
    """Items viewed or carted and not bought, by recency-weighted interest."""
    positions: dict[str, float] = defaultdict(float)
    for rank, touch in enumerate(reversed(shopper.query.touches)):
        if touch.weight > 0 and touch.sku not in excluded:
            positions[touch.sku] += touch.weight / (1.0 + rank / 10.0)
    bought = set(shopper.profile.bought)
    found = [Scored(s, w) for s, w in positions.items() if s not in bought]
    return sorted(found, key=lambda s: (-s.score, s.sku))


def repurchase_items(
    shopper: Shopper, catalog: Catalog, stats: ItemStats, config: RankerConfig
) -> list[Scored]:
    """Bought items of often re-bought departments, recent and high-rate first."""
    found: list[Scored] = []
    for rank, sku in enumerate(shopper.profile.bought):
        item = catalog.item(sku)
        rate = stats.repurchase_rate(item.department) if item else 0.0
        if item is not None and rate >= config.repurchase_min_rate:
            found.append(Scored(sku, rate / (1.0 + rank / 5.0)))
    return sorted(found, key=lambda s: (-s.score, s.sku))


def together_items(
    shopper: Shopper, rules: RuleSet | None, limit: int
) -> tuple[list[Scored], Mapping[str, str]]:
    """Items the association rules suggest for the basket, and the basket item behind each."""
    if rules is None or not shopper.basket:
        return [], {}
    suggested = bought_together(rules=rules, items=shopper.basket, limit=limit)
    return [Scored(s.item, s.lift) for s in suggested], {s.item: s.because[0] for s in suggested}


def not_rebought(
    profile: ShopperProfile, catalog: Catalog, stats: ItemStats, min_rate: float
) -> set[str]:
    """Bought items of departments that are rarely re-bought: not to be recommended again."""
    return {
        sku
        for sku in profile.bought
        if (item := catalog.item(sku)) is not None
        and stats.repurchase_rate(item.department) < min_rate
    }


def gather(
    sources: Mapping[str, Recommender],
    shopper: Shopper,
    into: Candidates,
    *,
    exclude: IntArray,
    limit: int,
    items: IntArray | None = None,
    aligned: Collection[str] = (),
) -> Candidates:
    """Ask every recommender source, noting how to tell why; `aligned` sources number their
    items as the catalog does and answer in positions directly."""
    for name in sorted(sources):
        source = sources[name]
        if name in aligned:
            found, scores = source.recommend_positions(
                shopper.query, k=limit, banned=exclude, allowed=items
            )
            into.add_positions(name, found, scores)
        else:
            skus = into.catalog.skus
            into.add(
                name,
                source.recommend(
                    shopper.query,
                    k=limit,
                    exclude=[skus[p] for p in exclude],
                    exclude_seen=False,
                    items=None if items is None else [skus[p] for p in items],
                ),
            )
        into.explainers[name] = partial(source.because, shopper.query)
    return into

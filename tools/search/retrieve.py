"""Hybrid catalog search: BM25 and dense rankings under hard filters, fused by reciprocal rank."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.exceptions import InputError
from tools.search.filters import SearchFilters
from tools.search.fusion import RRF_K, reciprocal_rank_fusion
from tools.search.index import CatalogIndex
from tools.search.masks import filter_mask
from tools.search.postings import Mask
from tools.search.tokens import tokenize

DEPTH = 100  # candidates taken from each ranking before fusion
MAX_K = 1000
MAX_QUERY_CHARS = 1000


class SearchHit(BaseModel):
    """One product found, best first."""

    model_config = ConfigDict(frozen=True)

    sku: str
    score: float = Field(description="Reciprocal-rank-fusion score; 0 when browsing")
    bm25_rank: int | None = Field(description="1-based rank among BM25 matches; None if absent")
    dense_rank: int | None = Field(
        description="1-based rank by embedding similarity; None if absent"
    )


def _check(query: str, k: int) -> str:
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K}, got {k}", field="k")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"query longer than {MAX_QUERY_CHARS} characters", field="query")
    return " ".join(query.split())


def _browse(index: CatalogIndex, allowed: Mask | None, k: int) -> list[SearchHit]:
    order = index.browse_order
    if allowed is not None:
        order = order[allowed[order]]
    return [
        SearchHit(sku=index.skus[row], score=0.0, bm25_rank=None, dense_rank=None)
        for row in order[:k].tolist()
    ]


def search(
    index: CatalogIndex,
    *,
    query: str = "",
    filters: SearchFilters | None = None,
    k: int = 20,
    depth: int = DEPTH,
    rrf_k: int = RRF_K,
) -> list[SearchHit]:
    """The `k` best products for `query` that pass `filters`, best first, ties by sku.

    An empty query browses: the products that pass the filters, best sellers first, then by sku.
    """
    text = _check(query, k)
    allowed = filter_mask(index, filters or SearchFilters())
    if not text:
        return _browse(index, allowed, k)
    depth = max(depth, k)
    lexical = index.lexical.ranked(tokenize(text), allowed=allowed, depth=depth)
    dense = index.dense.ranked(index.encoder.encode_query(text), allowed=allowed, depth=depth)
    return [
        SearchHit(
            sku=index.skus[item.row],
            score=item.score,
            bm25_rank=item.ranks[0],
            dense_rank=item.ranks[1],
        )
        for item in reciprocal_rank_fusion([lexical, dense], k=rrf_k)[:k]
    ]


def count_matching(index: CatalogIndex, *, filters: SearchFilters) -> int:
    """How many products pass `filters`."""
    allowed = filter_mask(index, filters)
    return index.size if allowed is None else int(allowed.sum())

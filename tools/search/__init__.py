"""Hybrid catalog search: BM25 + dense embeddings under hard filters, fused by rank.

Typical use:

index = load_or_build(engine=engine, data_dir=settings.data_dir)
hits = search(index, query="moisturizer for sensitive skin",
              filters=SearchFilters(max_price_cents=3000, same_day_pickup=True), k=20)
refresh_stock(index, engine=engine)  # after stock moves; the text indexes stay as they are
"""

from tools.search.dense import DenseIndex
from tools.search.encoder import Encoder
from tools.search.filters import SearchFilters
from tools.search.index import CatalogIndex, build_index, catalog_fingerprint
from tools.search.live import refresh_browse_order, refresh_prices, refresh_stock
from tools.search.persist import load_index, load_or_build, load_or_build_records, save_index
from tools.search.records import CatalogRecord, read_catalog
from tools.search.retrieve import SearchHit, count_matching, search
from tools.search.text import product_text

__all__ = [
    "CatalogIndex",
    "CatalogRecord",
    "DenseIndex",
    "Encoder",
    "SearchFilters",
    "SearchHit",
    "build_index",
    "catalog_fingerprint",
    "count_matching",
    "load_index",
    "load_or_build",
    "load_or_build_records",
    "product_text",
    "read_catalog",
    "refresh_browse_order",
    "refresh_prices",
    "refresh_stock",
    "save_index",
    "search",
]

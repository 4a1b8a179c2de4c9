"""The catalog search index: BM25, dense vectors and filter columns over one catalog version."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tools.embeddings import CountProgress, EncodingProgress, cached_embeddings
from tools.search.dense import HNSW_THRESHOLD, DenseIndex
from tools.search.encoder import Encoder
from tools.search.facets import Facets, category_order
from tools.search.lexical import LexicalIndex
from tools.search.postings import Rows
from tools.search.records import CatalogRecord
from tools.search.stock import StockView, build_stock
from tools.search.text import dense_text, product_terms

FORMAT_VERSION = "2"  # 2: products are embedded from their short summary

Prices = npt.NDArray[np.int64]


@dataclass
class CatalogIndex:
    """Everything search needs about one catalog version; row i is the i-th sku in sku order.

    Text-derived parts (BM25, vectors, facets) are fixed for the version; prices, stock and
    the browse order are live and replaced wholesale by the refresh functions.
    """

    fingerprint: str
    skus: list[str]
    row_of: dict[str, int]
    lexical: LexicalIndex
    dense: DenseIndex
    facets: Facets
    encoder: Encoder
    prices: Prices
    stock: StockView
    browse_order: Rows

    @property
    def size(self) -> int:
        """Number of products indexed."""
        return len(self.skus)


def catalog_fingerprint(
    records: Sequence[CatalogRecord], *, model_id: str, hnsw_threshold: int
) -> str:
    """A short hash of everything the fixed parts of an index are built from (not prices)."""
    hasher = hashlib.sha256(f"{FORMAT_VERSION}\x00{model_id}\x00{hnsw_threshold}\x00".encode())
    for record in records:
        fields = [
            record.sku,
            record.title,
            record.description,
            record.brand,
            record.category,
            record.attributes,
            record.tags,
        ]
        hasher.update(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode())
        hasher.update(b"\n")
    return hasher.hexdigest()[:16]


def prices_of(records: Sequence[CatalogRecord]) -> Prices:
    """List prices in cents, row for row."""
    return np.array([record.list_price_cents for record in records], dtype=np.int64)


def empty_stock(row_of: dict[str, int]) -> StockView:
    """A stock view with no locations (nothing in stock anywhere)."""
    return build_stock(row_of=row_of, available=[], locations={})


def sku_order(size: int) -> Rows:
    """Rows in sku order: the browse order before sales are known."""
    return np.arange(size, dtype=np.int32)


def check_sorted(records: Sequence[CatalogRecord]) -> None:
    """Refuse records that are not in strictly increasing sku order (a programming error)."""
    for before, after in itertools.pairwise(records):
        if not before.sku < after.sku:
            raise ValueError(f"catalog records out of sku order at {after.sku!r}")


def build_index(
    *,
    records: Sequence[CatalogRecord],
    encoder: Encoder,
    embeddings_dir: Path | None = None,
    hnsw_threshold: int = HNSW_THRESHOLD,
    progress: CountProgress | None = None,
) -> CatalogIndex:
    """Build an index of `records` (sorted by sku); embeddings are cached in `embeddings_dir`.

    Only the products whose embedded text is not cached yet are encoded; `progress` hears
    how many (the default logs a line every few seconds).
    """
    check_sorted(records)
    skus = [record.sku for record in records]
    texts = [dense_text(record) for record in records]
    meter = progress if progress is not None else EncodingProgress(label="embedding the catalog")
    if embeddings_dir is None:
        meter(0, len(texts))
        vectors = encoder.encode(texts)
        meter(len(texts), len(texts))
    else:
        vectors = cached_embeddings(
            directory=embeddings_dir,
            model_id=encoder.model_id,
            texts=texts,
            encode=encoder.encode,
            progress=meter,
        )
    row_of = {sku: row for row, sku in enumerate(skus)}
    facets = Facets.build(records)
    dense = DenseIndex.build(vectors, order=category_order(facets), hnsw_threshold=hnsw_threshold)
    return CatalogIndex(
        fingerprint=catalog_fingerprint(
            records, model_id=encoder.model_id, hnsw_threshold=hnsw_threshold
        ),
        skus=skus,
        row_of=row_of,
        lexical=LexicalIndex.build([product_terms(record) for record in records]),
        dense=dense,
        facets=facets,
        encoder=encoder,
        prices=prices_of(records),
        stock=empty_stock(row_of),
        browse_order=sku_order(len(skus)),
    )

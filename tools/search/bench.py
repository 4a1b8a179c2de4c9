"""Latency benchmark of hybrid search, query embedding included.

`python -m tools.search.bench --skus 10000 100000` builds (once; cached on disk) an index over
a synthetic catalog of each size and prints p50/p95/p99 for distinct, never-seen queries (each
one embedded) and for the same queries again (served from the encoder's query cache).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.embeddings import shared_encoder
from tools.search.filters import SearchFilters
from tools.search.index import CatalogIndex
from tools.search.persist import load_or_build_records
from tools.search.retrieve import search
from tools.search.synthetic import synthetic_catalog, synthetic_queries

BenchReport = dict[str, float | int | str]

FILTER_MIX: list[SearchFilters | None] = [
    None,
    SearchFilters(category="beauty"),
    SearchFilters(max_price_cents=3000),
    SearchFilters(category="beauty/skin care", attributes={"fragrance_free": True}),
    SearchFilters(exclude_attributes={"material": "leather"}, exclude_terms=["leather"]),
    SearchFilters(category="grocery/coffee", attributes={"organic": True}),
]


def _percentiles(prefix: str, millis: list[float]) -> BenchReport:
    if not millis:
        return {}
    p50, p95, p99 = np.percentile(np.array(millis), [50, 95, 99]).tolist()
    return {f"{prefix}p50_ms": p50, f"{prefix}p95_ms": p95, f"{prefix}p99_ms": p99}


def bench_search(
    index: CatalogIndex,
    queries: Sequence[str],
    repeats: int = 3,
    *,
    filters: Sequence[SearchFilters | None] = (None,),
    k: int = 20,
) -> BenchReport:
    """Search latency in ms over `queries` (filters cycled alongside).

    The first pass embeds each query (`p50_ms`…, assuming the queries were not searched
    before); the other `repeats - 1` passes find them in the query cache (`cached_p50_ms`…).
    """
    search(index, query="warm up the encoder and the index", k=k)
    cold: list[float] = []
    cached: list[float] = []
    for sweep in range(repeats):
        for i, query in enumerate(queries):
            started = time.perf_counter()
            search(index, query=query, filters=filters[i % len(filters)], k=k)
            (cold if sweep == 0 else cached).append((time.perf_counter() - started) * 1000)
    report: BenchReport = {
        "rows": index.size,
        "dense": index.dense.kind,
        "queries": len(queries),
        "repeats": repeats,
    }
    return report | _percentiles("", cold) | _percentiles("cached_", cached)


def bench_synthetic(
    *, size: int, data_dir: Path, queries: int = 300, repeats: int = 3
) -> dict[str, BenchReport]:
    """Build or load the index of a synthetic catalog of `size` products and time searches."""
    started = time.perf_counter()
    index = load_or_build_records(
        records=synthetic_catalog(size), data_dir=data_dir, encoder=shared_encoder()
    )
    ready_s = time.perf_counter() - started
    texts = synthetic_queries(2 * queries, seed=size)
    return {
        "index": {"rows": index.size, "dense": index.dense.kind, "load_or_build_s": ready_s},
        "unfiltered": bench_search(index, texts[:queries], repeats),
        "filtered": bench_search(index, texts[queries:], repeats, filters=FILTER_MIX),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: benchmark search at one or more catalog sizes and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--skus", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    default_dir = Path(tempfile.gettempdir()) / "concierge-search-bench"
    parser.add_argument("--data-dir", type=Path, default=default_dir)
    parser.add_argument(
        "--torch-threads", type=int, default=None, help="torch intra-op threads for encoding"
    )
    args = parser.parse_args(argv)
    if args.torch_threads is not None:
        import torch

        torch.set_num_threads(args.torch_threads)
    results = {
        str(size): bench_synthetic(
            size=size, data_dir=args.data_dir, queries=args.queries, repeats=args.repeats
        )
        for size in args.skus
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

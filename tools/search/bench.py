"""Latency benchmark of hybrid search, query embedding included.

`python -m tools.search.bench --skus 10000 100000` builds (once; cached on disk) an index over
a synthetic catalog of each size and prints p50/p95/p99 for distinct, never-seen queries (each
one embedded) and for the same queries again (served from the encoder's query cache), wall
clock and CPU time of the searching thread (what a search costs when it has a core to itself).
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.embeddings import EncodingProgress, TextEncoder, shared_encoder
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

    The first pass embeds each query (`p50_ms`…, `cpu_p50_ms`…, assuming the queries were
    not searched before); the other `repeats - 1` passes find them in the query cache
    (`cached_p50_ms`…).
    """
    search(index, query="warm up the encoder and the index", k=k)
    cold: list[float] = []
    cold_cpu: list[float] = []
    cached: list[float] = []
    for sweep in range(repeats):
        for i, query in enumerate(queries):
            started, started_cpu = time.perf_counter(), time.thread_time()
            search(index, query=query, filters=filters[i % len(filters)], k=k)
            (cold if sweep == 0 else cached).append((time.perf_counter() - started) * 1000)
            if sweep == 0:
                cold_cpu.append((time.thread_time() - started_cpu) * 1000)
    report: BenchReport = {
        "rows": index.size,
        "dense": index.dense.kind,
        "queries": len(queries),
        "repeats": repeats,
    }
    return (
        report
        | _percentiles("", cold)
        | _percentiles("cpu_", cold_cpu)
        | _percentiles("cached_", cached)
    )


def bench_synthetic(
    *,
    size: int,
    data_dir: Path,
    queries: int = 300,
    repeats: int = 3,
    encoder: TextEncoder | None = None,
) -> dict[str, BenchReport]:
    """Build or load the index of a synthetic catalog of `size` products and time searches."""
    encoder = encoder or shared_encoder()
    started = time.perf_counter()
    meter = EncodingProgress(label=f"embedding {size:,} products")
    index = load_or_build_records(
        records=synthetic_catalog(size), data_dir=data_dir, encoder=encoder, progress=meter
    )
    ready_s = time.perf_counter() - started
    texts = synthetic_queries(2 * queries, seed=size)
    ready: BenchReport = {"rows": index.size, "dense": index.dense.kind, "load_or_build_s": ready_s}
    return {
        "index": {**ready, **meter.summary()},
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
        "--workers", type=int, default=None, help="encoder threads for the catalog (all cores)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    encoder = TextEncoder(workers=args.workers)
    results = {
        str(size): bench_synthetic(
            size=size,
            data_dir=args.data_dir,
            queries=args.queries,
            repeats=args.repeats,
            encoder=encoder,
        )
        for size in args.skus
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

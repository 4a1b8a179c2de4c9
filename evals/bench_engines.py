"""`concierge bench engines`: latency of the engines on demo stores of given sizes.

For each size a demo store is built once under `<data dir>/bench/skus-<n>/` (and its search
index and embeddings cached beside it), then each engine is timed on its hot path: hybrid search
(query embedding included: every timed query is new to the query cache), recommendation for a
known shopper, availability + substitutes, and an offer decision. Building the search index
reports its progress as a bar with the embedding throughput, and the result says how many
products were embedded and how fast (`embedding`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tools.exceptions import InputError

BUDGETS_P95_MS: dict[str, float] = {
    "search": 25.0,
    "recommend": 10.0,
    "inventory": 5.0,
    "pricing": 5.0,
}
QUERY_WORDS = 3

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


def ensure_store(*, root: Path, skus: int, shoppers: int, seed: int, progress: Progress) -> Path:
    """The directory of a demo store of this size, built the first time it is asked for."""
    from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store

    directory = root / f"skus-{skus}-shoppers-{shoppers}-seed-{seed}"
    database = directory / "concierge.db"
    if not database.is_file():
        progress(f"building a {skus:,}-sku demo store in {directory}")
        directory.mkdir(parents=True, exist_ok=True)
        build_demo_store(
            url=f"sqlite:///{database}",
            truth_path=directory / TRUTH_FILE_NAME,
            spec=DemoSpec(seed=seed, skus=skus, shoppers=shoppers),
        )
    return directory


def search_queries(engine: Engine, *, count: int, seed: int) -> list[str]:
    """Distinct shopper-like queries: the last words of random product titles, lower-cased."""
    from tools.search import read_catalog

    titles = [record.title for record in read_catalog(engine)]
    rng = random.Random(seed)
    queries: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 20):
        words = rng.choice(titles).lower().replace(",", " ").split()
        query = " ".join(words[-QUERY_WORDS:])
        if query not in seen:
            seen.add(query)
            queries.append(query)
        if len(queries) == count:
            break
    return queries


ENGINES = tuple(BUDGETS_P95_MS)


def bench_store(
    *,
    directory: Path,
    queries: int,
    seed: int,
    engines: tuple[str, ...] = ENGINES,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Time the chosen engines on the store in `directory`."""
    from tools.embeddings import EncodingProgress
    from tools.inventory.bench import bench_inventory
    from tools.pricing.bench import bench_pricing
    from tools.search import load_or_build
    from tools.search.bench import bench_search
    from tools.store import make_engine

    engine = make_engine(f"sqlite:///{directory / 'concierge.db'}")
    try:
        results: dict[str, Any] = {}
        if "search" in engines:
            started = time.perf_counter()
            progress("loading (or building) the search index")
            meter = EncodingProgress(progress, label="embedding the catalog")
            index = load_or_build(engine=engine, data_dir=directory, progress=meter)
            results["index_ready_s"] = round(time.perf_counter() - started, 2)
            results["embedding"] = meter.summary()
            progress("timing search")
            texts = search_queries(engine, count=queries, seed=seed)
            results["search"] = bench_search(index, texts, repeats=2)
        if "recommend" in engines:
            progress("timing recommendation")
            results["recommend"] = _bench_recommend(engine, directory=directory, queries=queries)
        if "inventory" in engines:
            progress("timing availability + substitutes")
            results["inventory"] = bench_inventory(engine, queries=queries, seed=seed)
        if "pricing" in engines:
            progress("timing offer decisions")
            results["pricing"] = bench_pricing(engine, queries=queries, seed=seed)
    finally:
        engine.dispose()
    results["within_budget"] = {
        name: float(results[name]["p95_ms"]) <= budget
        for name, budget in BUDGETS_P95_MS.items()
        if isinstance(results.get(name), dict) and "p95_ms" in results[name]
    }
    return results


def _bench_recommend(engine: Engine, *, directory: Path, queries: int) -> dict[str, Any]:
    import importlib

    try:
        module = importlib.import_module("tools.recommend.bench")
    except ModuleNotFoundError:
        return {"skipped": "no recommendation engine installed"}
    result: dict[str, Any] = module.bench_recommend(engine, data_dir=directory, queries=queries)
    return result


def run(
    *,
    root: Path,
    sizes: list[int],
    shoppers: int,
    queries: int,
    seed: int,
    engines: tuple[str, ...] = ENGINES,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Benchmark the chosen engines at every size; one JSON-ready object."""
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        raise InputError(
            f"unknown engine(s) {unknown}; choose from {list(ENGINES)}", field="engine"
        )
    report: dict[str, Any] = {"budgets_p95_ms": BUDGETS_P95_MS, "sizes": {}}
    for skus in sizes:
        directory = ensure_store(
            root=root, skus=skus, shoppers=shoppers, seed=seed, progress=progress
        )
        report["sizes"][str(skus)] = bench_store(
            directory=directory, queries=queries, seed=seed, engines=engines, progress=progress
        )
    return report

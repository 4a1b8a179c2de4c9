"""Building a whole demo store: catalog chunks, then shopper chunks, then the store facts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tools.demo_store.catalog import chunk_ranges, generate_catalog_chunk
from tools.demo_store.items import ItemPool
from tools.demo_store.population import generate_shopper_chunk
from tools.demo_store.rng import derive_rng
from tools.demo_store.spec import (
    CATALOG_CHUNK,
    GENERATOR_VERSION,
    SHOPPER_CHUNK,
    DemoSpec,
    catalog_version,
)
from tools.demo_store.stock import location_rows
from tools.demo_store.targets import Loader, open_loader
from tools.demo_store.taxonomy import Taxonomy, load_taxonomy
from tools.demo_store.truth import TruthWriter
from tools.store.engine import SCHEMA_VERSION

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) with stage "catalog" (skus) or "shoppers"."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    url: str
    truth_path: Path
    catalog_version: str
    truth_sha256: str
    seconds: float


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def build_demo_store(
    *,
    url: str,
    truth_path: Path,
    spec: DemoSpec,
    force: bool = False,
    progress: Progress = _no_progress,
) -> BuildResult:
    """Generate the demo store into `url` and its hidden truth into `truth_path`."""
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    version = catalog_version(spec, taxonomy_version=taxonomy.version)
    header = {
        "generator_version": GENERATOR_VERSION,
        "taxonomy_version": taxonomy.version,
        "catalog_version": version,
        "seed": spec.seed,
        "skus": spec.skus,
        "shoppers": spec.shoppers,
        "reference_time": spec.as_of.isoformat(),
    }
    with TruthWriter(truth_path, header=header) as truth:
        with open_loader(url, force=force) as loader:
            loader.insert("locations", location_rows())
            pool = _load_catalog(loader, taxonomy=taxonomy, spec=spec, progress=progress)
            _load_shoppers(
                loader, truth, taxonomy=taxonomy, spec=spec, pool=pool, progress=progress
            )
            loader.write_meta(_store_facts(header, truth_sha256=truth.sha256))
        truth.publish()
    return BuildResult(
        url=url,
        truth_path=truth_path,
        catalog_version=version,
        truth_sha256=truth.sha256,
        seconds=time.perf_counter() - started,
    )


def _store_facts(header: dict[str, object], *, truth_sha256: str) -> dict[str, str]:
    facts = {"schema_version": SCHEMA_VERSION, "catalog_version": str(header["catalog_version"])}
    for key in ("generator_version", "taxonomy_version", "seed", "skus", "shoppers"):
        facts[f"demo_{key}"] = str(header[key])
    facts["demo_reference_time"] = str(header["reference_time"])
    facts["demo_truth_sha256"] = truth_sha256
    return facts


def _load_catalog(
    loader: Loader, *, taxonomy: Taxonomy, spec: DemoSpec, progress: Progress
) -> ItemPool:
    """Products, price history and stock, chunk by chunk; returns the sample shoppers browse."""
    pool = ItemPool(rng=derive_rng(spec.seed, "pool"))
    for index, (start, stop) in enumerate(chunk_ranges(spec.skus, CATALOG_CHUNK)):
        chunk = generate_catalog_chunk(
            taxonomy=taxonomy, seed=spec.seed, index=index, start=start, stop=stop, as_of=spec.as_of
        )
        loader.insert("products", chunk.products)
        loader.insert("price_history", chunk.prices)
        loader.insert("inventory", chunk.stock)
        loader.checkpoint()
        for item in chunk.items:
            pool.offer(item)
        progress("catalog", stop, spec.skus)
    return pool


def _load_shoppers(
    loader: Loader,
    truth: TruthWriter,
    *,
    taxonomy: Taxonomy,
    spec: DemoSpec,
    pool: ItemPool,
    progress: Progress,
) -> None:
    """Shoppers, consents, events and orders, chunk by chunk; tastes go to the truth file."""
    for start, stop in chunk_ranges(spec.shoppers, SHOPPER_CHUNK):
        chunk = generate_shopper_chunk(
            taxonomy=taxonomy, pool=pool, seed=spec.seed, start=start, stop=stop, as_of=spec.as_of
        )
        loader.insert("shoppers", chunk.shoppers)
        loader.insert("consents", chunk.consents)
        loader.insert("events", chunk.events)
        loader.insert("orders", chunk.orders)
        loader.insert("order_lines", chunk.lines)
        loader.checkpoint()
        for taste in chunk.tastes:
            truth.write(taste)
        progress("shoppers", stop, spec.shoppers)

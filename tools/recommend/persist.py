"""Saving a fitted engine to a directory and loading it back against the same catalog."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np

from tools.baskets import RuleSet
from tools.profiles import CategoryPrices, LookalikeIndex
from tools.recommend.catalog import Catalog
from tools.recommend.config import RankerConfig
from tools.recommend.engine import RecommendationEngine
from tools.recommend.exceptions import ModelFileError
from tools.recommend.popularity import PopularityRecommender
from tools.recommend.registry import load_recommender
from tools.recommend.stats import ItemStats
from tools.recommend.storage import read_document, read_model, write_model

ENGINE_FORMAT = 2  # 2: content vectors embed the short item summary


def catalog_fingerprint(catalog: Catalog) -> str:
    """A hash of what the engine knows of each item; it changes with the catalog."""
    hasher = hashlib.sha256()
    for i in catalog.items:
        hasher.update(
            f"{i.sku}|{i.price_cents}|{i.category}|{i.brand}|{i.variant_group}\n".encode()
        )
    return hasher.hexdigest()[:16]


def _save_lookalikes(index: LookalikeIndex, directory: Path) -> None:
    write_model(
        directory,
        kind="lookalikes",
        params={},
        skus=index.shopper_ids,
        arrays={"vectors": index.vectors},
        extra={
            "departments": {k: list(map(list, v)) for k, v in index.departments.items()},
            "brands": {k: list(map(list, v)) for k, v in index.brands.items()},
        },
    )


def _load_lookalikes(directory: Path) -> LookalikeIndex:
    _, ids, arrays = read_model(directory, kind="lookalikes")

    def table(name: str) -> dict[str, list[tuple[str, float]]]:
        raw = read_document(directory, name)
        return {k: [(str(a), float(b)) for a, b in v] for k, v in raw.items()}

    return LookalikeIndex(
        shopper_ids=tuple(ids),
        vectors=np.asarray(arrays["vectors"], dtype=np.float32),
        departments=table("departments"),
        brands=table("brands"),
    )


def save_engine(engine: RecommendationEngine, directory: Path) -> None:
    """Write every fitted part; the directory is replaced whole."""
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    engine.popularity.save(partial / "popularity")
    for name, source in engine.sources.items():
        source.save(partial / "sources" / name)
    engine.stats.save(partial / "stats")
    if engine.lookalikes is not None:
        _save_lookalikes(engine.lookalikes, partial / "lookalikes")
    documents = {
        "rules": None if engine.rules is None else engine.rules.model_dump(mode="json"),
        "prices": {k: list(v) for k, v in engine.prices.stats.items()},
        "manifest": {
            "format": ENGINE_FORMAT,
            "version": engine.version,
            "catalog": catalog_fingerprint(engine.catalog),
            "ranker": engine.config.model_dump(mode="json"),
            "sources": sorted(engine.sources),
        },
    }
    for name, document in documents.items():
        text = json.dumps(document, sort_keys=True, separators=(",", ":"))
        (partial / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(partial, directory)


def load_engine(directory: Path, *, catalog: Catalog) -> RecommendationEngine:
    """A saved engine, refused if it was fitted on another catalog."""
    manifest = read_document(directory, "manifest")
    if manifest.get("format") != ENGINE_FORMAT:
        raise ModelFileError(directory, "unsupported engine format")
    if manifest.get("catalog") != catalog_fingerprint(catalog):
        raise ModelFileError(directory, "fitted on another catalog")
    rules = read_document(directory, "rules")
    prices = read_document(directory, "prices")
    lookalikes = directory / "lookalikes"
    return RecommendationEngine(
        catalog=catalog,
        popularity=PopularityRecommender.load(directory / "popularity"),
        sources={n: load_recommender(directory / "sources" / n) for n in manifest["sources"]},
        stats=ItemStats.load(directory / "stats"),
        rules=None if rules is None else RuleSet.model_validate(rules),
        prices=CategoryPrices(stats={k: (v[0], v[1], v[2]) for k, v in prices.items()}),
        lookalikes=_load_lookalikes(lookalikes) if lookalikes.is_dir() else None,
        config=RankerConfig.model_validate(manifest["ranker"]),
        version=str(manifest["version"]),
    )

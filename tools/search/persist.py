"""Keeping an index on disk: one folder per catalog version, with a manifest, read back fast.

Layout: `<data_dir>/index/<fingerprint>/` holds `manifest.json`, `lexical/` (bm25s),
`dense/` (faiss) and the facet columns; item embeddings are cached per text in
`<data_dir>/embeddings/<model>/`, so a changed catalog re-encodes only its changed products.
A folder is written under a temporary name and renamed into place, so a reader never sees
half an index.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from tools.embeddings import CountProgress, shared_encoder
from tools.search.dense import HNSW_THRESHOLD, DenseIndex
from tools.search.encoder import Encoder
from tools.search.facets import Facets
from tools.search.index import (
    FORMAT_VERSION,
    CatalogIndex,
    build_index,
    catalog_fingerprint,
    check_sorted,
    empty_stock,
    prices_of,
    sku_order,
)
from tools.search.lexical import LexicalIndex
from tools.search.live import refresh_browse_order, refresh_stock
from tools.search.records import CatalogRecord, read_catalog

MANIFEST = "manifest.json"


def save_index(index: CatalogIndex, *, directory: Path) -> None:
    """Write the fixed parts of `index` into `directory`, replacing what was there."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f".{directory.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    index.lexical.save(staging / "lexical")
    index.dense.save(staging / "dense")
    index.facets.save(staging)
    manifest = {
        "format": FORMAT_VERSION,
        "fingerprint": index.fingerprint,
        "model_id": index.encoder.model_id,
        "dimension": index.encoder.dimension,
        "rows": index.size,
        "dense": index.dense.kind,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    retired = directory.with_name(f".{directory.name}.{os.getpid()}.old")
    if directory.exists():
        directory.rename(retired)
    staging.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)


def load_index(
    *, directory: Path, records: Sequence[CatalogRecord], encoder: Encoder, fingerprint: str
) -> CatalogIndex | None:
    """The index saved in `directory` for exactly this catalog version, or None.

    A missing, partial or unreadable folder reads as None, so the caller rebuilds it.
    """
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
        expected = {"format": FORMAT_VERSION, "fingerprint": fingerprint, "rows": len(records)}
        if any(manifest.get(key) != value for key, value in expected.items()):
            return None
        lexical = LexicalIndex.load(directory / "lexical")
        dense = DenseIndex.load(directory / "dense")
        facets = Facets.load(directory)
    except (OSError, EOFError, ValueError, KeyError, RuntimeError, zipfile.BadZipFile):
        return None
    skus = [record.sku for record in records]
    row_of = {sku: row for row, sku in enumerate(skus)}
    return CatalogIndex(
        fingerprint=fingerprint,
        skus=skus,
        row_of=row_of,
        lexical=lexical,
        dense=dense,
        facets=facets,
        encoder=encoder,
        prices=prices_of(records),
        stock=empty_stock(row_of),
        browse_order=sku_order(len(skus)),
    )


def load_or_build_records(
    *,
    records: Sequence[CatalogRecord],
    data_dir: Path,
    encoder: Encoder,
    hnsw_threshold: int = HNSW_THRESHOLD,
    progress: CountProgress | None = None,
) -> CatalogIndex:
    """The saved index of these records if there is one, else a new one, built and saved."""
    check_sorted(records)
    fingerprint = catalog_fingerprint(
        records, model_id=encoder.model_id, hnsw_threshold=hnsw_threshold
    )
    directory = data_dir / "index" / fingerprint
    index = load_index(
        directory=directory, records=records, encoder=encoder, fingerprint=fingerprint
    )
    if index is None:
        index = build_index(
            records=records,
            encoder=encoder,
            embeddings_dir=data_dir / "embeddings",
            hnsw_threshold=hnsw_threshold,
            progress=progress,
        )
        save_index(index, directory=directory)
    return index


def load_or_build(
    *,
    engine: Engine,
    data_dir: Path,
    encoder: Encoder | None = None,
    hnsw_threshold: int = HNSW_THRESHOLD,
    progress: CountProgress | None = None,
) -> CatalogIndex:
    """The search index of the store's current catalog, with current stock and sales."""
    index = load_or_build_records(
        records=read_catalog(engine),
        data_dir=data_dir,
        encoder=encoder if encoder is not None else shared_encoder(),
        hnsw_threshold=hnsw_threshold,
        progress=progress,
    )
    refresh_stock(index, engine=engine)
    refresh_browse_order(index, engine=engine)
    return index

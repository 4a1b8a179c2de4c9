"""A small demo store built once for the read-only tests of this package."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store

SMALL = DemoSpec(seed=7, skus=300, shoppers=60)


@dataclass(frozen=True)
class BuiltStore:
    """Where the shared small store lives."""

    spec: DemoSpec
    url: str
    truth_path: Path


def build_small(data_dir: Path, spec: DemoSpec = SMALL, *, force: bool = False) -> BuiltStore:
    """Build a demo store into a data directory."""
    url = f"sqlite:///{data_dir / 'concierge.db'}"
    truth = data_dir / TRUTH_FILE_NAME
    build_demo_store(url=url, truth_path=truth, spec=spec, force=force)
    return BuiltStore(spec=spec, url=url, truth_path=truth)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> BuiltStore:
    """The shared 300-sku, 60-shopper store (seed 7); tests must not write to it."""
    return build_small(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def small_engine(small_store: BuiltStore) -> Iterator[Engine]:
    """An engine on the shared small store."""
    from tools.store import make_engine

    engine = make_engine(small_store.url)
    yield engine
    engine.dispose()


def table_rows(engine: Engine, table: str, *order_by: str) -> list[dict[str, Any]]:
    """Every row of a store table as a dict, optionally ordered by some columns."""
    t = SQLModel.metadata.tables[table]
    query = select(t).order_by(*(t.c[name] for name in order_by))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]

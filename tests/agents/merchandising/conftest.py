"""Stores for the merchandising planner tests: a hand-made one and a small demo store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.agents.merchandising.seed import seed_store
from tools.demo_store import DemoSpec, build_demo_store
from tools.query import CatalogVocabulary
from tools.store import create_schema, make_engine

DEMO = DemoSpec(seed=7, skus=600, shoppers=40)


@dataclass(frozen=True)
class Store:
    """An open store and its catalog vocabulary."""

    engine: Engine
    vocabulary: CatalogVocabulary


def open_store(path: Path) -> Iterator[Store]:
    """An engine and vocabulary on a SQLite file, disposed afterwards."""
    engine = make_engine(f"sqlite:///{path}")
    yield Store(engine=engine, vocabulary=CatalogVocabulary.from_store(engine))
    engine.dispose()


def build_demo(directory: Path, spec: DemoSpec = DEMO) -> Path:
    """Build a demo store and return its file."""
    path = directory / "demo.db"
    build_demo_store(url=f"sqlite:///{path}", truth_path=directory / "truth.jsonl", spec=spec)
    return path


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The hand-made store of `seed.py` (tests must not write to it)."""
    path = tmp_path_factory.mktemp("shop") / "shop.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    seed_store(engine)
    engine.dispose()
    yield from open_store(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A 600-sku demo store (seed 7); tests must not write to it."""
    yield from open_store(build_demo(tmp_path_factory.mktemp("demo")))

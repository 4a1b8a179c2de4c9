"""A small demo store for turn tests: built (and its search index warmed) once per session,
copied per test module so that what one module executes does not leak into another.

Text embeddings come from a hashing encoder (deterministic, instant, no model to load): these
tests are about orchestration, not about search quality.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import numpy as np
import pytest
from mcp import Client
from sqlalchemy import Engine, text

from config import Settings
from mcp_servers.registry import build_server
from orchestrator.runtime import Concierge, TurnOutcome
from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store
from tools.embeddings import Vectors
from tools.search.tokens import tokenize
from tools.store import make_engine

T = TypeVar("T")
SPEC = DemoSpec(seed=7, skus=400, shoppers=40)
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
"""10:00 in New York on the day after the demo store's reference time."""
SHOPPER = "shopper-000006"
"""A shopper consenting to email and SMS."""


class HashingEncoder:
    """Hashed bag-of-words vectors of the real model's size."""

    model_id = "hashing-bow-384"
    dimension = 384

    def _vector(self, text: str) -> Vectors:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in tokenize(text):
            digest = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest())
            vector[digest % self.dimension] += 1.0 if digest & (1 << 40) else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def encode(self, texts: Sequence[str]) -> Vectors:
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(
            len(texts), self.dimension
        )

    def encode_query(self, text: str) -> Vectors:
        return self._vector(text)


ENCODER = HashingEncoder()


@contextmanager
def hashing_encoder() -> Iterator[None]:
    """Every engine that embeds text uses the hashing encoder meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tools.search.persist.shared_encoder", lambda: ENCODER)
        patch.setattr("tools.embeddings.shared_encoder", lambda: ENCODER)
        yield


def settings_for(root: Path) -> Settings:
    """Settings for a store (and its checkpoints and indexes) under `root`."""
    return Settings(database_url=f"sqlite:///{root / 'concierge.db'}", data_dir=root)


def template(factory: pytest.TempPathFactory) -> Path:
    """The session's demo store with a warm search index (built on first use)."""
    root = factory.getbasetemp() / "demo-store-400"
    if not (root / "ready").exists():
        root.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{root / 'concierge.db'}"
        build_demo_store(url=url, truth_path=root / TRUTH_FILE_NAME, spec=SPEC, force=True)

        async def warm() -> None:
            settings = settings_for(root)
            async with Client(build_server("catalog", settings)) as catalog:
                await catalog.call_tool("search_products", {"query": "shorts", "k": 1})
            async with Client(build_server("recommend", settings)) as recommend:
                args = {"skus": ["SKU-0000001"], "shopper_id": SHOPPER, "query": "shorts"}
                await recommend.call_tool("rank_candidates", args)

        anyio.run(warm)
        (root / "ready").write_text("ok")
    return root


def copy_of(factory: pytest.TempPathFactory, name: str) -> Settings:
    """A private copy of the session's demo store."""
    source = template(factory)
    target = factory.mktemp(name)
    shutil.copytree(source, target, dirs_exist_ok=True)
    return settings_for(target)


@contextmanager
def engine_of(settings: Settings) -> Iterator[Engine]:
    """An engine on the store, disposed afterwards."""
    engine = make_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def rows(settings: Settings, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a query on the store."""
    with engine_of(settings) as engine, engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def count(settings: Settings, table: str) -> int:
    """How many rows a table holds."""
    return int(rows(settings, f"SELECT count(*) FROM {table}")[0][0])


def converse(
    settings: Settings,
    lines: Sequence[str],
    *,
    thread_id: str,
    shopper_id: str | None = SHOPPER,
    **open_with: Any,
) -> list[TurnOutcome]:
    """Say each line in turn on one thread; the outcome of every turn."""

    async def main() -> list[TurnOutcome]:
        async with Concierge.open(settings, **open_with) as concierge:
            return [
                await concierge.turn(line, thread_id=thread_id, shopper_id=shopper_id, now=NOW)
                for line in lines
            ]

    return anyio.run(main)


def with_concierge(
    settings: Settings, work: Callable[[Concierge], Awaitable[T]], **open_with: Any
) -> T:
    """Run `work` with a concierge opened on the store."""

    async def main() -> T:
        async with Concierge.open(settings, **open_with) as concierge:
            return await work(concierge)

    return anyio.run(main)

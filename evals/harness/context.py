"""What every suite gets: settings, the run's size, stores to work on, progress, extra inputs.

Stores. A suite never writes to the configured store. The demo store a run evaluates on is
built once under `<data dir>/evals/templates/` with its search index and embeddings warmed
(the slow part: the real text encoder embeds the catalog), and each suite works on its own
copy under `<data dir>/evals/runs/latest/<suite>/`, so suites cannot disturb each other and a
run always starts from the same state.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from config import Settings

if TYPE_CHECKING:
    from orchestrator.llm import LanguageModel
    from tools.demo_store import DemoSpec

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
"""The instant conversations happen at: 10:00 in New York the day after the demo store's
reference time, so stock, prices and consents are the generated ones."""
QUICK_STORE = (7, 1_000, 300)
FULL_STORE = (7, 5_000, 2_000)
DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
TEMPLATE_READY = "ready"


class Progress(Protocol):
    """Where suites report what they are doing."""

    def phase(self, description: str, total: int | None = None) -> None:
        """A new step of the current suite, with how many units it has (None: unknown)."""

    def advance(self, units: int = 1) -> None:
        """Units of the current step done."""


class NoProgress:
    """Progress that goes nowhere (tests, --json runs)."""

    def phase(self, description: str, total: int | None = None) -> None:
        """Nothing."""

    def advance(self, units: int = 1) -> None:
        """Nothing."""


@dataclass
class EvalContext:
    """The run's settings and size, and the stores suites work on."""

    base: Settings
    quick: bool = True
    seed: int = 7
    trials: int = 1
    shared_data: Path | None = DEFAULT_SHARED
    attack_files: list[Path] = field(default_factory=list)
    progress: Progress = field(default_factory=NoProgress)
    llm_factory: Callable[[], LanguageModel | None] | None = None
    store_size: tuple[int, int] | None = None
    root: Path | None = None

    @property
    def work_dir(self) -> Path:
        """Where templates and run copies live."""
        return self.root or self.base.data_dir / "evals"

    @property
    def spec(self) -> DemoSpec:
        """The demo store this run evaluates on."""
        from tools.demo_store import DemoSpec

        _, skus, shoppers = QUICK_STORE if self.quick else FULL_STORE
        if self.store_size is not None:
            skus, shoppers = self.store_size
        return DemoSpec(seed=self.seed, skus=skus, shoppers=shoppers)

    def shared(self, *parts: str) -> Path | None:
        """A path in the shared data folder, or None where it is absent."""
        if self.shared_data is None:
            return None
        path = self.shared_data.joinpath(*parts)
        return path if path.exists() else None

    @asynccontextmanager
    async def llm(self) -> AsyncIterator[LanguageModel | None]:
        """The configured LLM (closed afterwards), or None: every suite runs without one."""
        model = self.llm_factory() if self.llm_factory is not None else None
        try:
            yield model
        finally:
            if model is not None:
                model.close()

    def demo_store(self, name: str) -> Settings:
        """A private copy of the run's demo store (built and warmed on first use)."""
        return self.copy_store(self.template(), name)

    def template(self) -> Path:
        """The warmed demo store of this run's size, built on first use."""
        spec = self.spec
        root = self.work_dir / "templates" / f"demo-{spec.seed}-{spec.skus}-{spec.shoppers}"
        if not (root / TEMPLATE_READY).exists():
            self.progress.phase(f"building the {spec.skus:,}-sku demo store and its indexes")
            build_template(root, spec, self.base)
        return root

    def copy_store(self, source: Path, name: str) -> Settings:
        """Copy a store directory for one suite (checkpoints left behind)."""
        target = self.work_dir / "runs" / "latest" / name
        if target.exists():
            shutil.rmtree(target)
        ignore = shutil.ignore_patterns("checkpoints.db*", TEMPLATE_READY)
        shutil.copytree(source, target, ignore=ignore)
        return settings_for(self.base, target)

    def scratch(self, name: str) -> Path:
        """An empty directory of this run for a suite's own store."""
        target = self.work_dir / "runs" / "latest" / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        return target

    def clear_run(self) -> None:
        """Remove the previous run's copies."""
        shutil.rmtree(self.work_dir / "runs" / "latest", ignore_errors=True)


def settings_for(base: Settings, root: Path) -> Settings:
    """The base settings pointed at a store (and its checkpoints and indexes) under `root`."""
    return base.model_copy(
        update={
            "data_dir": root,
            "database_url": f"sqlite:///{root / 'concierge.db'}",
            "checkpoints": base.checkpoints.model_copy(
                update={"url": f"sqlite:///{root / 'checkpoints.db'}"}
            ),
        }
    )


def build_template(root: Path, spec: DemoSpec, base: Settings) -> None:
    """Build a demo store under `root` and warm its search index and recommender."""
    import anyio

    from tools.demo_store import TRUTH_FILE_NAME, build_demo_store

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    url = f"sqlite:///{root / 'concierge.db'}"
    build_demo_store(url=url, truth_path=root / TRUTH_FILE_NAME, spec=spec, force=True)
    anyio.run(warm_indexes, settings_for(base, root))
    (root / TEMPLATE_READY).write_text("ok\n")


async def warm_indexes(settings: Settings) -> None:
    """Build the search index and the recommender's models of a store (cached on disk)."""
    from mcp import Client

    from mcp_servers.registry import build_server

    async with Client(build_server("catalog", settings)) as catalog:
        await catalog.call_tool("search_products", {"query": "shorts", "k": 1})
    async with Client(build_server("recommend", settings)) as recommend:
        args = {"skus": ["SKU-0000001"], "shopper_id": "shopper-000001", "query": "shorts"}
        await recommend.call_tool("rank_candidates", args)


def counting(progress: Progress, description: str) -> Callable[[int, int], None]:
    """A `(done, total)` callback that drives a progress phase."""
    seen = {"done": 0, "started": 0}

    def update(done: int, total: int) -> None:
        if not seen["started"]:
            progress.phase(description, total)
            seen["started"] = 1
        progress.advance(done - seen["done"])
        seen["done"] = done

    return update

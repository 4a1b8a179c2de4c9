"""Runs evals/datasets/merch_tasks.yaml: every task must compile to its expected plan or report
(the checks are the eval harness's, `evals.merch_tasks`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from evals.merch_tasks import check_task, load_dataset
from tests.agents.merchandising.conftest import Store, build_demo, open_store
from tools.demo_store import DemoSpec

DATA: dict[str, Any] = load_dataset()
NOW = datetime.fromisoformat(DATA["now"])
TZ: str = DATA["timezone"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo store the dataset names."""
    spec = DemoSpec(**DATA["store"])
    yield from open_store(build_demo(tmp_path_factory.mktemp("dataset"), spec))


def test_the_dataset_is_well_formed() -> None:
    tasks = DATA["tasks"]
    assert 10 <= len(tasks) <= 20
    assert len({t["id"] for t in tasks}) == len(tasks)
    assert {t["expect"]["class"] for t in tasks} == {"plan", "report", "unknown"}


@pytest.mark.parametrize("task", DATA["tasks"], ids=[t["id"] for t in DATA["tasks"]])
def test_task(store: Store, task: dict[str, Any]) -> None:
    failures = check_task(
        task, engine=store.engine, vocabulary=store.vocabulary, now=NOW, timezone=TZ
    )
    assert not failures, failures

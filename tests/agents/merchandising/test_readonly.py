"""Planning and reporting write nothing, and give the same answer for the same store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agents.merchandising import (
    EXAMPLES,
    REPORT_EXAMPLES,
    MerchTaskError,
    answer_report,
    classify,
    plan_task,
)
from tests.agents.merchandising.conftest import Store, build_demo, open_store
from tools.store.digest import store_digest

NOW = datetime(2026, 10, 28, 17, tzinfo=UTC)
TASKS = (
    "boost vegan skincare 20% until Sunday",
    "bury brand Camp Basics in outdoor",
    "15% off overstocked outdoor jackets for gold members, keep margin above 30%",
    "pin SKU-0000008 for 'running shoes'",
    "exclude age-restricted items from recommendations",
    "raise the price of SKU-0000008 to $45",
    "20% off everything this weekend",
)


def _answers(store: Store) -> list[str]:
    answers = []
    for text in TASKS:
        plan = plan_task(text, engine=store.engine, vocabulary=store.vocabulary, now=NOW, actor="m")
        answers.append(plan.model_dump_json())
    for text in REPORT_EXAMPLES:
        report = answer_report(text, engine=store.engine, now=NOW, vocabulary=store.vocabulary)
        answers.append(report.model_dump_json())
    return answers


def test_planning_and_reporting_write_nothing(demo: Store) -> None:
    before = store_digest(demo.engine)
    _answers(demo)
    for text in EXAMPLES:
        try:
            if classify(text) == "report":
                answer_report(text, engine=demo.engine, now=NOW, vocabulary=demo.vocabulary)
            else:
                plan_task(text, engine=demo.engine, vocabulary=demo.vocabulary, now=NOW, actor="m")
        except MerchTaskError:
            pass  # the examples name skus and brands this store may not have
    assert store_digest(demo.engine) == before


def test_equal_stores_give_byte_identical_plans_and_reports(
    demo: Store, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = _answers(demo)
    assert _answers(demo) == first
    twin: Path = build_demo(tmp_path_factory.mktemp("twin"))
    for other in open_store(twin):
        assert _answers(other) == first


def test_the_demo_plans_read_as_intended(demo: Store) -> None:
    plan = plan_task(TASKS[0], engine=demo.engine, vocabulary=demo.vocabulary, now=NOW, actor="m")
    (view,) = plan.preview.rankings
    assert view.key == "beauty/skincare"
    boosted = {a.sku for a in plan.preview.affected_sample}
    assert any(
        m.sku in boosted and m.after is not None and m.before is not None and m.after < m.before
        for m in view.moves
    )
    assert plan.preview.ranking_method.startswith("base = popularity")

"""Runs evals/datasets/merch_tasks.yaml: every task must compile to its expected plan or report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session

from agents.merchandising import (
    MerchPlan,
    MerchTaskError,
    StockRow,
    answer_report,
    classify,
    plan_task,
)
from agents.merchandising.catalog import ProductRow, resolve_scope, stock_levels
from agents.merchandising.pricing import margin_pct, promotion_price
from agents.merchandising.spec import ScopeSpec
from policies.actions import ChangeListPrice
from tests.agents.merchandising.conftest import Store, build_demo, open_store
from tools.demo_store import DemoSpec

DATASET = Path(__file__).resolve().parents[3] / "evals" / "datasets" / "merch_tasks.yaml"
DATA: dict[str, Any] = yaml.safe_load(DATASET.read_text())
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
    expect: dict[str, Any] = task["expect"]
    assert classify(task["text"]) == expect["class"]
    if expect["class"] == "report":
        _check_report(store, task["text"], expect)
    elif expect["class"] == "plan":
        try:
            plan = plan_task(
                task["text"],
                engine=store.engine,
                vocabulary=store.vocabulary,
                now=NOW,
                actor="eval",
                timezone=TZ,
            )
        except MerchTaskError as error:
            assert error.code == expect.get("error"), str(error)
            return
        assert "error" not in expect, f"planned instead of failing with {expect['error']}"
        _check_plan(store, plan, expect)


def _check_report(store: Store, text: str, expect: dict[str, Any]) -> None:
    report = answer_report(text, engine=store.engine, now=NOW, vocabulary=store.vocabulary)
    assert report.question.kind == expect["report_kind"]
    assert report.total == expect["report_rows"]
    if "report_category" in expect:
        prefix = expect["report_category"]
        assert all(isinstance(r, StockRow) and _under(r.category, prefix) for r in report.rows)


def _check_plan(store: Store, plan: MerchPlan, expect: dict[str, Any]) -> None:
    actions = plan.actions()
    assert [a.kind for a in actions] == expect["actions"]
    first = actions[0].model_dump()
    for field in ("op", "weight", "query", "discount_pct", "new_price_cents"):
        if field in expect:
            assert first[field] == pytest.approx(expect[field]), field
    if "loyalty_tiers" in expect:
        assert list(first["loyalty_tiers"]) == expect["loyalty_tiers"]
    if "affected" in expect:
        assert plan.preview.affected_count == expect["affected"]
    if "excluded" in expect:
        assert plan.preview.excluded_by_reason == expect["excluded"]
    _check_window(plan, expect)
    _check_covered(store, plan, _covered(store, plan), expect)


def _check_window(plan: MerchPlan, expect: dict[str, Any]) -> None:
    if "window_start" in expect:
        assert plan.starts_at == datetime.fromisoformat(expect["window_start"])
    if "window_end" in expect:
        end = expect["window_end"]
        assert plan.ends_at == (None if end == "open" else datetime.fromisoformat(end))


def _covered(store: Store, plan: MerchPlan) -> list[ProductRow]:
    """The products the plan's actions cover, read back from the store."""
    scopes: list[ScopeSpec] = []
    for action in plan.actions():
        if isinstance(action, ChangeListPrice):
            scopes.append(ScopeSpec(skus=(action.sku,)))
        elif action.scope.skus:
            scopes.append(ScopeSpec(skus=action.scope.skus))
        else:
            scopes.append(ScopeSpec(categories=(action.scope.category or "",)))
    with Session(store.engine) as session:
        return [row for scope in scopes for row in resolve_scope(session, scope, now=NOW)]


def _check_covered(
    store: Store, plan: MerchPlan, rows: list[ProductRow], expect: dict[str, Any]
) -> None:
    assert rows
    if "scope_category" in expect:
        assert all(_under(r.category, expect["scope_category"]) for r in rows)
    if "brand" in expect:
        assert {r.brand for r in rows} == {expect["brand"]}
    for key, value in expect.get("attributes", {}).items():
        assert all(r.attributes.get(key) == value for r in rows)
    if "tag" in expect:
        assert all(expect["tag"] in r.tags for r in rows)
    if "age_restricted" in expect:
        assert all(r.age_restricted for r in rows)
    if "stock" in expect:
        with Session(store.engine) as session:
            levels = stock_levels(session, [r.sku for r in rows], now=NOW)
        assert Counter(s.level.value for s in levels.values()) == {expect["stock"]: len(rows)}
    if expect.get("margin_honoured"):
        limit = plan.task.min_margin_pct
        pct = plan.task.discount_pct
        assert limit is not None and pct is not None
        for row in rows:
            margin = margin_pct(promotion_price(row.list_price_cents, pct), row.unit_cost_cents)
            assert margin is not None and margin >= limit, row.sku


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")

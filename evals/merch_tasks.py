"""The merchandiser task dataset (`evals/datasets/merch_tasks.yaml`) and its checks: each task
must compile to its expected plan (actions, fields, covered products, window) or report, or fail
with the expected error. `check_task` returns what did not match (empty: the task passed)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
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
from tools.query import CatalogVocabulary

DATASET = Path(__file__).resolve().parent / "datasets" / "merch_tasks.yaml"
PLAN_FIELDS = ("op", "weight", "query", "discount_pct", "new_price_cents")


def load_dataset(path: Path = DATASET) -> dict[str, Any]:
    """The dataset: the store it was written against, `now`, the timezone and the tasks."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def check_task(
    task: dict[str, Any],
    *,
    engine: Engine,
    vocabulary: CatalogVocabulary,
    now: datetime,
    timezone: str,
) -> list[str]:
    """What about a task's plan or report differs from its expectation."""
    expect: dict[str, Any] = task["expect"]
    kind = classify(task["text"])
    if kind != expect["class"]:
        return [f"class {kind} != {expect['class']}"]
    if kind == "report":
        return _check_report(engine, vocabulary, now, task["text"], expect)
    if kind != "plan":
        return []
    try:
        plan = plan_task(
            task["text"],
            engine=engine,
            vocabulary=vocabulary,
            now=now,
            actor="eval",
            timezone=timezone,
        )
    except MerchTaskError as error:
        return [] if error.code == expect.get("error") else [f"error {error.code}: {error}"]
    if "error" in expect:
        return [f"planned instead of failing with {expect['error']}"]
    return _check_plan(engine, now, plan, expect)


def _check_report(
    engine: Engine, vocabulary: CatalogVocabulary, now: datetime, text: str, expect: dict[str, Any]
) -> list[str]:
    report = answer_report(text, engine=engine, now=now, vocabulary=vocabulary)
    found: list[str] = []
    if report.question.kind != expect["report_kind"]:
        found.append(f"report kind {report.question.kind} != {expect['report_kind']}")
    if report.total != expect["report_rows"]:
        found.append(f"report rows {report.total} != {expect['report_rows']}")
    prefix = expect.get("report_category")
    if prefix and not all(
        isinstance(r, StockRow) and under(r.category, prefix) for r in report.rows
    ):
        found.append(f"report rows outside {prefix}")
    return found


def _check_plan(
    engine: Engine, now: datetime, plan: MerchPlan, expect: dict[str, Any]
) -> list[str]:
    actions = plan.actions()
    kinds = [a.kind for a in actions]
    if kinds != expect["actions"]:
        return [f"actions {kinds} != {expect['actions']}"]
    first = actions[0].model_dump()
    found = [
        f"{name} {first[name]!r} != {expect[name]!r}"
        for name in PLAN_FIELDS
        if name in expect and not _close(first[name], expect[name])
    ]
    if "loyalty_tiers" in expect and list(first["loyalty_tiers"]) != expect["loyalty_tiers"]:
        found.append(f"loyalty tiers {first['loyalty_tiers']} != {expect['loyalty_tiers']}")
    if "affected" in expect and plan.preview.affected_count != expect["affected"]:
        found.append(f"affected {plan.preview.affected_count} != {expect['affected']}")
    if "excluded" in expect and plan.preview.excluded_by_reason != expect["excluded"]:
        found.append(f"excluded {plan.preview.excluded_by_reason} != {expect['excluded']}")
    found += _check_window(plan, expect)
    return found + _check_covered(engine, now, plan, covered(engine, now, plan), expect)


def _close(value: Any, expected: Any) -> bool:
    if isinstance(value, int | float) and isinstance(expected, int | float):
        return abs(value - expected) <= 1e-6 * max(1.0, abs(expected))
    return bool(value == expected)


def _check_window(plan: MerchPlan, expect: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if "window_start" in expect and plan.starts_at != datetime.fromisoformat(
        expect["window_start"]
    ):
        found.append(f"starts {plan.starts_at} != {expect['window_start']}")
    if "window_end" in expect:
        end = expect["window_end"]
        wanted = None if end == "open" else datetime.fromisoformat(end)
        if plan.ends_at != wanted:
            found.append(f"ends {plan.ends_at} != {end}")
    return found


def covered(engine: Engine, now: datetime, plan: MerchPlan) -> list[ProductRow]:
    """The products the plan's actions cover, read back from the store."""
    scopes: list[ScopeSpec] = []
    for action in plan.actions():
        if isinstance(action, ChangeListPrice):
            scopes.append(ScopeSpec(skus=(action.sku,)))
        elif action.scope.skus:
            scopes.append(ScopeSpec(skus=action.scope.skus))
        else:
            scopes.append(ScopeSpec(categories=(action.scope.category or "",)))
    with Session(engine) as session:
        return [row for scope in scopes for row in resolve_scope(session, scope, now=now)]


def _check_covered(
    engine: Engine, now: datetime, plan: MerchPlan, rows: list[ProductRow], expect: dict[str, Any]
) -> list[str]:
    if not rows:
        return ["covers no product"]
    wrong: list[str] = []
    if "scope_category" in expect and not all(
        under(r.category, expect["scope_category"]) for r in rows
    ):
        wrong.append(f"covers products outside {expect['scope_category']}")
    if "brand" in expect and {r.brand for r in rows} != {expect["brand"]}:
        wrong.append(f"covers brands other than {expect['brand']}")
    for key, value in expect.get("attributes", {}).items():
        if not all(r.attributes.get(key) == value for r in rows):
            wrong.append(f"covers products without {key}={value}")
    if "tag" in expect and not all(expect["tag"] in r.tags for r in rows):
        wrong.append(f"covers products without tag {expect['tag']}")
    if "age_restricted" in expect and not all(r.age_restricted for r in rows):
        wrong.append("covers products that are not age-restricted")
    if "stock" in expect:
        with Session(engine) as session:
            levels = stock_levels(session, [r.sku for r in rows], now=now)
        if Counter(s.level.value for s in levels.values()) != {expect["stock"]: len(rows)}:
            wrong.append(f"covers products not {expect['stock']}")
    if expect.get("margin_honoured"):
        wrong += _margins(plan, rows)
    return wrong


def _margins(plan: MerchPlan, rows: list[ProductRow]) -> list[str]:
    limit, pct = plan.task.min_margin_pct, plan.task.discount_pct
    if limit is None or pct is None:
        return ["no margin limit or discount read"]
    low = [
        r.sku
        for r in rows
        if (m := margin_pct(promotion_price(r.list_price_cents, pct), r.unit_cost_cents)) is None
        or m < limit
    ]
    return [f"margin below {limit}% on {low[:3]}"] if low else []


def under(path: str, prefix: str) -> bool:
    """Whether a category path is the prefix or below it."""
    return path == prefix or path.startswith(prefix + "/")

"""Checks on what a turn showed, read back from the store: the right products, filters honoured."""

from __future__ import annotations

import json
from typing import Any

from evals.scenarios.turn import Turn


def _products(turn: Turn, *, required: bool = True) -> list[dict[str, Any]]:
    skus = turn.shown_skus()
    assert skus or not required, "nothing was shown"
    found: list[dict[str, Any]] = []
    for sku in skus:
        (row,) = turn.rows(
            "SELECT sku, category, brand, list_price_cents, attributes FROM products "
            "WHERE sku = :s",
            s=sku,
        )
        attributes = row[4] if isinstance(row[4], dict) else json.loads(row[4] or "{}")
        found.append(
            {
                "sku": row[0],
                "category": row[1],
                "brand": row[2],
                "price": row[3],
                "attrs": attributes,
            }
        )
    return found


def under(category: str, prefix: str) -> bool:
    """Whether a category path is the prefix or below it."""
    return category == prefix or category.startswith(prefix + "/")


def has_value(product_value: Any, wanted: Any) -> bool:
    """Whether an attribute value equals (or, for a list, contains) a wanted value."""
    values = product_value if isinstance(product_value, list) else [product_value]
    return any(_norm(v) == _norm(wanted) for v in values)


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def shown_category(turn: Turn, prefix: str) -> None:
    """Every product shown is in this category (or below it)."""
    wrong = [p["sku"] for p in _products(turn) if not under(p["category"], prefix)]
    assert not wrong, f"outside {prefix}: {wrong[:3]}"


def shown_max_price(turn: Turn, cents: int) -> None:
    """Every product shown lists at or below this price."""
    wrong = [p["sku"] for p in _products(turn) if p["price"] > cents]
    assert not wrong, f"above {cents}: {wrong[:3]}"


def shown_attribute(turn: Turn, expected: dict[str, Any]) -> None:
    """Every product shown has these attribute values."""
    for key, value in expected.items():
        wrong = [p["sku"] for p in _products(turn) if not has_value(p["attrs"].get(key), value)]
        assert not wrong, f"{key}={value!r} missing: {wrong[:3]}"


def filters_honoured(turn: Turn, expected: bool = True) -> None:
    """Every product shown (if any) meets the turn's understood category, budget, attributes
    and brands."""
    intent = turn.state.get("intent")
    assert intent is not None, "no intent"
    budget = intent.budget
    for p in _products(turn, required=False):
        sku = p["sku"]
        if intent.category and not intent.similar_to:
            assert under(p["category"], intent.category), f"{sku} not in {intent.category}"
        if budget is not None and budget.max_cents is not None:
            assert p["price"] <= budget.max_cents, f"{sku} above {budget.max_cents}"
        if budget is not None and budget.min_cents is not None:
            assert p["price"] >= budget.min_cents, f"{sku} below {budget.min_cents}"
        for key, values in intent.attributes.items():
            assert any(has_value(p["attrs"].get(key), v) for v in values), f"{sku} lacks {key}"
        for key, values in intent.excluded_attributes.items():
            assert not any(has_value(p["attrs"].get(key), v) for v in values), f"{sku} has {key}"
        if intent.brands:
            assert p["brand"] in intent.brands, f"{sku} brand {p['brand']}"
        assert p["brand"] not in intent.excluded_brands, f"{sku} brand {p['brand']} excluded"

"""Helpers for importer tests: tiny input files and checks on InputErrors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tools.exceptions import InputError

MINI_PRODUCTS: dict[str, Any] = {
    "100": {
        "name": "T-Shirt",
        "product_id": "100",
        "variants": {
            "1001": {
                "item_id": "1001",
                "options": {"color": "blue", "size": "M"},
                "available": True,
                "price": 50.88,
            },
            "1002": {
                "item_id": "1002",
                "options": {"color": "red", "size": "L"},
                "available": False,
                "price": 49.5,
            },
        },
    },
    "200": {
        "name": "Makeup Kit",
        "product_id": "200",
        "variants": {
            "2001": {
                "item_id": "2001",
                "options": {"brand": "Brand A", "kit size": "basic"},
                "available": True,
                "price": 80,
            }
        },
    },
}

MINI_USERS: dict[str, Any] = {
    "ada_lee_1": {
        "name": {"first_name": "Ada", "last_name": "Lee"},
        "address": {
            "address1": "1 Main St",
            "address2": "",
            "city": "Denver",
            "country": "USA",
            "state": "CO",
            "zip": "80202",
        },
        "email": "ada@example.com",
        "payment_methods": {
            "gift_card_1": {"source": "gift_card", "balance": 51, "id": "gift_card_1"},
        },
        "orders": ["#W1"],
    }
}

MINI_ORDERS: dict[str, Any] = {
    "#W1": {
        "order_id": "#W1",
        "user_id": "ada_lee_1",
        "address": MINI_USERS["ada_lee_1"]["address"],
        "items": [
            {"name": "T-Shirt", "product_id": "100", "item_id": "1001", "price": 50.88},
            {"name": "Makeup Kit", "product_id": "200", "item_id": "2001", "price": 80.0},
        ],
        "fulfillments": [{"tracking_id": ["123"], "item_ids": ["1001", "2001"]}],
        "status": "delivered",
        "payment_history": [
            {"transaction_type": "payment", "amount": 130.88, "payment_method_id": "gift_card_1"}
        ],
    }
}


def mini_store() -> dict[str, dict[str, Any]]:
    """A fresh copy of a tiny τ-bench store, file name -> document."""
    return copy.deepcopy(
        {"products.json": MINI_PRODUCTS, "users.json": MINI_USERS, "orders.json": MINI_ORDERS}
    )


def write_store(directory: Path, store: dict[str, dict[str, Any]]) -> Path:
    """Write a τ-bench store as indented JSON files (one key per line)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in store.items():
        (directory / name).write_text(json.dumps(document, indent=4))
    return directory


def line_of(path: Path, needle: str, *, after: str | None = None) -> int:
    """The 1-based line of the first occurrence of `needle` (after the line holding `after`)."""
    lines = path.read_text().splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def assert_located(exc: InputError, *, file: Path, line: int, field: str | None) -> None:
    """The error names the file, line and field, in its attributes and in its message."""
    assert exc.file == str(file)
    assert exc.line == line, str(exc)
    assert exc.field == field, str(exc)
    text = str(exc)
    assert text.startswith(f"{file}:{line}: ")
    if field is not None:
        assert f"field {field!r}" in text

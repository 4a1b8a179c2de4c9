from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.tools.inventory.seed import add_sales
from tools.inventory import (
    StockLevel,
    StockThresholds,
    UnknownSkuError,
    classify_stock,
    stock_signals,
)

NOW = datetime(2025, 6, 10, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("available", "daily", "level"),
    [
        (0, 0.0, StockLevel.OUT),
        (0, 3.0, StockLevel.OUT),
        (5, 0.0, StockLevel.LOW),
        (6, 0.0, StockLevel.NORMAL),
        (20, 3.0, StockLevel.LOW),  # under 7 days of cover
        (21, 3.0, StockLevel.NORMAL),
        (360, 3.0, StockLevel.NORMAL),  # exactly 120 days
        (361, 3.0, StockLevel.OVERSTOCK),
        (249, 0.0, StockLevel.NORMAL),
        (250, 0.0, StockLevel.OVERSTOCK),
    ],
)
def test_classify_stock_thresholds(available: int, daily: float, level: StockLevel) -> None:
    assert classify_stock(available=available, daily_sales=daily) is level


def test_thresholds_are_configurable() -> None:
    strict = StockThresholds(low_units=10)
    assert classify_stock(available=8, daily_sales=0.0, thresholds=strict) is StockLevel.LOW


def test_stock_signals_use_live_stock_and_recent_sales(store: Engine) -> None:
    add_sales(store, sku="M2", units=28, at=NOW - timedelta(days=3), order_id="O1")
    add_sales(store, sku="M2", units=500, at=NOW - timedelta(days=60), order_id="O2")  # too old
    with Session(store) as session:
        signals = stock_signals(session, skus=["M1", "M2", "M4", "M1"], now=NOW)
    assert [(s.sku, s.level) for s in signals] == [
        ("M1", StockLevel.OUT),
        ("M2", StockLevel.NORMAL),
        ("M4", StockLevel.NORMAL),
        ("M1", StockLevel.OUT),
    ]
    assert (signals[1].daily_sales, signals[1].days_of_cover) == (1.0, 51.0)


def test_stock_signals_refuse_unknown_skus(store: Engine) -> None:
    with Session(store) as session, pytest.raises(UnknownSkuError):
        stock_signals(session, skus=["M1", "NOPE"], now=NOW)

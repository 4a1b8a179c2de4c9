from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from tools.inventory import bench_inventory


def test_bench_reports_percentiles(store: Engine) -> None:
    report = bench_inventory(store, queries=20, warmup=2, now=datetime(2025, 6, 10, tzinfo=UTC))
    assert set(report) == {"skus", "queries", "p50_ms", "p95_ms", "p99_ms"}
    assert report["skus"] == 8
    assert 0 < report["p50_ms"] <= report["p95_ms"] <= report["p99_ms"]


def test_bench_needs_products(sqlite_engine: Engine) -> None:
    with pytest.raises(ValueError, match="no products"):
        bench_inventory(sqlite_engine, queries=1)

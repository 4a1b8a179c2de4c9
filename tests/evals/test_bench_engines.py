from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.bench_engines import ensure_store, run, search_queries
from orchestrator.cli.app import app
from tools.exceptions import InputError
from tools.store import make_engine


def test_inventory_and_pricing_report_percentiles(tmp_path: Path) -> None:
    report = run(
        root=tmp_path,
        sizes=[200],
        shoppers=20,
        queries=20,
        seed=3,
        engines=("inventory", "pricing"),
    )
    size = report["sizes"]["200"]
    assert set(size) == {"inventory", "pricing", "within_budget"}
    for name in ("inventory", "pricing"):
        row = size[name]
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
        assert size["within_budget"][name] == (row["p95_ms"] <= report["budgets_p95_ms"][name])


def test_the_store_is_built_once_and_queries_are_distinct(tmp_path: Path) -> None:
    first = ensure_store(root=tmp_path, skus=200, shoppers=20, seed=3, progress=print)
    stamp = (first / "concierge.db").stat().st_mtime_ns
    again = ensure_store(root=tmp_path, skus=200, shoppers=20, seed=3, progress=print)
    assert again == first and (again / "concierge.db").stat().st_mtime_ns == stamp
    engine = make_engine(f"sqlite:///{first / 'concierge.db'}")
    try:
        queries = search_queries(engine, count=30, seed=1)
    finally:
        engine.dispose()
    assert len(queries) == len(set(queries)) == 30


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown engine"):
        run(root=tmp_path, sizes=[200], shoppers=20, queries=10, seed=1, engines=("nope",))


def test_cli_json_and_out(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["--data-dir", str(tmp_path), "bench", "engines", "--skus", "200", "--shoppers", "20"]
    args += ["--queries", "10", "--engine", "pricing", "--json", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["sizes"]["200"]["pricing"]["queries"] == 10


def test_search_reports_the_embedding_throughput_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tools.search.conftest import HashingEncoder

    encoder = HashingEncoder()
    monkeypatch.setattr("tools.search.persist.shared_encoder", lambda: encoder)
    heard: list[str] = []
    first = run(
        root=tmp_path,
        sizes=[200],
        shoppers=20,
        queries=10,
        seed=3,
        engines=("search",),
        progress=heard.append,
    )["sizes"]["200"]
    assert first["embedding"]["encoded_texts"] == encoder.encoded_texts == 200
    assert any(m.startswith("embedding the catalog ━") and "200/200 texts" in m for m in heard)
    assert first["search"]["cpu_p50_ms"] <= first["search"]["cpu_p95_ms"]
    again = run(root=tmp_path, sizes=[200], shoppers=20, queries=10, seed=3, engines=("search",))[
        "sizes"
    ]["200"]
    assert again["embedding"]["encoded_texts"] == 0 and encoder.encoded_texts == 200

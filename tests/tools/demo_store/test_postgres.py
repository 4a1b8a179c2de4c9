from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from tools.demo_store import DemoSpec, StoreExistsError, build_demo_store
from tools.store import get_meta, make_engine
from tools.store.digest import store_digest

SPEC = DemoSpec(seed=11, skus=150, shoppers=20)


def _digest(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        return store_digest(engine)
    finally:
        engine.dispose()


def test_postgres_build_matches_sqlite_byte_for_byte(pg_url: str, tmp_path: Path) -> None:
    build_demo_store(url=pg_url, truth_path=tmp_path / "pg" / "truth.jsonl", spec=SPEC)
    sqlite_url = f"sqlite:///{tmp_path / 'store.db'}"
    build_demo_store(url=sqlite_url, truth_path=tmp_path / "sqlite" / "truth.jsonl", spec=SPEC)
    assert _digest(pg_url) == _digest(sqlite_url)
    pg_truth = (tmp_path / "pg" / "truth.jsonl").read_bytes()
    assert pg_truth == (tmp_path / "sqlite" / "truth.jsonl").read_bytes()


def test_postgres_rebuild_needs_force_and_replaces_in_one_transaction(
    pg_url: str, tmp_path: Path
) -> None:
    truth = tmp_path / "truth.jsonl"
    build_demo_store(url=pg_url, truth_path=truth, spec=SPEC)
    before = _digest(pg_url)
    other = DemoSpec(seed=12, skus=150, shoppers=20)
    with pytest.raises(StoreExistsError):
        build_demo_store(url=pg_url, truth_path=truth, spec=other)
    assert _digest(pg_url) == before
    build_demo_store(url=pg_url, truth_path=truth, spec=other, force=True)
    assert _digest(pg_url)["products"] != before["products"]
    engine = make_engine(pg_url)
    try:
        with Session(engine) as session:
            assert get_meta(session, "demo_seed") == "12"
            assert get_meta(session, "schema_version") == "1"
    finally:
        engine.dispose()

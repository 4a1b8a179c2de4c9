from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

import tools.demo_store.build as build_module
from tests.tools.demo_store.conftest import SMALL, BuiltStore, build_small
from tools.demo_store import DemoSpec, StoreExistsError, catalog_version, read_truth
from tools.demo_store.taxonomy import load_taxonomy
from tools.store import get_meta, make_engine
from tools.store.digest import store_digest


def _digest(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        return store_digest(engine)
    finally:
        engine.dispose()


def test_same_seed_gives_identical_store_and_truth(tmp_path: Path, small_store: BuiltStore) -> None:
    again = build_small(tmp_path)
    assert _digest(again.url) == _digest(small_store.url)
    assert again.truth_path.read_bytes() == small_store.truth_path.read_bytes()


def test_another_seed_gives_another_store(tmp_path: Path, small_store: BuiltStore) -> None:
    other = build_small(tmp_path, DemoSpec(seed=8, skus=SMALL.skus, shoppers=SMALL.shoppers))
    mine, theirs = _digest(small_store.url), _digest(other.url)
    for table in ("products", "inventory", "price_history", "shoppers", "events", "orders"):
        assert mine[table] != theirs[table], table
    assert other.truth_path.read_bytes() != small_store.truth_path.read_bytes()


def test_store_meta_records_seed_versions_and_truth_hash(small_store: BuiltStore) -> None:
    import hashlib

    engine = make_engine(small_store.url)
    try:
        with Session(engine) as session:
            facts = {
                key: get_meta(session, key)
                for key in (
                    "schema_version",
                    "catalog_version",
                    "demo_seed",
                    "demo_generator_version",
                    "demo_truth_sha256",
                    "demo_reference_time",
                )
            }
    finally:
        engine.dispose()
    expected_version = catalog_version(SMALL, taxonomy_version=load_taxonomy().version)
    assert facts["schema_version"] == "1"
    assert facts["catalog_version"] == expected_version
    assert facts["demo_seed"] == "7"
    assert facts["demo_generator_version"]
    assert facts["demo_reference_time"] == SMALL.as_of.isoformat()
    truth_bytes = small_store.truth_path.read_bytes()
    assert facts["demo_truth_sha256"] == hashlib.sha256(truth_bytes).hexdigest()
    assert read_truth(small_store.truth_path).header["catalog_version"] == expected_version


def test_refuses_to_replace_a_store_without_force(tmp_path: Path) -> None:
    spec = DemoSpec(seed=3, skus=100, shoppers=10)
    first = build_small(tmp_path, spec)
    before = _digest(first.url)
    with pytest.raises(StoreExistsError, match="--force"):
        build_small(tmp_path, DemoSpec(seed=4, skus=100, shoppers=10))
    assert _digest(first.url) == before
    build_small(tmp_path, DemoSpec(seed=4, skus=100, shoppers=10), force=True)
    assert _digest(first.url) != before


def test_a_failed_build_leaves_the_old_store_and_truth_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = DemoSpec(seed=3, skus=100, shoppers=10)
    first = build_small(tmp_path, spec)
    before, truth_before = _digest(first.url), first.truth_path.read_bytes()

    def crash(**_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "generate_shopper_chunk", crash)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_small(tmp_path, DemoSpec(seed=5, skus=100, shoppers=10), force=True)
    assert _digest(first.url) == before
    assert first.truth_path.read_bytes() == truth_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["concierge.db", "demo_truth.jsonl"]


def test_a_store_held_open_by_another_process_is_not_replaced(tmp_path: Path) -> None:
    import contextlib
    import sqlite3

    from tools.demo_store import DemoStoreError

    first = build_small(tmp_path, DemoSpec(seed=3, skus=100, shoppers=10))
    before = _digest(first.url)
    with contextlib.closing(sqlite3.connect(tmp_path / "concierge.db")) as other:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("SELECT count(*) FROM products").fetchall()
        with pytest.raises(DemoStoreError, match="in use"):
            build_small(tmp_path, DemoSpec(seed=4, skus=100, shoppers=10), force=True)
    assert _digest(first.url) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["concierge.db", "demo_truth.jsonl"]

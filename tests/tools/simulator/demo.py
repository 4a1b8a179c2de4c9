"""A small demo store and its truth file, built once per test module."""

from __future__ import annotations

from pathlib import Path

from tools.demo_store import DemoSpec, build_demo_store
from tools.demo_store.truth import TRUTH_FILE_NAME


def build_small_demo(directory: Path, *, skus: int = 2_000, shoppers: int = 500) -> Path:
    """Build `<directory>/concierge.db` and its truth file; returns the directory."""
    build_demo_store(
        url=f"sqlite:///{directory / 'concierge.db'}",
        truth_path=directory / TRUTH_FILE_NAME,
        spec=DemoSpec(seed=7, skus=skus, shoppers=shoppers),
    )
    return directory

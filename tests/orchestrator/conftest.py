"""Fixtures of the turn tests: a private copy of the small demo store per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config import Settings
from tests.orchestrator.demo import copy_of, hashing_encoder


@pytest.fixture(scope="module")
def demo_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Settings of a demo store copied for this test module (hashing text encoder meanwhile)."""
    with hashing_encoder():
        yield copy_of(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1])

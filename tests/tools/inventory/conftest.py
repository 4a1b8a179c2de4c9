"""The seeded inventory store."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.tools.inventory.seed import seed_inventory


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    """A SQLite store with the inventory fixtures."""
    seed_inventory(sqlite_engine)
    return sqlite_engine

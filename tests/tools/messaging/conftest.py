"""The seeded messaging store."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.tools.messaging.seed import seed_messaging


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    """A SQLite store with the messaging fixtures."""
    seed_messaging(sqlite_engine)
    return sqlite_engine

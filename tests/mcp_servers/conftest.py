"""Stores on disk for the MCP servers, and how to reach a server over stdio."""

from __future__ import annotations

import sys
from pathlib import Path

import mcp
import pytest
from sqlalchemy import Engine

from config import Settings
from tests.tools.inventory.seed import seed_inventory
from tests.tools.messaging.seed import seed_messaging

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def inventory_settings(sqlite_engine: Engine, sqlite_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at a SQLite file with the inventory fixtures."""
    seed_inventory(sqlite_engine)
    return Settings(database_url=sqlite_url, data_dir=tmp_path)


@pytest.fixture
def messaging_settings(sqlite_engine: Engine, sqlite_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at a SQLite file with the messaging fixtures."""
    seed_messaging(sqlite_engine)
    return Settings(database_url=sqlite_url, data_dir=tmp_path)


def stdio_params(module: str, settings: Settings) -> mcp.StdioServerParameters:
    """Run `python -m <module>` against the settings' store."""
    return mcp.StdioServerParameters(
        command=sys.executable,
        args=["-m", module],
        env={
            "CONCIERGE_DATABASE_URL": settings.resolved_database_url,
            "CONCIERGE_DATA_DIR": str(settings.data_dir),
        },
        cwd=ROOT,
    )

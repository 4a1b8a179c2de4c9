"""Opening the store: one schema for SQLite (WAL, busy timeout, foreign keys) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel, create_engine

from tools.exceptions import StoreError
from tools.store import activity, catalog, locations, operations, shoppers  # noqa: F401
from tools.store.writers import queue_writers

SCHEMA_VERSION = "1"


def make_engine(url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """An engine for a database URL; SQLite files get WAL, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)
    raise StoreError(
        f"unsupported database URL {parsed.drivername!r}: use sqlite:/// or postgresql://"
    )


def _sqlite_engine(url: str, *, busy_timeout_ms: int, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if parsed.database and parsed.database != ":memory:":
        path = str(Path(parsed.database).resolve())
        queue_writers(engine, path=path, timeout_s=busy_timeout_ms / 1000)
    return engine


def create_schema(engine: Engine) -> None:
    """Create every store table that does not exist yet and record the schema version."""
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        if session.get(operations.StoreMeta, "schema_version") is None:
            session.add(operations.StoreMeta(key="schema_version", value=SCHEMA_VERSION))
            session.commit()


def drop_schema(engine: Engine) -> None:
    """Drop every store table (used by `init --force` and tests)."""
    SQLModel.metadata.drop_all(engine)


def has_schema(engine: Engine) -> bool:
    """Whether the store tables exist in this database."""
    return inspect(engine).has_table("products")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits as one transaction, or rolls back entirely on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_meta(session: Session, key: str) -> str | None:
    """A store fact by key, or None."""
    row = session.get(operations.StoreMeta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    """Record a store fact."""
    row = session.get(operations.StoreMeta, key)
    if row is None:
        session.add(operations.StoreMeta(key=key, value=value))
    else:
        row.value = value
        session.add(row)

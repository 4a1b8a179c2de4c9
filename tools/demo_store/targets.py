"""Where a build writes, so that a failed build never damages the store that was there.

SQLite: the store is built in `<file>.building` beside the real file, committed chunk by
chunk, and renamed over the real file only when complete. PostgreSQL: everything, including
dropping the old tables under `force`, happens in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from tools.demo_store.exceptions import DemoStoreError, StoreExistsError
from tools.store import make_engine, set_meta
from tools.store.engine import has_schema

SIDE_FILES = ("-wal", "-shm", "-journal")


class Loader(Protocol):
    """Receives rows table by table; `checkpoint` marks the end of a chunk."""

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows (dicts keyed by column name) into a store table."""

    def checkpoint(self) -> None:
        """A chunk is complete."""

    def write_meta(self, facts: dict[str, str]) -> None:
        """Record store facts in store_meta."""


class _ConnectionLoader:
    """Inserts with SQLAlchemy Core executemany, in the connection's transaction."""

    def __init__(self, conn: Connection, *, commit_chunks: bool) -> None:
        self.conn = conn
        self.commit_chunks = commit_chunks

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(SQLModel.metadata.tables[table]), list(rows))

    def checkpoint(self) -> None:
        if self.commit_chunks:
            self.conn.commit()

    def write_meta(self, facts: dict[str, str]) -> None:
        with Session(bind=self.conn) as session:
            for key, value in facts.items():
                set_meta(session, key, value)
            session.commit()


class _SqliteLoader(_ConnectionLoader):
    """Bulk inserts for SQLite: the column types' own bind processors, then one executemany.

    The stored values are exactly those SQLAlchemy would bind; this skips its per-row
    parameter bookkeeping, which dominates the cost of loading millions of rows.
    """

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, commit_chunks=True)
        self._plans: dict[tuple[str, tuple[str, ...]], _InsertPlan | None] = {}

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        keys = tuple(rows[0])
        plan = self._plans.get((table, keys), ...)
        if plan is ...:
            plan = _InsertPlan.of(SQLModel.metadata.tables[table], keys, self.conn.dialect)
            self._plans[(table, keys)] = plan
        if plan is None:
            super().insert(table, rows)
            return
        self.conn.exec_driver_sql(plan.sql, [plan.bind(row) for row in rows])


class _InsertPlan:
    def __init__(
        self, sql: str, columns: Sequence[tuple[str, Callable[[Any], Any] | None]]
    ) -> None:
        self.sql = sql
        self.columns = columns

    @classmethod
    def of(cls, table: Table, keys: tuple[str, ...], dialect: Dialect) -> _InsertPlan | None:
        """A plan for rows with exactly these keys, or None if the statement needs more."""
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = compiled.positiontup or []
        if sorted(order) != sorted(keys):
            return None
        columns = [
            (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in order
        ]
        return cls(str(compiled), columns)

    def bind(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            process(row[key]) if process is not None else row[key] for key, process in self.columns
        )


def store_exists(url: str) -> bool:
    """Whether the store tables exist at a database URL (a missing SQLite file has none)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return False
    engine = make_engine(url)
    try:
        return has_schema(engine)
    finally:
        engine.dispose()


def ensure_buildable(url: str, *, force: bool) -> None:
    """Refuse, unless forced, to build where a store already exists."""
    if not force and store_exists(url):
        parsed = make_url(url)
        where = parsed.database if parsed.get_backend_name() == "sqlite" else None
        raise StoreExistsError(where or parsed.render_as_string(hide_password=True))


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _retire_sqlite(path: Path) -> None:
    """Fold the old store's write-ahead log into it so no stale log outlives the rename."""
    if not path.exists():
        return
    in_use = DemoStoreError(f"{path} is in use by another process; stop it and try again")
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as conn:
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise in_use from exc
        except sqlite3.DatabaseError:
            return  # not a SQLite file: nothing to fold, the rename replaces it
    if str(mode).lower() != "delete":
        raise in_use
    for suffix in SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def sqlite_loader(url: str, *, force: bool) -> Iterator[Loader]:
    """Build into a temporary file beside the store and rename it into place on success."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DemoStoreError("the demo store needs a SQLite file, not an in-memory database")
    path = Path(database)
    ensure_buildable(url, force=force)
    _retire_sqlite(path)  # fails fast while another process holds the store
    temp = path.with_name(path.name + ".building")
    _remove_with_side_files(temp)
    engine = make_engine(f"sqlite:///{temp}")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            SQLModel.metadata.create_all(conn)
            conn.commit()
            yield _SqliteLoader(conn)
            conn.commit()
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        _retire_sqlite(path)
        os.replace(temp, path)
    except BaseException:
        engine.dispose()
        _remove_with_side_files(temp)
        raise


@contextlib.contextmanager
def postgres_loader(url: str, *, force: bool) -> Iterator[Loader]:
    """Load in one transaction; with `force`, the old tables are dropped inside it."""
    engine = make_engine(url)
    try:
        exists = has_schema(engine)
        if exists and not force:
            raise StoreExistsError(engine.url.render_as_string(hide_password=True))
        with engine.begin() as conn:
            if exists:
                SQLModel.metadata.drop_all(conn)
            SQLModel.metadata.create_all(conn)
            yield _ConnectionLoader(conn, commit_chunks=False)
    finally:
        engine.dispose()


def open_loader(url: str, *, force: bool) -> contextlib.AbstractContextManager[Loader]:
    """The loader for a database URL."""
    if make_url(url).get_backend_name() == "sqlite":
        return sqlite_loader(url, force=force)
    return postgres_loader(url, force=force)

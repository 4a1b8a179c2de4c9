"""Batched writes and key look-ups inside an import's single transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, select

from tools.importers.bulk import bulk_insert
from tools.importers.report import Progress, no_progress
from tools.importers.where import Keyed, Ref

T = TypeVar("T")
Row = dict[str, Any]

BATCH_ROWS = 5000
LOOKUP_KEYS = 500


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_keys(session: Session, column: Mapped[str], keys: Collection[str]) -> set[str]:
    """Which of `keys` are already stored in a key column."""
    found: set[str] = set()
    ordered = sorted(set(keys))
    for chunk in chunked(ordered, LOOKUP_KEYS):
        found.update(session.exec(select(column).where(column.in_(chunk))))
    return found


def insert_rows(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Row],
    *,
    stage: str,
    progress: Progress = no_progress,
) -> int:
    """Insert rows (dicts with the same keys) in batches, in the session's transaction."""
    table = SQLModel.metadata.tables[_table_name(model)]
    connection = session.connection()
    done = 0
    for batch in chunked(rows, BATCH_ROWS):
        bulk_insert(connection, table, batch)
        done += len(batch)
        progress(stage, done, len(rows))
    return done


def update_rows(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Row],
    *,
    stage: str,
    progress: Progress = no_progress,
) -> int:
    """Update stored rows by primary key; each dict holds the key and the columns to set."""
    done = 0
    for batch in chunked(rows, BATCH_ROWS):
        session.exec(update(model), params=list(batch))
        done += len(batch)
        progress(stage, done, len(rows))
    return done


def _table_name(model: type[SQLModel]) -> str:
    name = model.__tablename__
    assert isinstance(name, str)
    return name


def refuse_existing(
    session: Session,
    column: Mapped[str],
    rows: Sequence[Keyed],
    *,
    replace: bool,
    what: str,
) -> set[str]:
    """The keys of `rows` already stored; an InputError at the first one unless replacing."""
    existing = existing_keys(session, column, [r.key for r in rows])
    if existing and not replace:
        first = next(r for r in rows if r.key in existing)
        raise first.error(f"{what} {first.key!r} is already in the store (use --replace)")
    return existing


def refuse_dangling(
    session: Session,
    column: Mapped[str],
    refs: Sequence[Ref],
    *,
    what: str,
    hint: str = "",
) -> None:
    """An InputError at the first reference whose key is not stored."""
    if not refs:
        return
    stored = existing_keys(session, column, [r.key for r in refs])
    for ref in refs:
        if ref.key not in stored:
            raise ref.error(f"{what} {ref.key!r} does not exist{hint}")

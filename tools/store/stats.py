"""Row counts of the store tables."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel


def table_counts(engine: Engine) -> dict[str, int]:
    """The number of rows in every store table, by table name."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for name in sorted(SQLModel.metadata.tables):
            table = SQLModel.metadata.tables[name]
            counts[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return counts

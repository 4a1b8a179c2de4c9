"""A content digest of the store: equal digests mean byte-identical table contents."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

EXCLUDED_TABLES = frozenset({"store_meta"})


def _default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot digest {type(value).__name__}")


def table_digest(engine: Engine, table_name: str) -> str:
    """sha256 over a table's rows in primary-key order, each row as canonical JSON."""
    table = SQLModel.metadata.tables[table_name]
    order = list(table.primary_key.columns) or list(table.columns)
    hasher = hashlib.sha256()
    with engine.connect() as conn:
        for row in conn.execute(select(table).order_by(*order)).mappings():
            line = json.dumps(dict(row), sort_keys=True, default=_default, separators=(",", ":"))
            hasher.update(line.encode())
            hasher.update(b"\n")
    return hasher.hexdigest()


def store_digest(engine: Engine) -> dict[str, str]:
    """A digest per table (store_meta excluded), in table-name order."""
    names = sorted(n for n in SQLModel.metadata.tables if n not in EXCLUDED_TABLES)
    return {name: table_digest(engine, name) for name in names}

"""Fast bulk inserts: COPY on PostgreSQL, a plain driver executemany elsewhere.

Rows are converted once by each column type's own bind processing (UTC timestamps, JSON), then
handed to the driver without per-row statement processing: a few hundred thousand events load in
seconds instead of minutes. Everything runs on the caller's connection, inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert

Row = dict[str, Any]
Convert = Callable[[Any], Any]


def bulk_insert(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Insert rows that all have the same keys (column names)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        _executemany(connection, table, rows)


def _copy(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    convert = _converters(connection, table, columns, json_as_text=True)
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(_values(row, columns, convert))


def _executemany(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    columns = list(rows[0])
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=columns)
    if not compiled.positional or compiled.positiontup is None:
        connection.execute(insert(table), list(rows))
        return
    order = list(compiled.positiontup)
    convert = _converters(connection, table, order, json_as_text=False)
    values = [_values(row, order, convert) for row in rows]
    connection.exec_driver_sql(str(compiled), values)


def _converters(
    connection: Connection, table: Table, columns: list[str], *, json_as_text: bool
) -> list[tuple[int, Convert]]:
    """(position, conversion) for the columns whose values the driver cannot take as they are."""
    found: list[tuple[int, Convert]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        convert: Convert | None
        if json_as_text and isinstance(column_type, JSON):
            convert = _json_text
        else:
            dialect = connection.dialect
            convert = column_type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            found.append((index, convert))
    return found


def _values(row: Row, columns: list[str], convert: list[tuple[int, Convert]]) -> tuple[Any, ...]:
    values = [row[name] for name in columns]
    for index, to in convert:
        values[index] = to(values[index])
    return tuple(values)


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)

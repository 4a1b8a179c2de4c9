"""CSV files read as (line, row) records under a checked header row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tools.importers.where import Where, read_text

if TYPE_CHECKING:
    from _csv import Reader


@dataclass
class CsvFile:
    """A CSV file's header (line 1) and an iterator over its rows, each with its first line."""

    file: str
    header: list[str]
    rows: Iterator[tuple[Where, dict[str, str]]] = field(repr=False)

    @property
    def header_where(self) -> Where:
        """Where the header row is."""
        return Where(self.file, 1)


def open_csv(path: Path) -> CsvFile:
    """Read a CSV file with a header row; blank, duplicate or ragged columns are InputErrors."""
    name = str(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise Where(name, reader.line_num or 1).error(f"malformed CSV: {exc}") from exc
    if not header:
        raise Where(name, 1).error("empty file: expected a header row")
    columns = [column.strip() for column in header]
    seen: set[str] = set()
    for index, column in enumerate(columns, start=1):
        if not column:
            raise Where(name, 1).error("blank column name", field=f"column {index}")
        if column in seen:
            raise Where(name, 1).error("duplicate column", field=column)
        seen.add(column)
    return CsvFile(file=name, header=columns, rows=_rows(reader, name, columns))


def _rows(reader: Reader, name: str, columns: list[str]) -> Iterator[tuple[Where, dict[str, str]]]:
    previous = reader.line_num
    while True:
        try:
            values = next(reader, None)
        except csv.Error as exc:
            raise Where(name, previous + 1).error(f"malformed CSV: {exc}") from exc
        if values is None:
            return
        where = Where(name, previous + 1)
        previous = reader.line_num
        if not values:
            continue
        if len(values) != len(columns):
            raise where.error(f"row has {len(values)} values but the header has {len(columns)}")
        yield where, dict(zip(columns, values, strict=True))

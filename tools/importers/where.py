"""Where a record came from, so that every error names its file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.exceptions import InputError


@dataclass(frozen=True, slots=True)
class Where:
    """A line of an input file."""

    file: str
    line: int

    def error(self, message: str, *, field: str | None = None) -> InputError:
        """An InputError located here."""
        return InputError(message, file=self.file, line=self.line, field=field)


def read_text(path: Path) -> str:
    """A whole UTF-8 text file; a missing, unreadable or undecodable file is an InputError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not valid UTF-8 text", file=str(path), line=line) from exc


@dataclass(frozen=True, slots=True)
class Keyed:
    """A row to write, its primary key, and the input line and field that key came from."""

    key: str
    row: dict[str, Any]
    where: Where
    field: str

    def error(self, message: str) -> InputError:
        """An InputError at this row's line, naming its key field."""
        return self.where.error(message, field=self.field)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from an input field to a key that must exist (in the input or the store)."""

    key: str
    where: Where
    field: str

    def error(self, message: str) -> InputError:
        """An InputError at this reference's line and field."""
        return self.where.error(message, field=self.field)

"""JSON documents and JSON Lines files read with the line of every record and field.

Numbers with a fraction are read as `Decimal` (exact money), duplicate keys and the non-JSON
constants NaN/Infinity are refused, and for a keyed JSON document the line of any field inside a
record can be found again in the raw text, so that errors point where the reader should look.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tools.exceptions import InputError
from tools.importers.where import Where, read_text

WHITESPACE = re.compile(r"[ \t\n\r]*")


class _RecordError(ValueError):
    """A well-formed record that JSON readers disagree on (duplicate key, NaN)."""


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _RecordError(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise _RecordError(f"{name} is not a JSON number")


DECODER = json.JSONDecoder(
    parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_unique_object
)


@dataclass(frozen=True, slots=True)
class Member:
    """One `"key": value` record of a keyed JSON document."""

    key: str
    value: Any
    where: Where
    start: int = field(repr=False)


@dataclass(frozen=True)
class JsonDocument:
    """A JSON object of records (key -> record), with positions kept for error messages."""

    file: str
    text: str = field(repr=False)
    members: list[Member]
    newlines: list[int] = field(repr=False)

    def line_at(self, pos: int) -> int:
        """The 1-based line of a character offset."""
        return bisect_left(self.newlines, pos) + 1

    def locate(self, member: Member, path: Sequence[str | int]) -> Where:
        """The line of the deepest part of `path` (keys and list indexes) found inside a record."""
        pos = member.start
        found = pos
        for step in path:
            located = _step(self.text, pos, step)
            if located is None:
                break
            found, pos = located
        return Where(self.file, self.line_at(found))

    def error(self, member: Member, path: Sequence[str | int], message: str) -> InputError:
        """An InputError at the line of `path` inside a record, naming the field."""
        where = self.locate(member, path)
        return where.error(message, field=dotted(path))


def dotted(path: Sequence[str | int]) -> str:
    """A field path as text: ("items", 1, "price") -> "items[1].price"."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def load_json_object(path: Path) -> JsonDocument:
    """A JSON file whose top level is an object of records, each with the line of its key."""
    text = read_text(path)
    newlines = [m.start() for m in re.finditer("\n", text)]
    doc = JsonDocument(file=str(path), text=text, members=[], newlines=newlines)
    start = _skip(text, 0)
    if not text.startswith("{", start):
        raise Where(doc.file, doc.line_at(start)).error("expected a JSON object of records")
    scanner = _ObjectScanner(text, start)
    seen: set[str] = set()
    try:
        for key, key_pos, value_pos in scanner:
            where = Where(doc.file, doc.line_at(key_pos))
            try:
                value, end = DECODER.raw_decode(text, value_pos)
            except _RecordError as exc:
                raise where.error(str(exc), field=key) from exc
            if key in seen:
                raise where.error("duplicate key", field=key)
            seen.add(key)
            scanner.resume(end)
            doc.members.append(Member(key=key, value=value, where=where, start=value_pos))
        trailing = _skip(text, scanner.end)
        if trailing < len(text):
            raise json.JSONDecodeError("extra data after the top-level object", text, trailing)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", file=doc.file, line=exc.lineno) from exc
    return doc


def iter_json_lines(path: Path) -> Iterator[tuple[Where, dict[str, Any]]]:
    """The objects of a JSON Lines file with their lines; blank lines are skipped."""
    text = read_text(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = Where(str(path), number)
        try:
            value = DECODER.decode(line)
        except json.JSONDecodeError as exc:
            raise where.error(f"malformed JSON: {exc.msg} (column {exc.colno})") from exc
        except _RecordError as exc:
            raise where.error(str(exc)) from exc
        if not isinstance(value, dict):
            raise where.error(f"expected a JSON object, got {json_kind(value)}")
        yield where, value


def json_kind(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _skip(text: str, pos: int) -> int:
    match = WHITESPACE.match(text, pos)
    assert match is not None
    return match.end()


class _ObjectScanner:
    """Walks the members of the JSON object starting at `start`; the caller decodes each value.

    Iterating yields (key, key offset, value offset); after each one the caller calls `resume`
    with the offset where the value ended. `end` is the offset after the closing brace.
    """

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start + 1
        self.end = start

    def resume(self, value_end: int) -> None:
        """Continue after a decoded value."""
        self.pos = value_end

    def __iter__(self) -> Iterator[tuple[str, int, int]]:
        text = self.text
        pos = _skip(text, self.pos)
        if text.startswith("}", pos):
            self.end = pos + 1
            return
        while True:
            if not text.startswith('"', pos):
                raise json.JSONDecodeError("expected a key in double quotes", text, pos)
            key, after = DECODER.raw_decode(text, pos)
            colon = _skip(text, after)
            if not text.startswith(":", colon):
                raise json.JSONDecodeError("expected ':' after a key", text, colon)
            yield key, pos, _skip(text, colon + 1)
            pos = _skip(text, self.pos)
            if text.startswith("}", pos):
                self.end = pos + 1
                return
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("expected ',' or '}'", text, pos)
            pos = _skip(text, pos + 1)


def _step(text: str, pos: int, step: str | int) -> tuple[int, int] | None:
    """Inside the value at `pos`: (offset of the key or element, offset of its value), or None."""
    pos = _skip(text, pos)
    try:
        if isinstance(step, str) and text.startswith("{", pos):
            scanner = _ObjectScanner(text, pos)
            for key, key_pos, value_pos in scanner:
                if key == step:
                    return key_pos, value_pos
                scanner.resume(DECODER.raw_decode(text, value_pos)[1])
        elif isinstance(step, int) and text.startswith("[", pos):
            pos = _skip(text, pos + 1)
            for _ in range(step):
                pos = _skip(text, DECODER.raw_decode(text, pos)[1])
                if not text.startswith(",", pos):
                    return None
                pos = _skip(text, pos + 1)
            return pos, pos
    except (ValueError, IndexError):
        return None
    return None

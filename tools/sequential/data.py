"""Sequence files (`user item item …` per line, oldest first) and item attribute files.

Items get positions 1..n in a fixed order (numeric when every id is an integer, else
lexicographic); 0 is padding. Ties in any ranking go to the lower position, so the order of
the ids decides ties the same way in every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tools.sequential.exceptions import DataFileError

IntArray = npt.NDArray[np.int64]
MIN_LENGTH = 3  # a training part, a validation target and a test target


def _id_order(ids: Iterable[str]) -> list[str]:
    unique = set(ids)
    if all(i.isdigit() for i in unique):
        return sorted(unique, key=lambda i: (int(i), i))
    return sorted(unique)


@dataclass(frozen=True)
class SequenceData:
    """Users' item sequences by position, with the item attributes as padded id rows."""

    users: tuple[str, ...]
    items: tuple[str, ...]
    sequences: tuple[IntArray, ...]
    attributes: IntArray = field(repr=False)
    n_attributes: int = 0
    skipped_users: int = 0

    @property
    def n_items(self) -> int:
        """How many items (positions 1..n_items)."""
        return len(self.items)

    @property
    def n_interactions(self) -> int:
        """Every user-item event in the sequences."""
        return sum(len(s) for s in self.sequences)

    def item_id(self, position: int) -> str:
        """The id, as in the file, of the item at a position (1-based)."""
        return self.items[position - 1]

    def positions(self) -> dict[str, int]:
        """Item id -> position."""
        return {item: i + 1 for i, item in enumerate(self.items)}


def sequence_data(
    rows: Sequence[tuple[str, Sequence[str]]],
    attributes: Mapping[str, Sequence[str]] | None = None,
    *,
    items: Sequence[str] | None = None,
    skipped_users: int = 0,
) -> SequenceData:
    """Sequence data from (user, item ids) rows and optional item -> attribute ids; `items`
    fixes the item universe and its order (default: the items in the rows, in id order)."""
    items = list(items) if items is not None else _id_order(i for _, seq in rows for i in seq)
    where = {item: i + 1 for i, item in enumerate(items)}
    sequences = tuple(np.array([where[i] for i in seq], dtype=np.int64) for _, seq in rows)
    table, n_attributes = _attribute_table(items, attributes or {})
    return SequenceData(
        users=tuple(u for u, _ in rows),
        items=tuple(items),
        sequences=sequences,
        attributes=table,
        n_attributes=n_attributes,
        skipped_users=skipped_users,
    )


def _attribute_table(
    items: Sequence[str], attributes: Mapping[str, Sequence[str]]
) -> tuple[IntArray, int]:
    """Row p holds the attribute positions (1-based, 0-padded) of the item at position p."""
    names = _id_order(a for item in items for a in attributes.get(item, ()))
    code = {name: i + 1 for i, name in enumerate(names)}
    width = max((len(set(attributes.get(item, ()))) for item in items), default=0)
    table = np.zeros((len(items) + 1, max(width, 1)), dtype=np.int64)
    for row, item in enumerate(items, start=1):
        found = sorted({code[a] for a in attributes.get(item, ())})
        table[row, : len(found)] = found
    return table, len(names)


def read_sequences(path: Path) -> tuple[list[tuple[str, list[str]]], int]:
    """Rows of (user, items) with at least MIN_LENGTH items, and how many users had fewer."""
    rows: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    skipped = 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read: {exc}", file=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        tokens = line.split()
        if not tokens:
            continue
        user, items = tokens[0], tokens[1:]
        if user in seen:
            raise DataFileError(f"user {user!r} appears twice", file=str(path), line=number)
        seen.add(user)
        if not items:
            raise DataFileError("a user with no items", file=str(path), line=number)
        if len(items) < MIN_LENGTH:
            skipped += 1
            continue
        rows.append((user, items))
    if not rows:
        raise DataFileError(f"no user with at least {MIN_LENGTH} items", file=str(path))
    return rows, skipped


def read_attributes(path: Path) -> dict[str, list[str]]:
    """Item id -> attribute ids from a JSON object of lists (`*_item2attributes.json`)."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read: {exc}", file=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno) from exc
    if not isinstance(raw, dict):
        raise DataFileError("expected a JSON object of item id -> attribute ids", file=str(path))
    found: dict[str, list[str]] = {}
    for item, values in raw.items():
        if not isinstance(values, list) or not all(
            isinstance(v, int | str) and not isinstance(v, bool) for v in values
        ):
            raise DataFileError(
                "attribute ids must be a list of integers or strings", file=str(path), field=item
            )
        found[str(item)] = [str(v) for v in values]
    return found


def load_sequence_data(path: Path, attributes: Path | None = None) -> SequenceData:
    """A sequence file (and optional attribute file) as positions."""
    rows, skipped = read_sequences(path)
    table = None if attributes is None else read_attributes(attributes)
    return sequence_data(rows, table, skipped_users=skipped)

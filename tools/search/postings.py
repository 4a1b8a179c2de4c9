"""Posting lists: which catalog rows carry each key (an attribute value, a title word)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Rows = npt.NDArray[np.int32]
Mask = npt.NDArray[np.bool_]

_EMPTY: Rows = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class Postings:
    """Sorted rows per key, stored compactly (one array of rows, one of offsets)."""

    keys: dict[str, int]
    offsets: npt.NDArray[np.int64]
    rows: Rows

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, int]]) -> Postings:
        """Postings from (key, row) pairs, in any order; repeats are kept once."""
        by_key: dict[str, set[int]] = {}
        for key, row in pairs:
            by_key.setdefault(key, set()).add(row)
        ordered = sorted(by_key)
        lists = [np.array(sorted(by_key[key]), dtype=np.int32) for key in ordered]
        sizes = np.array([len(rows) for rows in lists], dtype=np.int64)
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(sizes)])
        rows = np.concatenate(lists) if lists else _EMPTY
        return cls(keys={key: i for i, key in enumerate(ordered)}, offsets=offsets, rows=rows)

    def rows_of(self, key: str) -> Rows:
        """The rows that carry `key` (empty when none does)."""
        slot = self.keys.get(key)
        if slot is None:
            return _EMPTY
        return self.rows[self.offsets[slot] : self.offsets[slot + 1]]

    def mask_any(self, keys: Iterable[str], *, size: int) -> Mask:
        """A mask of the rows that carry at least one of `keys`."""
        mask = np.zeros(size, dtype=np.bool_)
        for key in keys:
            mask[self.rows_of(key)] = True
        return mask

    def save(self, path: Path) -> None:
        """Write to `path` (.npz) and its key list beside it (.json)."""
        np.savez(path.with_suffix(".npz"), offsets=self.offsets, rows=self.rows)
        ordered = sorted(self.keys, key=self.keys.__getitem__)
        path.with_suffix(".json").write_text(json.dumps(ordered, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> Postings:
        """Read what `save` wrote."""
        with np.load(path.with_suffix(".npz")) as arrays:
            offsets, rows = arrays["offsets"], arrays["rows"]
        ordered: list[str] = json.loads(path.with_suffix(".json").read_text())
        return cls(keys={key: i for i, key in enumerate(ordered)}, offsets=offsets, rows=rows)

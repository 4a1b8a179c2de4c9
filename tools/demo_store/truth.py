"""The hidden truth of a demo store: every shopper's real tastes, for evaluation only.

File: `<data_dir>/demo_truth.jsonl`, UTF-8 JSON Lines, one object per line, keys sorted,
no spaces, so equal builds give byte-identical files. Nothing in it is in the store; the
store's `store_meta` row `demo_truth_sha256` holds the file's sha256 to pair the two.

Line 1, the header:
    {"kind": "header", "format": "concierge-demo-truth", "format_version": 1,
     "generator_version": "1.0.0", "taxonomy_version": "<12 hex>",
     "catalog_version": "demo-<16 hex>", "seed": 7, "skus": 5000, "shoppers": 2000,
     "reference_time": "2026-11-01T00:00:00+00:00"}

Then one line per shopper, in shopper-id order:
    {"kind": "shopper",
     "shopper_id": "shopper-000000",
     "categories": {"beauty/skincare": 0.61, ...},  share of favourite-category sessions
     "exploration": 0.12,          chance a session is in a uniformly random category instead
     "brands": {"Lumen & Fern": 5.2, "Pure Basics": 0.1},  weight multipliers (<1: disliked)
     "likes": [{"key": "fragrance_free", "value": true, "weight": 2.5}, ...],
                                   an item whose attribute equals (or, for lists, contains)
                                   the value gets its weight multiplied by 1 + weight
     "dislikes": [{"key": "key_ingredients", "value": "retinol", "weight": 0.1}, ...],
                                   a matching item's weight is multiplied by weight
     "price_sensitivity": 0.7,     0..1; weight *= (price / typical price) ** (0.5 - 2 * it)
     "activity": 11.3,             expected sessions in the year of history
     "buy_propensity": 0.42,       chance a session puts something in the cart
     "preferred_channel": "sms",   email | sms | push (consent is in the store, not here)
     "open_rates": {"email": 0.2, "sms": 0.41, "push": 0.1},  chance to open a message
     "active_hours": [19, 23],     local hours [start, end) when most sessions start
     "timezone": "America/New_York", "device": "mobile",
     "home_location": "store-nyc"}  nearest store, or null

`tools.demo_store.tastes.affinity` turns a taste and a product into the generator's weight.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tools.demo_store.exceptions import DemoStoreError
from tools.demo_store.tastes import Taste

TRUTH_FILE_NAME = "demo_truth.jsonl"
TRUTH_FORMAT = "concierge-demo-truth"
TRUTH_FORMAT_VERSION = 1


def _line(obj: dict[str, Any]) -> bytes:
    return (
        json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    ).encode()


@dataclass(frozen=True)
class Truth:
    """A truth file read back: its header and every shopper's taste by id."""

    header: dict[str, Any]
    tastes: dict[str, Taste]


class TruthWriter:
    """Writes the truth file beside its final place, then moves it there in one step."""

    def __init__(self, path: Path, *, header: dict[str, Any]) -> None:
        self.path = path
        self.temp_path = path.with_name(path.name + ".building")
        self._hasher = hashlib.sha256()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = self.temp_path.open("wb")
        meta = {"kind": "header", "format": TRUTH_FORMAT, "format_version": TRUTH_FORMAT_VERSION}
        self._write({**meta, **header})

    def _write(self, obj: dict[str, Any]) -> None:
        data = _line(obj)
        self._hasher.update(data)
        self._file.write(data)

    def write(self, taste: Taste) -> None:
        """Append one shopper's taste."""
        self._write({"kind": "shopper", **taste.to_json()})

    @property
    def sha256(self) -> str:
        """The sha256 of everything written so far."""
        return self._hasher.hexdigest()

    def publish(self) -> None:
        """Close the file and move it into place."""
        self._file.close()
        os.replace(self.temp_path, self.path)

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._file.closed:
            self._file.close()
        if exc_type is not None:
            self.temp_path.unlink(missing_ok=True)


def read_truth(path: Path) -> Truth:
    """Read a truth file; refuses files of another format or version."""
    tastes: dict[str, Taste] = {}
    with path.open("rb") as handle:
        header = json.loads(handle.readline())
        if (
            header.get("format") != TRUTH_FORMAT
            or header.get("format_version") != TRUTH_FORMAT_VERSION
        ):
            raise DemoStoreError(f"{path}: not a version-{TRUTH_FORMAT_VERSION} demo truth file")
        for raw in handle:
            data = json.loads(raw)
            data.pop("kind")
            taste = Taste.from_json(data)
            tastes[taste.shopper_id] = taste
    return Truth(header=header, tastes=tastes)

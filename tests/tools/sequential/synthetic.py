"""Small synthetic sequence data whose right next item is known."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tools.sequential.data import SequenceData, sequence_data


def chain_rows(
    *, users: int = 60, items: int = 16, length: int = 7, seed: int = 0
) -> list[tuple[str, list[str]]]:
    """Every user walks the cycle 1 -> 2 -> ... -> items -> 1 from a random start, so the next
    item always follows the last one."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(users):
        start = int(rng.integers(items))
        rows.append((f"u{u:03d}", [str((start + i) % items + 1) for i in range(length)]))
    return rows


def chain_attributes(items: int = 16) -> dict[str, list[str]]:
    """Odd and even items share an attribute; each item has its own too."""
    return {str(i): ["odd" if i % 2 else "even", f"own{i}"] for i in range(1, items + 1)}


def chain_data(**kwargs: int) -> SequenceData:
    return sequence_data(chain_rows(**kwargs), chain_attributes(kwargs.get("items", 16)))


def write_files(directory: Path, rows: list[tuple[str, list[str]]]) -> tuple[Path, Path]:
    """A sequence file and an attribute file of these rows."""
    sequences = directory / "Chains.txt"
    sequences.write_text("".join(f"{u} {' '.join(items)}\n" for u, items in rows))
    attributes = directory / "Chains_item2attributes.json"
    items = {i for _, seq in rows for i in seq}
    attributes.write_text(json.dumps({i: chain_attributes(64)[i] for i in sorted(items)}))
    return sequences, attributes

"""Independent, reproducible random streams derived from the seed and a label path."""

from __future__ import annotations

import hashlib
import random


def derive_seed(seed: int, *labels: object) -> int:
    """A 64-bit seed for the stream named by `labels` under `seed`."""
    key = ":".join(str(part) for part in (seed, *labels)).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def derive_rng(seed: int, *labels: object) -> random.Random:
    """A private random generator for one chunk, shopper or purpose of a build."""
    return random.Random(derive_seed(seed, *labels))

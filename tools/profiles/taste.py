"""The taste vector: the recency-weighted mean embedding of the items a shopper engaged with."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tools.profiles.interest import Interest
from tools.profiles.items import Vector, VectorLookup


def taste_vector(
    interests: Mapping[str, Interest], vectors: VectorLookup
) -> tuple[Vector | None, int]:
    """The unit-length mean of item vectors weighted by positive interest, and items used."""
    total: Vector | None = None
    used = 0
    for sku, interest in interests.items():
        if interest.weight <= 0:
            continue
        vector = vectors.vector(sku)
        if vector is None:
            continue
        part = (vector * np.float32(interest.weight)).astype(np.float32)
        total = part if total is None else total + part
        used += 1
    if total is None:
        return None, 0
    norm = float(np.linalg.norm(total))
    if norm <= 1e-12:
        return None, 0
    unit: Vector = (total / np.float32(norm)).astype(np.float32)
    return unit, used

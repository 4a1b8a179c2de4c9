"""Stand-ins for the text encoder and small synthetic catalogs with known right answers."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from tools.profiles import ItemInfo, ShopperEvent
from tools.recommend import Catalog, TrainingData, catalog_of

DIM = 64
START = datetime(2026, 1, 1, tzinfo=UTC)


def fake_encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """A deterministic bag-of-words embedding (no model): words hashed into 64 signed bins."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            code = zlib.crc32(word.encode())
            out[row, code % DIM] += 1.0 if code & 1 << 20 else -1.0
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    unit: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
    return unit


def sku(i: int) -> str:
    return f"SKU-{i:02d}"


def shopper(i: int) -> str:
    return f"u{i:02d}"


def checker_item(i: int) -> ItemInfo:
    group = "even" if i % 2 == 0 else "odd"
    return ItemInfo(
        sku=sku(i),
        title=f"{group.title()} thing number {i}",
        brand=f"{group.title()} Co",
        category=f"{group}/things/leaf",
        price_cents=1000 + 100 * i,
        variant_group=f"G{i:02d}",
        attributes={"group": group, "shade": f"{group}-tone"},
        unit_cost_cents=500,
        launch_date=date(2025, 1, 1),
    )


def checkerboard(n: int = 20) -> TrainingData:
    """Shopper i bought every item of its parity except item i; the right answer is item i.

    Even shoppers are gold members on mobile, odd ones silver on desktop.
    """
    events: list[ShopperEvent] = []
    for u in range(n):
        at = START + timedelta(days=u)
        for j in range(u % 2, n, 2):
            if j == u:
                continue
            at += timedelta(minutes=5)
            for kind in ("view", "purchase"):
                events.append(
                    ShopperEvent(
                        shopper_id=shopper(u),
                        session_id=f"{shopper(u)}-s0",
                        kind=kind,
                        sku=sku(j),
                        occurred_at=at,
                        price_cents=1000,
                        device="mobile" if u % 2 == 0 else "desktop",
                    )
                )
    events.sort(key=lambda e: (e.occurred_at, e.shopper_id or "", e.kind))
    tiers = {shopper(u): "gold" if u % 2 == 0 else "silver" for u in range(n)}
    return TrainingData(catalog=checker_catalog(n), events=events, tiers=tiers)


def checker_catalog(n: int = 20) -> Catalog:
    return catalog_of(checker_item(i) for i in range(n))

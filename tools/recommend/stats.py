"""What the training events say about items: how often a view turns into a purchase, and how
often each department's purchases re-buy something the shopper bought before."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tools.recommend.catalog import Catalog, FloatArray
from tools.recommend.data import TrainingData
from tools.recommend.storage import read_document, read_model, write_model
from tools.store.vocab import EventKind

PRIOR_VIEWS = 20.0
PRIOR_PURCHASES = 20.0


@dataclass(frozen=True)
class ItemStats:
    """Smoothed conversion per item, repurchase rate per department, and margins."""

    skus: tuple[str, ...]
    conversion: FloatArray
    base_conversion: float
    repurchase: dict[str, float]
    base_repurchase: float

    def repurchase_rate(self, department: str) -> float:
        """Share of the department's purchases that re-buy an item bought before."""
        return self.repurchase.get(department, self.base_repurchase)

    def save(self, directory: Path) -> None:
        """Write the statistics."""
        write_model(
            directory,
            kind="item-stats",
            params={
                "base_conversion": self.base_conversion,
                "base_repurchase": self.base_repurchase,
            },
            skus=self.skus,
            arrays={"conversion": self.conversion},
            extra={"repurchase": self.repurchase},
        )

    @classmethod
    def load(cls, directory: Path) -> ItemStats:
        """Read saved statistics."""
        params, skus, arrays = read_model(directory, kind="item-stats")
        return cls(
            skus=tuple(skus),
            conversion=arrays["conversion"],
            base_conversion=float(params["base_conversion"]),
            repurchase={
                str(k): float(v) for k, v in read_document(directory, "repurchase").items()
            },
            base_repurchase=float(params["base_repurchase"]),
        )


def _conversion(data: TrainingData) -> tuple[FloatArray, float]:
    n = len(data.catalog)
    views, purchases = np.zeros(n), np.zeros(n)
    for event in data.events:
        at = None if event.sku is None else data.catalog.position(event.sku)
        if at is None:
            continue
        if event.kind == EventKind.VIEW.value:
            views[at] += 1
        elif event.kind == EventKind.PURCHASE.value:
            purchases[at] += 1
    base = float(purchases.sum() / views.sum()) if views.sum() else 0.0
    return (purchases + PRIOR_VIEWS * base) / (views + PRIOR_VIEWS), base


def _repurchase(data: TrainingData, catalog: Catalog) -> tuple[dict[str, float], float]:
    repeats: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    bought: set[tuple[str, str]] = set()
    for event in data.events:
        item = catalog.item(event.sku) if event.sku else None
        if event.kind != EventKind.PURCHASE.value or item is None or event.shopper_id is None:
            continue
        key = (event.shopper_id, item.sku)
        totals[item.department] += 1
        repeats[item.department] += key in bought
        bought.add(key)
    all_repeats, all_totals = sum(repeats.values()), sum(totals.values())
    base = all_repeats / all_totals if all_totals else 0.0
    rates = {
        d: round((repeats[d] + PRIOR_PURCHASES * base) / (totals[d] + PRIOR_PURCHASES), 6)
        for d in sorted(totals)
    }
    return rates, base


def fit_item_stats(data: TrainingData) -> ItemStats:
    """Statistics of the training events, in catalog order."""
    conversion, base_conversion = _conversion(data)
    repurchase, base_repurchase = _repurchase(data, data.catalog)
    return ItemStats(
        skus=tuple(data.catalog.skus),
        conversion=conversion,
        base_conversion=base_conversion,
        repurchase=repurchase,
        base_repurchase=base_repurchase,
    )

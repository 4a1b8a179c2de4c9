"""Inventory engine: availability, stock signals, fulfilment options, substitutes and holds."""

from tools.inventory.availability import (
    Availability,
    LocationStock,
    availability,
    available_by_sku,
)
from tools.inventory.bench import bench_inventory
from tools.inventory.exceptions import (
    InsufficientStockError,
    StaleIndexError,
    UnknownLocationError,
    UnknownSkuError,
)
from tools.inventory.fulfilment import destination_for, destination_of, fulfilment_options
from tools.inventory.holds import (
    HoldProposal,
    apply_hold,
    find_hold,
    plan_hold,
    release_hold,
)
from tools.inventory.index import CatalogIndex, IndexHolder, IndexInfo, load_index
from tools.inventory.options import (
    Destination,
    FulfilmentKind,
    FulfilmentOption,
    FulfilmentPlan,
    FulfilmentPolicy,
)
from tools.inventory.signal import (
    StockLevel,
    StockSignal,
    StockThresholds,
    classify_stock,
    stock_signals,
)
from tools.inventory.substitutes import (
    Substitute,
    SubstituteList,
    SubstituteWeights,
    substitutes,
)

__all__ = [
    "Availability",
    "CatalogIndex",
    "Destination",
    "FulfilmentKind",
    "FulfilmentOption",
    "FulfilmentPlan",
    "FulfilmentPolicy",
    "HoldProposal",
    "IndexHolder",
    "IndexInfo",
    "InsufficientStockError",
    "LocationStock",
    "StaleIndexError",
    "StockLevel",
    "StockSignal",
    "StockThresholds",
    "Substitute",
    "SubstituteList",
    "SubstituteWeights",
    "UnknownLocationError",
    "UnknownSkuError",
    "apply_hold",
    "availability",
    "available_by_sku",
    "bench_inventory",
    "classify_stock",
    "destination_for",
    "destination_of",
    "find_hold",
    "fulfilment_options",
    "load_index",
    "plan_hold",
    "release_hold",
    "stock_signals",
    "substitutes",
]

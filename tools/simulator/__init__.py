"""Shopper response simulator: the demo store's shoppers answering offers and messages."""

from tools.simulator.catalog import SimCatalog, SimItem, load_catalog
from tools.simulator.exceptions import SimulatorError
from tools.simulator.sessions import Draws, SimSession
from tools.simulator.simulator import (
    Expected,
    Presented,
    Response,
    ShopperSimulator,
    load_store_truth,
)

__all__ = [
    "Draws",
    "Expected",
    "Presented",
    "Response",
    "ShopperSimulator",
    "SimCatalog",
    "SimItem",
    "SimSession",
    "SimulatorError",
    "load_catalog",
    "load_store_truth",
]

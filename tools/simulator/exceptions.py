"""Errors of the shopper response simulator."""

from __future__ import annotations

from tools.exceptions import ToolsError


class SimulatorError(ToolsError):
    """The simulator cannot run on this store (no demo truth, or truth of another store)."""

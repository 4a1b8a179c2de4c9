"""Errors of the inventory engine; all are caller-fixable input errors carrying typed data."""

from __future__ import annotations

from tools.exceptions import InputError


class UnknownSkuError(InputError):
    """No product has this sku."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"unknown sku {sku!r}", field="sku")
        self.sku = sku


class UnknownLocationError(InputError):
    """No location has this id."""

    def __init__(self, location_id: str) -> None:
        super().__init__(f"unknown location {location_id!r}", field="location_id")
        self.location_id = location_id


class InsufficientStockError(InputError):
    """Fewer units are available at a location than were asked for."""

    def __init__(self, sku: str, location_id: str, *, requested: int, available: int) -> None:
        super().__init__(
            f"only {available} of {sku!r} available at {location_id!r}, {requested} requested",
            field="quantity",
        )
        self.sku = sku
        self.location_id = location_id
        self.requested = requested
        self.available = available


class StaleIndexError(InputError):
    """The sku exists in the store but not in the loaded substitutes index; refresh the index."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"sku {sku!r} is newer than the substitutes index", field="sku")
        self.sku = sku

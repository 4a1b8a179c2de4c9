"""Errors of the demo-store generator: bad sizes the caller can fix, and a store in the way."""

from __future__ import annotations

from tools.exceptions import InputError, ToolsError


class DemoStoreError(ToolsError):
    """Root of the demo-store generator's errors."""


class InvalidSpecError(InputError):
    """A size, seed or date given to the generator is out of range."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class StoreExistsError(DemoStoreError):
    """A store already exists where the demo store would be built."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"a store already exists at {where}; pass --force to replace it")


class TaxonomyError(DemoStoreError):
    """The packaged catalog vocabulary is malformed (a bug in taxonomy.yaml)."""

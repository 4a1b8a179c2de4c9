"""Errors of the recommendation engine. `InputError`s are the caller's to fix."""

from __future__ import annotations

from pathlib import Path

from tools.exceptions import InputError, ToolsError


class RecommendError(ToolsError):
    """Root of the recommendation engine's own errors."""


class NotFittedError(RecommendError):
    """A recommender was asked to recommend before it was fitted or loaded."""


class ModelFileError(RecommendError):
    """Saved model files are missing, of another kind, or of an unsupported format."""

    def __init__(self, directory: Path, reason: str) -> None:
        super().__init__(f"{directory}: {reason}")
        self.directory = directory


class UnknownItemError(InputError):
    """No product with this sku is known to the recommender."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"unknown sku {sku!r}", field="sku")
        self.sku = sku

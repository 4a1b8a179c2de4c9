"""Errors of the sequential models. `InputError`s (bad data files) are the caller's to fix."""

from __future__ import annotations

from pathlib import Path

from tools.exceptions import InputError, ToolsError


class SequentialError(ToolsError):
    """Root of the sequential models' own errors."""


class DataFileError(InputError):
    """A sequence or attribute file is malformed; the message names the file and line."""


class CheckpointError(SequentialError):
    """A saved model or training checkpoint is missing, unreadable or from another data set."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path

"""Errors of the engines and the store. Callers can fix `InputError`s; the rest are bugs."""

from __future__ import annotations


class ToolsError(Exception):
    """Root of every error raised by the engines and the store."""


class StoreError(ToolsError):
    """The store cannot be opened or used as configured."""


class InputError(ToolsError):
    """Input the caller gave is invalid; the message names what is wrong and where."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [where] if where else []
        if self.field:
            parts.append(f"field {self.field!r}")
        parts.append(self.reason)
        return ": ".join(parts)

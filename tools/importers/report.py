"""What an import did, and how it reports progress while it works."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) while an import works; total 0 means unknown."""


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


@dataclass
class ImportReport:
    """Rows an import wrote, by kind ("products", "shoppers", ...), and rows it replaced."""

    source: str
    created: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, *, created: int = 0, replaced: int = 0) -> None:
        """Add to the counts of one kind of row."""
        self.created[kind] = self.created.get(kind, 0) + created
        if replaced:
            self.replaced[kind] = self.replaced.get(kind, 0) + replaced

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return {
            "source": self.source,
            "created": dict(self.created),
            "replaced": dict(self.replaced),
            "notes": list(self.notes),
        }

"""What search needs from a text encoder (the real one is `tools.embeddings.TextEncoder`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tools.embeddings import Vectors


class Encoder(Protocol):
    """Turns texts into unit-length float32 vectors, the same text always into the same vector."""

    @property
    def model_id(self) -> str:
        """Names the model; indexes built with another model are not reused."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text."""
        ...

    def encode_query(self, text: str) -> Vectors:
        """The vector of one query (1-d)."""
        ...

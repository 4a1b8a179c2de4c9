"""The lexical side of search: BM25 over product terms (bm25s)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from tools.search.fusion import top_ranked
from tools.search.postings import Mask, Rows

# bm25s sets its own logger to DEBUG; its index-building chatter is not for our users.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_NO_ROWS: Rows = np.zeros(0, dtype=np.int32)


_EMPTY_MARKER = "empty"


class LexicalIndex:
    """BM25 scores of every catalog row for a tokenized query."""

    def __init__(self, retriever: Any | None) -> None:
        self._retriever = retriever  # None when the catalog has no words at all

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]]) -> LexicalIndex:
        """An index of tokenized documents, one per catalog row."""
        vocabulary = {token: i for i, token in enumerate(sorted({t for d in documents for t in d}))}
        if not vocabulary:
            return cls(None)
        ids = [[vocabulary[token] for token in document] for document in documents]
        retriever = bm25s.BM25()
        retriever.index((ids, vocabulary), show_progress=False)
        return cls(retriever)

    def ranked(self, tokens: Sequence[str], *, allowed: Mask | None, depth: int) -> Rows:
        """The best `depth` rows matching any token, best first, within `allowed` rows."""
        if self._retriever is None:
            return _NO_ROWS
        ids = self._retriever.get_tokens_ids(list(dict.fromkeys(tokens)))
        if not ids:
            return _NO_ROWS
        scores = self._retriever.get_scores_from_ids(ids)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0).astype(np.float32, copy=False)
        rows = np.flatnonzero(scores > 0).astype(np.int32)
        return top_ranked(rows, scores[rows], depth=depth)

    def save(self, directory: Path) -> None:
        """Write the index into `directory`."""
        if self._retriever is None:
            directory.mkdir(parents=True, exist_ok=True)
            (directory / _EMPTY_MARKER).touch()
        else:
            self._retriever.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read what `save` wrote."""
        if (directory / _EMPTY_MARKER).exists():
            return cls(None)
        return cls(bm25s.BM25.load(str(directory), show_progress=False))

"""The leave-one-out, full-ranking protocol of S3-Rec, ICLRec and DuoRec.

Per user the last item is the test target and the second-last the validation target; the
rest is training. A model sees at most the last `max_len` items before the target, every
item is scored, the items before the target (its whole history, never the target itself)
are excluded, and the target's rank decides HR@k and NDCG@k, averaged over all users.
Ties go to the lower item position, the same order the exported top-k lists use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tools.sequential.data import IntArray, SequenceData

FloatArray = npt.NDArray[np.float32] | npt.NDArray[np.float64]
CUTOFFS = (5, 10, 20)
MAX_LEN = 50
CHUNK = 1024


@dataclass(frozen=True)
class Stage:
    """One ranking task per user: the model's input, the target and the excluded history."""

    name: str
    inputs: IntArray
    targets: IntArray
    history_ptr: IntArray
    history: IntArray

    def __len__(self) -> int:
        return int(self.targets.size)

    def history_of(self, row: int) -> IntArray:
        """The item positions excluded from user `row`'s ranking."""
        found: IntArray = self.history[self.history_ptr[row] : self.history_ptr[row + 1]]
        return found

    def exclude(self, scores: FloatArray, start: int) -> None:
        """Set the history items of rows start.. of `scores` (and the padding column) to -inf."""
        stop = start + scores.shape[0]
        lo, hi = int(self.history_ptr[start]), int(self.history_ptr[stop])
        counts = np.diff(self.history_ptr[start : stop + 1])
        rows = np.repeat(np.arange(stop - start), counts)
        scores[rows, self.history[lo:hi]] = -np.inf
        scores[:, 0] = -np.inf


@dataclass(frozen=True)
class Split:
    """Training sequences and the validation and test stages of every user."""

    train: tuple[IntArray, ...]
    valid: Stage
    test: Stage


def left_pad(sequences: Sequence[IntArray], max_len: int) -> IntArray:
    """The last `max_len` items of each sequence, right-aligned in a zero-padded matrix."""
    out = np.zeros((len(sequences), max_len), dtype=np.int64)
    for row, seq in enumerate(sequences):
        tail = seq[-max_len:]
        if tail.size:
            out[row, max_len - tail.size :] = tail
    return out


def stage_of(
    name: str, prefixes: Sequence[IntArray], targets: Sequence[int], max_len: int
) -> Stage:
    """A stage from each user's items before the target, and the target."""
    histories = [np.unique(p[p != t]) for p, t in zip(prefixes, targets, strict=True)]
    ptr = np.zeros(len(histories) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([h.size for h in histories])
    flat = np.concatenate(histories) if histories else np.zeros(0, dtype=np.int64)
    return Stage(
        name=name,
        inputs=left_pad(prefixes, max_len),
        targets=np.asarray(targets, dtype=np.int64),
        history_ptr=ptr,
        history=flat.astype(np.int64),
    )


def leave_one_out(data: SequenceData, *, max_len: int = MAX_LEN) -> Split:
    """Training parts, validation (second-last item) and test (last item) of every user."""
    seqs = data.sequences
    return Split(
        train=tuple(s[:-2] for s in seqs),
        valid=stage_of("valid", [s[:-2] for s in seqs], [int(s[-2]) for s in seqs], max_len),
        test=stage_of("test", [s[:-1] for s in seqs], [int(s[-1]) for s in seqs], max_len),
    )


def target_ranks(scores: FloatArray, targets: IntArray) -> IntArray:
    """0-based rank of each row's target: higher scores first, ties to the lower column."""
    rows = np.arange(targets.size)
    mine = scores[rows, targets][:, None]
    columns = np.arange(scores.shape[1])[None, :]
    ahead = (scores > mine) | ((scores == mine) & (columns < targets[:, None]))
    ranks: IntArray = ahead.sum(axis=1).astype(np.int64)
    return ranks


def top_k_rows(scores: npt.NDArray[np.float64], k: int) -> IntArray:
    """The k best columns of each row, best first, ties to the lower column (-1 pads rows
    with fewer than k finite scores)."""
    out = np.full((scores.shape[0], k), -1, dtype=np.int64)
    if scores.shape[1] == 0:
        return out
    take = min(k, scores.shape[1])
    cut = -np.partition(-scores, take - 1, axis=1)[:, take - 1]
    for row in range(scores.shape[0]):
        values = scores[row]
        keep = np.flatnonzero((values >= cut[row]) & np.isfinite(values))
        order = keep[np.lexsort((keep, -values[keep]))][:k]
        out[row, : order.size] = order
    return out


Scorer = Callable[[Stage, int, int], FloatArray]
"""Scores of every item (column 0 is padding) for the users start..stop of a stage."""


@dataclass(frozen=True)
class Ranked:
    """The target ranks of a stage's users and, if asked, their top-k lists."""

    ranks: IntArray
    top: IntArray | None = None


def rank_stage(scorer: Scorer, stage: Stage, *, top: int = 0, chunk: int = CHUNK) -> Ranked:
    """Score a stage in chunks, exclude each user's history and rank the targets."""
    ranks: list[IntArray] = []
    tops: list[IntArray] = []
    for start in range(0, len(stage), chunk):
        stop = min(start + chunk, len(stage))
        scores = np.array(scorer(stage, start, stop), dtype=np.float64)
        stage.exclude(scores, start)
        ranks.append(target_ranks(scores, stage.targets[start:stop]))
        if top:
            tops.append(top_k_rows(scores, top))
    return Ranked(
        ranks=np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.int64),
        top=np.concatenate(tops) if top and tops else None,
    )


def metrics_of(ranks: IntArray, cutoffs: Sequence[int] = CUTOFFS) -> dict[str, float]:
    """HR@k and NDCG@k (one target per user) averaged over users, keyed `HR@5`, `NDCG@5`, …"""
    found: dict[str, float] = {}
    n = max(ranks.size, 1)
    for k in cutoffs:
        inside = ranks < k
        found[f"HR@{k}"] = float(inside.sum() / n)
        gains = 1.0 / np.log2(ranks[inside].astype(np.float64) + 2.0)
        found[f"NDCG@{k}"] = float(gains.sum() / n)
    return found


def metrics_of_lists(
    lists: Sequence[Sequence[str]], targets: Sequence[str], cutoffs: Sequence[int] = CUTOFFS
) -> dict[str, float]:
    """The same metrics from ranked id lists alone (what an independent scorer computes)."""
    found = {f"{m}@{k}": 0.0 for k in cutoffs for m in ("HR", "NDCG")}
    for ranked, target in zip(lists, targets, strict=True):
        if target not in ranked:
            continue
        rank = list(ranked).index(target)
        for k in cutoffs:
            if rank < k:
                found[f"HR@{k}"] += 1.0
                found[f"NDCG@{k}"] += 1.0 / math.log2(rank + 2)
    n = max(len(targets), 1)
    return {key: value / n for key, value in found.items()}

"""Training examples from the training parts of the sequences, and length-bucketed batches.

Every position of a training sequence predicts the next item (causal), so one user gives
one example of up to `max_len` inputs; a longer sequence is cut into windows from its end
so each transition is a target exactly once. Batches group examples of similar length (in
a seeded order, new each epoch) so little time goes into padding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tools.sequential.data import IntArray

BUCKET_BATCHES = 50


@dataclass(frozen=True)
class Examples:
    """Input windows and their next-item targets (same length each, oldest first)."""

    inputs: tuple[IntArray, ...]
    targets: tuple[IntArray, ...]

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def n_targets(self) -> int:
        """Predicted transitions in all examples."""
        return sum(t.size for t in self.targets)


def examples_of(sequences: Sequence[IntArray], max_len: int) -> Examples:
    """One example per window of at most `max_len` transitions, windows cut from the end."""
    inputs: list[IntArray] = []
    targets: list[IntArray] = []
    for seq in sequences:
        end = seq.size
        while end >= 2:
            start = max(0, end - 1 - max_len)
            inputs.append(seq[start : end - 1])
            targets.append(seq[start + 1 : end])
            end = start + 1
    return Examples(inputs=tuple(inputs), targets=tuple(targets))


def epoch_batches(examples: Examples, batch_size: int, *, seed: int, epoch: int) -> list[IntArray]:
    """Example indices per batch for one epoch: shuffled, bucketed by length, batch order
    shuffled; the same for the same seed and epoch."""
    rng = np.random.default_rng([seed, epoch])
    order = rng.permutation(len(examples))
    lengths = np.array([t.size for t in examples.targets])
    bucket = batch_size * BUCKET_BATCHES
    batches: list[IntArray] = []
    for lo in range(0, order.size, bucket):
        chunk = order[lo : lo + bucket]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, chunk.size, batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def collate(
    examples: Examples,
    index: IntArray,
    *,
    reorder: float = 0.0,
    rng: np.random.Generator | None = None,
) -> tuple[IntArray, IntArray]:
    """Left-padded (batch, longest) inputs and targets of the indexed examples; with
    `reorder`, that share of the examples has a random half of its items shuffled (the
    item-reorder augmentation of CL4SRec)."""
    width = max(examples.targets[i].size for i in index)
    inputs = np.zeros((index.size, width), dtype=np.int64)
    targets = np.zeros((index.size, width), dtype=np.int64)
    for row, i in enumerate(index):
        window = np.concatenate([examples.inputs[i][:1], examples.targets[i]])
        if reorder and rng is not None and window.size > 2 and rng.random() < reorder:
            window = _reordered(window, rng)
        n = window.size - 1
        inputs[row, width - n :] = window[:-1]
        targets[row, width - n :] = window[1:]
    return inputs, targets


def _reordered(window: IntArray, rng: np.random.Generator) -> IntArray:
    span = max(2, window.size // 2)
    start = int(rng.integers(0, window.size - span + 1))
    out = window.copy()
    out[start : start + span] = rng.permutation(out[start : start + span])
    return out

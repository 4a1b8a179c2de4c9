"""Full-softmax cross-entropy over every item, computed in row chunks.

The logits of a batch (targets x items, tens of megabytes) are never held whole: the forward
pass keeps each row's log-sum-exp only and the backward pass recomputes one chunk of logits
at a time. That costs one more matrix product but no large allocations, which on a small
machine spend more time in page faults than in arithmetic.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

CHUNK = 256


def _logits(
    states: Tensor, table: Tensor, banned: Tensor, unseen: Tensor | None, bf16: bool
) -> Tensor:
    """Masked logits of one chunk: -inf at the banned columns of each row and at `unseen`."""
    logits = _product(states, table.T, bf16)
    logits.scatter_(1, banned, float("-inf"))
    if unseen is not None and unseen.numel():
        logits.index_fill_(1, unseen, float("-inf"))
    return logits


def _product(left: Tensor, right: Tensor, bf16: bool) -> Tensor:
    if bf16:
        return (left.bfloat16() @ right.bfloat16()).float()
    return left @ right


class ChunkedCrossEntropy(torch.autograd.Function):
    """Mean cross-entropy (optionally label-smoothed over the allowed items) of
    `states @ table.T` against `targets`, with `banned` and `unseen` columns left out."""

    @staticmethod
    def forward(
        ctx: Any,
        states: Tensor,
        table: Tensor,
        targets: Tensor,
        banned: Tensor,
        unseen: Tensor | None,
        smoothing: float,
        bf16: bool,
    ) -> Tensor:
        """The mean loss over the rows."""
        total = torch.zeros((), dtype=torch.float64)
        lse = torch.empty(states.size(0))
        for lo in range(0, states.size(0), CHUNK):
            hi = lo + CHUNK
            logits = _logits(states[lo:hi], table, banned[lo:hi], unseen, bf16)
            lse[lo:hi] = torch.logsumexp(logits, dim=1)
            loss = lse[lo:hi] - logits.gather(1, targets[lo:hi, None]).squeeze(1)
            if smoothing:
                allowed = torch.isfinite(logits)
                mean = logits.masked_fill(~allowed, 0.0).sum(1) / allowed.sum(1)
                loss = (1.0 - smoothing) * loss + smoothing * (lse[lo:hi] - mean)
            total += loss.sum(dtype=torch.float64)
        ctx.save_for_backward(states, table, targets, banned, lse)
        ctx.unseen, ctx.smoothing, ctx.bf16 = unseen, smoothing, bf16
        return (total / max(states.size(0), 1)).float()

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple[Tensor | None, ...]:
        """Gradients for `states` and `table`, one chunk of logits at a time."""
        states, table, targets, banned, lse = ctx.saved_tensors
        scale = grads[0] / max(states.size(0), 1)
        grad_states = torch.empty_like(states)
        grad_table = torch.zeros_like(table)
        eps = ctx.smoothing
        for lo in range(0, states.size(0), CHUNK):
            hi = lo + CHUNK
            logits = _logits(states[lo:hi], table, banned[lo:hi], ctx.unseen, ctx.bf16)
            allowed = torch.isfinite(logits) if eps else None
            g = logits.sub_(lse[lo:hi, None]).exp_()  # softmax; 0 where not allowed
            rows = torch.arange(g.size(0))
            g[rows, targets[lo:hi]] -= 1.0 - eps
            if allowed is not None:
                g -= eps * allowed / allowed.sum(1, keepdim=True)
            g *= scale
            grad_states[lo:hi] = _product(g, table, ctx.bf16)
            grad_table += _product(g.T, states[lo:hi], ctx.bf16)
        return grad_states, grad_table, None, None, None, None, None


def cross_entropy(
    states: Tensor,
    table: Tensor,
    targets: Tensor,
    banned: Tensor,
    *,
    unseen: Tensor | None = None,
    smoothing: float = 0.0,
    bf16: bool = False,
) -> Tensor:
    """Mean cross-entropy of each row's target against every allowed item."""
    loss: Tensor = ChunkedCrossEntropy.apply(  # type: ignore[no-untyped-call]
        states, table, targets, banned, unseen, smoothing, bf16
    )
    return loss

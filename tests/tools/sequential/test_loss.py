"""The chunked cross-entropy gives the loss and gradients of the plain computation."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F  # noqa: N812

from tools.sequential import loss as chunked
from tools.sequential.loss import cross_entropy


def _plain(
    states: torch.Tensor,
    table: torch.Tensor,
    targets: torch.Tensor,
    banned: torch.Tensor,
    unseen: torch.Tensor,
    eps: float,
) -> torch.Tensor:
    logits = (states @ table.T).scatter(1, banned, float("-inf"))
    logits = logits.index_fill(1, unseen, float("-inf"))
    log_p = F.log_softmax(logits, dim=1)
    allowed = torch.isfinite(logits)
    nll = -log_p.gather(1, targets[:, None]).squeeze(1)
    smooth = -log_p.masked_fill(~allowed, 0.0).sum(1) / allowed.sum(1)
    return ((1 - eps) * nll + eps * smooth).mean()


@pytest.mark.parametrize("eps", [0.0, 0.2])
def test_loss_and_gradients_match_the_plain_computation(
    eps: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunked, "CHUNK", 7)  # several chunks, the last one short
    generator = torch.Generator().manual_seed(0)
    states = torch.randn(30, 8, generator=generator, requires_grad=True)
    table = torch.randn(50, 8, generator=generator, requires_grad=True)
    targets = torch.randint(1, 40, (30,), generator=generator)
    banned = torch.randint(0, 50, (30, 4), generator=generator)
    banned[:, 0] = 0
    banned = banned.masked_fill(banned == targets[:, None], 0)
    unseen = torch.tensor([45, 47])

    expected = _plain(states, table, targets, banned, unseen, eps)
    want_states, want_table = torch.autograd.grad(expected, (states, table))
    found = cross_entropy(states, table, targets, banned, unseen=unseen, smoothing=eps)
    got_states, got_table = torch.autograd.grad(found, (states, table))

    assert found.item() == pytest.approx(expected.item(), rel=1e-5)
    assert torch.allclose(got_states, want_states, atol=1e-6)
    assert torch.allclose(got_table, want_table, atol=1e-6)
    assert torch.all(got_table[45] == 0) and torch.all(got_table[0] == 0)  # never scored

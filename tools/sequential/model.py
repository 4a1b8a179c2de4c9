"""A self-attentive next-item model (SASRec) with item-attribute side information.

An item's vector is its own embedding plus the mean of its attribute embeddings; the same
vectors embed the input sequence and score every item at the output (tied), so an item
never seen in training still has a vector from its attributes. Positions count back from
the most recent item, so the last position always carries the same embedding.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: N812
from torch import Tensor, nn

from tools.sequential.config import ModelConfig


def _mean_matrix(rows: Tensor, width: int) -> Tensor:
    """Sparse (items, attribute ids) matrix averaging each item's attribute embeddings."""
    item, slot = torch.nonzero(rows > 0, as_tuple=True)
    counts = (rows > 0).sum(1).clamp(min=1).to(torch.float32)
    return torch.sparse_coo_tensor(
        torch.stack([item, rows[item, slot]]),
        1.0 / counts[item],
        size=(rows.size(0), width),
        check_invariants=True,
    ).coalesce()


class Block(nn.Module):
    """Pre-norm causal self-attention and feed-forward, each with a residual."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        d = config.hidden
        self.heads = config.heads
        self.attention_dropout = config.attention_dropout
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(
            nn.Linear(d, config.ffn * d), nn.GELU(), nn.Linear(config.ffn * d, d)
        )
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        """x: (batch, length, hidden); mask: (batch, 1, length, length), True where allowed."""
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, n, 3, self.heads, d // self.heads).unbind(2)
        attended = F.scaled_dot_product_attention(
            q.transpose(1, 2),
            k.transpose(1, 2),
            v.transpose(1, 2),
            attn_mask=mask,
            dropout_p=self.attention_dropout if self.training else 0.0,
        )
        x = x + self.drop(self.out(attended.transpose(1, 2).reshape(b, n, d)))
        out: Tensor = x + self.drop(self.ffn(self.norm2(x)))
        return out


class SASRec(nn.Module):
    """Encodes a left-padded item sequence; scores items by inner product with item vectors."""

    def __init__(
        self,
        *,
        n_items: int,
        config: ModelConfig,
        attributes: Tensor | None = None,
        n_attributes: int = 0,
    ) -> None:
        super().__init__()
        if config.hidden % config.heads:
            raise ValueError("hidden size must be a multiple of the number of heads")
        d = config.hidden
        self.config = config
        self.n_items = n_items
        self.items = nn.Embedding(n_items + 1, d, padding_idx=0)
        use_attributes = config.attributes and attributes is not None and n_attributes > 0
        self.attributes = (
            nn.Embedding(n_attributes + 1, d, padding_idx=0) if use_attributes else None
        )
        rows = attributes if use_attributes and attributes is not None else torch.zeros(1, 1)
        self.register_buffer("attribute_rows", rows.long(), persistent=True)
        mean = _mean_matrix(rows.long(), n_attributes + 1 if use_attributes else 1)
        self.register_buffer("attribute_mean", mean, persistent=False)
        self.positions = nn.Embedding(config.max_len, d)
        self.input_norm = nn.LayerNorm(d)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.norm = nn.LayerNorm(d)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Small normal initialisation (std 0.02) with zero padding rows."""
        for module in self.modules():
            if isinstance(module, nn.Linear | nn.Embedding):
                nn.init.normal_(module.weight, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
        with torch.no_grad():
            self.items.weight[0].zero_()
            if self.attributes is not None:
                self.attributes.weight[0].zero_()

    def item_table(self) -> Tensor:
        """Every item's vector (row 0 is padding): own embedding plus mean attribute embedding."""
        table = self.items.weight
        if self.training and self.config.item_dropout > 0.0 and self.attributes is not None:
            keep = torch.rand(table.size(0), 1) >= self.config.item_dropout
            table = table * keep.to(table.dtype)
        if self.attributes is not None:
            mean = self.attribute_mean
            assert isinstance(mean, Tensor)
            table = table + torch.sparse.mm(mean, self.attributes.weight)
        return table

    def encode(self, sequence: Tensor, table: Tensor | None = None) -> Tensor:
        """Hidden state after each position of (batch, length) left-padded sequences."""
        table = self.item_table() if table is None else table
        _, n = sequence.shape
        start = self.config.max_len - n
        positions = torch.arange(start, start + n, device=sequence.device)
        x = table[sequence] * math.sqrt(self.config.hidden) + self.positions(positions)
        x = self.drop(self.input_norm(x))
        causal = torch.ones(n, n, dtype=torch.bool, device=sequence.device).tril()
        real = (sequence > 0).unsqueeze(1)
        mask = (causal & real) | torch.eye(n, dtype=torch.bool, device=sequence.device)
        mask = mask.unsqueeze(1)
        for block in self.blocks:
            x = block(x, mask)
        out: Tensor = self.norm(x)
        return out

    def last_state(self, sequence: Tensor, table: Tensor | None = None) -> Tensor:
        """The user vector: the hidden state after the most recent item."""
        return self.encode(sequence, table)[:, -1]

    def scores(self, sequence: Tensor) -> Tensor:
        """Scores of every item (column 0 is padding) after each user's sequence."""
        table = self.item_table()
        return self.last_state(sequence, table) @ table.T

"""Hyper-parameters of the sequential model and its training (the defaults are the ones the
README reports; nothing is tuned per data set)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ModelConfig(BaseModel):
    """Shape of the self-attentive next-item model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hidden: int = Field(default=128, ge=8, le=1024, description="Embedding and hidden size")
    layers: int = Field(default=2, ge=1, le=8, description="Transformer blocks")
    heads: int = Field(default=2, ge=1, le=16, description="Attention heads per block")
    ffn: int = Field(default=2, ge=1, le=8, description="Feed-forward width, times hidden")
    dropout: float = Field(default=0.5, ge=0.0, lt=1.0, description="Dropout on hidden states")
    attention_dropout: float = Field(default=0.2, ge=0.0, lt=1.0, description="On attention")
    max_len: int = Field(default=50, ge=2, le=512, description="Items of history the model reads")
    attributes: bool = Field(default=True, description="Sum item-attribute embeddings into items")
    item_dropout: float = Field(
        default=0.0,
        ge=0.0,
        lt=1.0,
        description="Share of items whose own embedding is dropped in a training step, so "
        "the model learns to score items from their attributes alone (cold start)",
    )


class TrainConfig(BaseModel):
    """How the model is trained and selected (on validation NDCG@20 only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    epochs: int = Field(default=12, ge=1, le=1000, description="Most epochs to train")
    batch_size: int = Field(default=256, ge=1, le=65536, description="Sequences per step")
    lr: float = Field(default=2e-3, gt=0.0, le=1.0, description="Peak learning rate (AdamW)")
    weight_decay: float = Field(default=0.05, ge=0.0, le=10.0, description="AdamW decay")
    warmup: float = Field(default=0.05, ge=0.0, lt=1.0, description="Share of steps warming up")
    label_smoothing: float = Field(default=0.0, ge=0.0, lt=1.0, description="Of the targets")
    mask_history: bool = Field(
        default=True, description="Leave items before each target out of its softmax"
    )
    bf16: bool = Field(
        default=True, description="bfloat16 for the item-scoring products during training"
    )
    skip_unseen: bool = Field(
        default=False,
        description="Leave items without any training interaction out of the softmax, so "
        "new items are not learnt to be unwanted",
    )
    reorder: float = Field(
        default=0.0, ge=0.0, le=1.0, description="Share of examples with half their items shuffled"
    )
    fuse_knn: bool = Field(
        default=True, description="Add item-kNN scores, weighted as chosen on validation"
    )
    refit_epochs: int = Field(
        default=2,
        ge=0,
        le=100,
        description="After selection, epochs more on the sequences with the validation "
        "targets appended (the test targets are never trained on)",
    )
    refit_lr: float = Field(
        default=0.3, gt=0.0, le=1.0, description="Refit learning rate, times the peak rate"
    )
    patience: int = Field(default=5, ge=1, le=1000, description="Epochs without gain to stop")
    seed: int = Field(default=0, description="Seed of initialisation, dropout and batches")
    threads: int = Field(
        default=0,
        ge=0,
        le=256,
        description="Torch threads (0: every core if idle OpenMP threads sleep, else one)",
    )
    max_minutes: float | None = Field(
        default=None, gt=0.0, description="Stop after the epoch that crosses this wall time"
    )

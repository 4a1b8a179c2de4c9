"""Training the sequential model: full-softmax cross-entropy over every item, AdamW with
warm-up and cosine decay, validation NDCG@20 after each epoch for early stopping and model
selection, and a checkpoint after each epoch to resume from."""

from __future__ import annotations

import copy
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from tools.sequential.batches import Examples, collate, epoch_batches, examples_of
from tools.sequential.checkpoint import read_checkpoint, write_checkpoint
from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.data import IntArray, SequenceData
from tools.sequential.loss import cross_entropy
from tools.sequential.model import SASRec
from tools.sequential.protocol import Scorer, Stage, metrics_of, rank_stage

SELECT_ON = "NDCG@20"
REFIT_EPOCHS_FROM = 10_000  # seeds of refit epochs differ from the main run's
StepCallback = Callable[[int, int, int, float], None]
"""Called after each step with (epoch, step, steps in the epoch, running loss)."""


@dataclass(frozen=True)
class EpochRecord:
    """One epoch's mean training loss, validation metrics and time."""

    epoch: int
    loss: float
    valid: dict[str, float]
    seconds: float


@dataclass
class TrainResult:
    """The selected model (best validation NDCG@20) and how training went."""

    model: SASRec
    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0
    stopped: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    resumed_from: int = 0

    @property
    def best_valid(self) -> dict[str, float]:
        """Validation metrics of the selected epoch."""
        return next((r.valid for r in self.history if r.epoch == self.best_epoch), {})


def torch_threads(config: TrainConfig) -> int:
    """Threads to train with (0: leave torch's default, every core). With OpenMP threads
    spinning while idle (torch's default unless OMP_WAIT_POLICY=PASSIVE was set before torch
    started), two threads on a shared machine run several times slower than one."""
    if config.threads:
        return config.threads
    return 0 if os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE" else 1


def build_model(data: SequenceData, config: ModelConfig) -> SASRec:
    """An untrained model for this data's items and attributes."""
    return SASRec(
        n_items=data.n_items,
        config=config,
        attributes=torch.from_numpy(data.attributes),
        n_attributes=data.n_attributes,
    )


def banned_before(inputs: Tensor, chosen: Tensor, wanted: Tensor) -> Tensor:
    """Per chosen position, the items before it in its window (its own target excepted),
    with a 0 (padding) column first."""
    n = inputs.size(1)
    before = inputs.unsqueeze(1).expand(-1, n, -1) * torch.ones(n, n, dtype=torch.long).tril()
    before = before[chosen]
    pad = torch.zeros(wanted.size(0), 1, dtype=torch.long)
    return torch.cat([pad, before.masked_fill(before == wanted[:, None], 0)], dim=1)


def next_item_loss(
    model: SASRec,
    inputs: Tensor,
    targets: Tensor,
    config: TrainConfig,
    unseen: Tensor | None = None,
) -> Tensor:
    """Cross-entropy of each next item against every item (padding, `unseen` items and,
    optionally, the items before it in the window excluded)."""
    table = model.item_table()
    chosen = targets > 0
    states = model.encode(inputs, table)[chosen]
    wanted = targets[chosen]
    if config.mask_history:
        banned = banned_before(inputs, chosen, wanted)
    else:
        banned = torch.zeros(wanted.size(0), 1, dtype=torch.long)
    return cross_entropy(
        states,
        table,
        wanted,
        banned,
        unseen=unseen,
        smoothing=config.label_smoothing,
        bf16=config.bf16,
    )


def user_states(model: SASRec, inputs: IntArray, *, batch: int = 256) -> Tensor:
    """The model's vector of each left-padded input row, encoded in batches of similar
    length with the all-padding columns cut off (the same numbers, far less work)."""
    lengths = (inputs > 0).sum(axis=1)
    order = np.argsort(lengths, kind="stable")
    states = torch.empty(inputs.shape[0], model.config.hidden)
    model.eval()
    with torch.no_grad():
        table = model.item_table()
        for lo in range(0, order.size, batch):
            rows = order[lo : lo + batch]
            width = max(int(lengths[rows].max()), 1)
            part = torch.from_numpy(inputs[rows, -width:])
            states[torch.from_numpy(rows)] = model.last_state(part, table)
    return states


def model_scorer(model: SASRec) -> Scorer:
    """Scores every item for the users of a stage from their last `max_len` items."""

    def score(stage: Stage, start: int, stop: int) -> np.ndarray:
        states = user_states(model, stage.inputs[start:stop])
        with torch.no_grad():
            found = states @ model.item_table().T
        return found.numpy()

    return score


def validate(model: SASRec, stage: Stage) -> dict[str, float]:
    """Metrics of the model on a stage."""
    return metrics_of(rank_stage(model_scorer(model), stage).ranks)


def _schedule(config: TrainConfig, total: int) -> Callable[[int], float]:
    warm = max(1, int(config.warmup * total))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        progress = min(1.0, (step - warm) / max(1, total - warm))
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return factor


def _optimizer(model: SASRec, config: TrainConfig) -> torch.optim.Optimizer:
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "norm" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "norm" not in n)]
    groups = [
        {"params": decay, "weight_decay": config.weight_decay},
        {"params": rest, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=config.lr, betas=(0.9, 0.98))


@dataclass
class _Run:
    """Mutable training state, saved whole in a checkpoint."""

    model: SASRec
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LambdaLR
    epoch: int = 0
    best_epoch: int = 0
    best_score: float = -1.0
    best_state: dict[str, Any] = field(default_factory=dict)
    history: list[EpochRecord] = field(default_factory=list)

    def state(self, fingerprint: str) -> dict[str, Any]:
        return {
            "fingerprint": fingerprint,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "epoch": self.epoch,
            "best_epoch": self.best_epoch,
            "best_score": self.best_score,
            "best_state": self.best_state,
            "history": [r.__dict__ for r in self.history],
        }

    def restore(self, saved: dict[str, Any]) -> None:
        self.model.load_state_dict(saved["model"])
        self.optimizer.load_state_dict(saved["optimizer"])
        self.scheduler.load_state_dict(saved["scheduler"])
        self.epoch = int(saved["epoch"])
        self.best_epoch = int(saved["best_epoch"])
        self.best_score = float(saved["best_score"])
        self.best_state = saved["best_state"]
        self.history = [EpochRecord(**r) for r in saved["history"]]


def _unseen(examples: Examples, n_items: int) -> Tensor:
    seen = np.zeros(n_items + 1, dtype=bool)
    for targets in examples.targets:
        seen[targets] = True
    for inputs in examples.inputs:
        seen[inputs] = True
    return torch.from_numpy(np.flatnonzero(~seen[1:]) + 1)


def _train_epoch(
    run: _Run, examples: Examples, config: TrainConfig, on_step: StepCallback | None
) -> float:
    model = run.model
    model.train()
    torch.manual_seed(config.seed * 100_003 + run.epoch)
    batches = epoch_batches(examples, config.batch_size, seed=config.seed, epoch=run.epoch)
    rng = np.random.default_rng([config.seed, run.epoch, 1])
    unseen = _unseen(examples, model.n_items) if config.skip_unseen else None
    total, weight = 0.0, 0
    for step, index in enumerate(batches, start=1):
        arrays = collate(examples, index, reorder=config.reorder, rng=rng)
        inputs, targets = (torch.from_numpy(a) for a in arrays)
        loss = next_item_loss(model, inputs, targets, config, unseen)
        run.optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        run.optimizer.step()
        run.scheduler.step()
        count = int((targets > 0).sum())
        total += float(loss.detach()) * count
        weight += count
        if on_step is not None:
            on_step(run.epoch + 1, step, len(batches), total / max(weight, 1))
    return total / max(weight, 1)


def train_sequential(
    *,
    data: SequenceData,
    train: Sequence[IntArray],
    valid: Stage | None,
    model_config: ModelConfig,
    train_config: TrainConfig,
    fingerprint: str,
    checkpoint: Path | None = None,
    on_step: StepCallback | None = None,
    on_epoch: Callable[[EpochRecord], None] | None = None,
) -> TrainResult:
    """Train on the training sequences; with a validation stage, stop early and keep the
    epoch with the best validation NDCG@20, else train every epoch and keep the last."""
    threads = torch_threads(train_config)
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(train_config.seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    examples = examples_of(train, model_config.max_len)
    model = build_model(data, model_config)
    optimizer = _optimizer(model, train_config)
    steps = math.ceil(len(examples) / train_config.batch_size) * train_config.epochs
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(train_config, steps))
    run = _Run(model=model, optimizer=optimizer, scheduler=scheduler)
    saved = read_checkpoint(checkpoint, fingerprint) if checkpoint is not None else None
    if saved is not None:
        run.restore(saved)
    resumed_from = run.epoch
    while (stopped := _stop_reason(run, train_config, started)) is None:
        record = _run_epoch(run, examples, valid, train_config, on_step)
        if checkpoint is not None:
            write_checkpoint(checkpoint, run.state(fingerprint))
        if on_epoch is not None:
            on_epoch(record)
    if run.best_state:
        model.load_state_dict(run.best_state)
    model.eval()
    return TrainResult(
        model=model,
        history=run.history,
        best_epoch=run.best_epoch,
        stopped=stopped,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        resumed_from=resumed_from,
    )


def refit(
    model: SASRec,
    sequences: Sequence[IntArray],
    config: TrainConfig,
    *,
    on_step: StepCallback | None = None,
) -> list[float]:
    """Continue training the selected model on longer sequences (each user's validation
    target appended) for `refit_epochs` epochs, at `refit_lr` times the peak learning rate
    decaying linearly to zero; returns each epoch's mean loss."""
    if config.refit_epochs == 0:
        return []
    examples = examples_of(sequences, model.config.max_len)
    optimizer = _optimizer(model, config.model_copy(update={"lr": config.lr * config.refit_lr}))
    steps = math.ceil(len(examples) / config.batch_size) * config.refit_epochs
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 - step / steps)
    run = _Run(model=model, optimizer=optimizer, scheduler=scheduler, epoch=REFIT_EPOCHS_FROM)
    losses = []
    for _ in range(config.refit_epochs):
        losses.append(_train_epoch(run, examples, config, on_step))
        run.epoch += 1
    model.eval()
    return losses


def _run_epoch(
    run: _Run,
    examples: Examples,
    valid: Stage | None,
    config: TrainConfig,
    on_step: StepCallback | None,
) -> EpochRecord:
    """Train one epoch, validate, and keep the state if it is the best so far."""
    tick = time.perf_counter()
    loss = _train_epoch(run, examples, config, on_step)
    scores = {} if valid is None else validate(run.model, valid)
    run.epoch += 1
    record = EpochRecord(run.epoch, loss, scores, time.perf_counter() - tick)
    run.history.append(record)
    if valid is None or scores[SELECT_ON] > run.best_score:
        run.best_score, run.best_epoch = scores.get(SELECT_ON, 0.0), run.epoch
        run.best_state = copy.deepcopy(run.model.state_dict())
    return record


def _stop_reason(run: _Run, config: TrainConfig, started: float) -> str | None:
    """Why training stops before the next epoch, or None to go on."""
    if run.epoch >= config.epochs:
        return "epochs"
    if run.best_epoch and run.epoch - run.best_epoch >= config.patience:
        return "patience"
    if config.max_minutes is not None and time.perf_counter() - started >= config.max_minutes * 60:
        return "time"
    return None

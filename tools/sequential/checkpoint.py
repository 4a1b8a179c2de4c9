"""Training checkpoints: the whole training state after each epoch, written atomically and
read back only for the same data and hyper-parameters (a fingerprint of both)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import torch

from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.data import SequenceData
from tools.sequential.exceptions import CheckpointError

# Settings that change how long or where training runs, not what it computes.
_NOT_FINGERPRINTED = {"threads", "max_minutes"}


def data_digest(data: SequenceData) -> str:
    """A hash of the users, items, sequences and attributes."""
    hasher = hashlib.sha256()
    hasher.update("\n".join(data.users).encode())
    hasher.update(b"\0" + "\n".join(data.items).encode())
    for seq in data.sequences:
        hasher.update(seq.tobytes() + b"|")
    hasher.update(data.attributes.tobytes())
    return hasher.hexdigest()[:16]


def fingerprint(data: SequenceData, model: ModelConfig, train: TrainConfig) -> str:
    """What a checkpoint must match to be resumed."""
    settings = {
        "data": data_digest(data),
        "model": model.model_dump(mode="json"),
        "train": train.model_dump(mode="json", exclude=_NOT_FINGERPRINTED),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def write_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Save the state; a crash mid-write leaves the previous checkpoint intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    torch.save(state, partial)
    os.replace(partial, path)


def read_checkpoint(path: Path, expected: str) -> dict[str, Any] | None:
    """The saved state, None if there is none; refused if it is for other data or settings."""
    if not path.exists():
        return None
    try:
        state: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many kinds for a damaged file
        raise CheckpointError(path, f"unreadable checkpoint: {exc}") from exc
    if state.get("fingerprint") != expected:
        raise CheckpointError(
            path, "checkpoint is for other data or hyper-parameters (delete it to start over)"
        )
    return state

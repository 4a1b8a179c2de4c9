"""The model learns a known next item, trains deterministically and resumes exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.tools.sequential.synthetic import chain_data
from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.exceptions import CheckpointError
from tools.sequential.protocol import leave_one_out, metrics_of, rank_stage
from tools.sequential.train import EpochRecord, TrainResult, model_scorer, train_sequential

SMALL = ModelConfig(hidden=16, layers=1, heads=1, dropout=0.1, attention_dropout=0.0, max_len=8)
FAST = TrainConfig(epochs=40, batch_size=16, lr=1e-2, bf16=False, threads=1, patience=40)


def _train(
    *, epochs: int = 40, checkpoint: Path | None = None, stop_after: int | None = None, **kw: bool
) -> TrainResult:
    data = chain_data()
    split = leave_one_out(data, max_len=SMALL.max_len)

    def on_epoch(record: EpochRecord) -> None:
        if stop_after is not None and record.epoch == stop_after:
            raise KeyboardInterrupt

    return train_sequential(
        data=data,
        train=split.train,
        valid=split.valid,
        model_config=SMALL.model_copy(update=kw),
        train_config=FAST.model_copy(update={"epochs": epochs}),
        fingerprint=f"chain-{epochs}",
        checkpoint=checkpoint,
        on_epoch=on_epoch,
    )


def _test_scores(result: TrainResult) -> torch.Tensor:
    split = leave_one_out(chain_data(), max_len=SMALL.max_len)
    return torch.from_numpy(model_scorer(result.model)(split.test, 0, len(split.test)))


def test_the_model_learns_the_next_item_of_a_chain() -> None:
    result = _train()
    split = leave_one_out(chain_data(), max_len=SMALL.max_len)
    test = metrics_of(rank_stage(model_scorer(result.model), split.test).ranks, cutoffs=(1, 5))
    assert test["HR@1"] >= 0.9, test
    assert result.best_epoch >= 1 and result.best_valid["NDCG@20"] > 0.8
    losses = [r.loss for r in result.history]
    assert losses[-1] < losses[0] / 2


def test_without_attributes_it_learns_too() -> None:
    result = _train(attributes=False)
    assert result.model.attributes is None
    assert result.best_valid["HR@5"] >= 0.9


def test_the_same_seed_gives_identical_scores() -> None:
    assert torch.equal(_test_scores(_train(epochs=3)), _test_scores(_train(epochs=3)))


def test_an_interrupted_run_resumes_to_the_same_model(tmp_path: Path) -> None:
    straight = _train(epochs=4)
    checkpoint = tmp_path / "run.pt"
    with pytest.raises(KeyboardInterrupt):
        _train(epochs=4, checkpoint=checkpoint, stop_after=2)
    resumed = _train(epochs=4, checkpoint=checkpoint)
    assert resumed.resumed_from == 2 and len(resumed.history) == 4
    assert [r.valid for r in resumed.history] == [r.valid for r in straight.history]
    assert torch.equal(_test_scores(resumed), _test_scores(straight))


def test_a_checkpoint_of_other_settings_is_refused(tmp_path: Path) -> None:
    checkpoint = tmp_path / "run.pt"
    _train(epochs=1, checkpoint=checkpoint)
    with pytest.raises(CheckpointError, match="other data or hyper-parameters"):
        _train(epochs=2, checkpoint=checkpoint)


def test_all_cores_only_when_idle_openmp_threads_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.sequential.train import torch_threads

    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert torch_threads(TrainConfig()) == 1
    monkeypatch.setenv("OMP_WAIT_POLICY", "passive")
    assert torch_threads(TrainConfig()) == 0
    assert torch_threads(TrainConfig(threads=3)) == 3

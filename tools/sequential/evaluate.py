"""`eval recsys`: train from scratch on a sequence file and evaluate under the published
protocol, beside popularity and item-kNN computed in the same run (and, on Amazon Beauty,
the published rows)."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from tools.sequential.baselines import ItemKNN, Popularity
from tools.sequential.config import ModelConfig, TrainConfig
from tools.sequential.data import SequenceData, load_sequence_data
from tools.sequential.fusion import GRID, fused, search_weight
from tools.sequential.protocol import Ranked, Scorer, Split, leave_one_out, metrics_of, rank_stage
from tools.sequential.published import is_beauty, published_rows

if TYPE_CHECKING:
    from tools.sequential.train import StepCallback, TrainResult

EXPORT_K = 20
PROTOCOL = (
    "leave-one-out: last item is the test target, second-last the validation target; the "
    "model reads at most the last 50 items; every item is ranked with the user's history "
    "(all items before the target) excluded; HR@k and NDCG@k over all users; the epoch and "
    "the weight of item-kNN scores are selected on validation NDCG@20 only, after which the "
    "model may train refit_epochs more on the sequences with the validation item appended "
    "(test items are never trained on); baselines count training interactions only"
)
Notify = Callable[[str], None]


class MethodRow(BaseModel):
    """One method's test metrics (None where a published source gives none)."""

    name: str
    kind: str = Field(description="model, ablation or baseline (this run), or published")
    source: str = ""
    test: dict[str, float | None]
    valid: dict[str, float] = Field(default_factory=dict)


class CurvePoint(BaseModel):
    """One training epoch."""

    epoch: int
    loss: float
    valid: dict[str, float]
    seconds: float


class RecsysEvalResult(BaseModel):
    """Everything `concierge eval recsys` reports."""

    sequences: str
    attributes: str | None
    users: int
    items: int
    interactions: int
    attribute_ids: int
    skipped_users: int = Field(description="Users with fewer than 3 items, left out")
    protocol: str = PROTOCOL
    architecture: dict[str, object] = Field(description="The model's hyper-parameters")
    training: dict[str, object] = Field(description="The training hyper-parameters")
    methods: list[MethodRow]
    published: list[MethodRow]
    knn_weight: float = Field(description="Weight of item-kNN added to the model, on validation")
    best_epoch: int
    epochs_run: int
    stopped: str
    resumed_from_epoch: int
    curve: list[CurvePoint]
    train_seconds: float
    train_cpu_seconds: float
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    export: str | None = None

    def row(self, name: str) -> MethodRow:
        """The row of a method of this run."""
        return next(m for m in self.methods if m.name == name)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _baselines(data: SequenceData, split: Split) -> list[MethodRow]:
    rows = []
    for scorer in (Popularity(split.train, data.n_items), ItemKNN(split.train, data.n_items)):
        rows.append(_row(scorer.name, "baseline", scorer, split))
    return rows


def _row(name: str, kind: str, scorer: Scorer, split: Split) -> MethodRow:
    valid = metrics_of(rank_stage(scorer, split.valid).ranks)
    test = metrics_of(rank_stage(scorer, split.test).ranks)
    return MethodRow(name=name, kind=kind, test=dict(test), valid=valid)


@dataclass(frozen=True)
class _Final:
    """The model rows (final first, then ablations), the final test ranking and the weight."""

    rows: list[MethodRow]
    ranked: Ranked
    knn_weight: float


def _final(
    data: SequenceData,
    split: Split,
    trained: TrainResult,
    config: TrainConfig,
    *,
    top: int,
    say: Notify,
    on_step: StepCallback | None,
) -> _Final:
    """Fuse item-kNN (weight chosen on validation), refit, and rank the test targets."""
    from tools.sequential.train import model_scorer, refit

    model = trained.model
    name = "sasrec-ce" + ("+attributes" if model.attributes is not None else "")
    knn = ItemKNN(split.train, data.n_items)
    say("choosing the item-kNN weight on validation")
    weight, table = search_weight(
        model_scorer(model), knn, split.valid, GRID if config.fuse_knn else (0.0,)
    )
    plain = _test_row(name, model_scorer(model), split, trained.best_valid)
    rows = [plain]
    if weight:
        name += f"+item-knn({weight:g})"
        rows.insert(
            0, _test_row(name, fused(model_scorer(model), knn, weight), split, table[weight])
        )
    if config.refit_epochs:
        say(f"refitting {config.refit_epochs} epoch(s) with the validation targets")
        longer = [s[:-1] for s in data.sequences]
        refit(model, longer, config, on_step=on_step)
        knn = ItemKNN(longer, data.n_items)
        name += f"+refit({config.refit_epochs})"
        rows.insert(0, MethodRow(name=name, kind="model", test={}))
    say("ranking the test targets")
    ranked = rank_stage(fused(model_scorer(model), knn, weight), split.test, top=top)
    rows[0] = rows[0].model_copy(update={"kind": "model", "test": dict(metrics_of(ranked.ranks))})
    for row in rows[1:]:
        row.kind = "ablation"
    return _Final(rows=rows, ranked=ranked, knn_weight=weight)


def _test_row(name: str, scorer: Scorer, split: Split, valid: dict[str, float]) -> MethodRow:
    test = metrics_of(rank_stage(scorer, split.test).ranks)
    return MethodRow(name=name, kind="ablation", test=dict(test), valid=valid)


def run_recsys_eval(
    *,
    sequences: Path,
    attributes: Path | None = None,
    model_config: ModelConfig = ModelConfig(),
    train_config: TrainConfig = TrainConfig(),
    checkpoint_dir: Path | None = None,
    resume: bool = False,
    export: Path | None = None,
    notify: Notify | None = None,
    on_step: StepCallback | None = None,
) -> RecsysEvalResult:
    """Train the sequential model and evaluate it, its ablations and the baselines.

    With a `checkpoint_dir` the training state is saved there after every epoch, in a file
    named by the data and hyper-parameters; `resume` continues from it, otherwise training
    starts from scratch.
    """
    from tools.sequential.checkpoint import fingerprint
    from tools.sequential.train import train_sequential

    started, cpu_started = time.perf_counter(), time.process_time()
    say = notify or (lambda _: None)
    say("reading sequences")
    data = load_sequence_data(sequences, attributes)
    split = leave_one_out(data, max_len=model_config.max_len)
    say("baselines")
    baselines = _baselines(data, split)
    key = fingerprint(data, model_config, train_config)
    checkpoint = None
    if checkpoint_dir is not None:
        checkpoint = checkpoint_dir / f"{sequences.stem}-{key}.pt"
        if not resume:
            checkpoint.unlink(missing_ok=True)
    say("training")
    trained = train_sequential(
        data=data,
        train=split.train,
        valid=split.valid,
        model_config=model_config,
        train_config=train_config,
        fingerprint=key,
        checkpoint=checkpoint,
        on_step=on_step,
        on_epoch=lambda r: say(f"epoch {r.epoch}: valid NDCG@20 {r.valid['NDCG@20']:.4f}"),
    )
    top = EXPORT_K if export is not None else 0
    final = _final(data, split, trained, train_config, top=top, say=say, on_step=on_step)
    if export is not None and final.ranked.top is not None:
        write_export(export, data, final.ranked.top)
    return RecsysEvalResult(
        sequences=str(sequences),
        attributes=None if attributes is None else str(attributes),
        users=len(data.users),
        items=data.n_items,
        interactions=data.n_interactions,
        attribute_ids=data.n_attributes,
        skipped_users=data.skipped_users,
        architecture=model_config.model_dump(mode="json"),
        training=train_config.model_dump(mode="json"),
        methods=[*final.rows, *baselines],
        published=_published(data),
        knn_weight=final.knn_weight,
        best_epoch=trained.best_epoch,
        epochs_run=len(trained.history),
        stopped=trained.stopped,
        resumed_from_epoch=trained.resumed_from,
        curve=[CurvePoint(**r.__dict__) for r in trained.history],
        train_seconds=trained.seconds,
        train_cpu_seconds=trained.cpu_seconds,
        wall_seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        peak_rss_mb=peak_rss_mb(),
        export=None if export is None else str(export),
    )


def _published(data: SequenceData) -> list[MethodRow]:
    if not is_beauty(data):
        return []
    return [
        MethodRow(name=name, kind="published", source=source, test=metrics)
        for name, source, metrics in published_rows()
    ]


def write_export(path: Path, data: SequenceData, top: object) -> None:
    """Every user's top-k test ranking as JSON Lines `{"user": …, "items": [...]}`."""
    import numpy as np

    rows = np.asarray(top)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for user, ranked in zip(data.users, rows, strict=True):
            items = [data.item_id(int(p)) for p in ranked if p > 0]
            out.write(json.dumps({"user": user, "items": items}, ensure_ascii=False) + "\n")
    partial.replace(path)

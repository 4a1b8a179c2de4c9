"""`concierge eval recsys`: the sequential model under the published next-item protocol."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state
from tools.sequential.config import ModelConfig, TrainConfig

if TYPE_CHECKING:
    from tools.sequential.coldstart import ColdStartResult
    from tools.sequential.evaluate import RecsysEvalResult

KEYS = ("HR@5", "NDCG@5", "HR@10", "NDCG@10", "HR@20", "NDCG@20")
MODEL, TRAINING = ModelConfig(), TrainConfig()
CHECKPOINTS = Path("checkpoints") / "recsys"


def passive_openmp() -> None:
    """Let idle OpenMP threads sleep instead of spinning (before torch is first imported):
    on a shared machine spinning threads fight for the cores, and training runs several
    times slower than on one thread."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def register(eval_app: typer.Typer) -> None:
    """Add `recsys` and `coldstart` to the `eval` command group."""
    eval_app.command("recsys")(recsys)
    eval_app.command("coldstart")(coldstart)


SequencesOpt = Annotated[
    Path,
    typer.Option("--sequences", help="`user item item …` per line, oldest first.", dir_okay=False),
]
AttributesOpt = Annotated[
    Path | None,
    typer.Option(help="JSON object: item id -> list of attribute ids.", dir_okay=False),
]


@handle_errors
def recsys(
    sequences: SequencesOpt,
    attributes: AttributesOpt = None,
    epochs: Annotated[int, typer.Option(min=1, help="Most training epochs.")] = TRAINING.epochs,
    hidden: Annotated[int, typer.Option(min=8, help="Embedding and hidden size.")] = MODEL.hidden,
    layers: Annotated[int, typer.Option(min=1, help="Transformer blocks.")] = MODEL.layers,
    dropout: Annotated[
        float, typer.Option(min=0.0, max=0.95, help="Hidden dropout.")
    ] = MODEL.dropout,
    lr: Annotated[float, typer.Option(min=1e-6, help="Peak learning rate.")] = TRAINING.lr,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Sequences per step.")
    ] = TRAINING.batch_size,
    fuse_knn: Annotated[
        bool, typer.Option(help="Add item-kNN scores with a weight chosen on validation.")
    ] = TRAINING.fuse_knn,
    refit_epochs: Annotated[
        int,
        typer.Option(min=0, help="Epochs more with the validation targets, after selection."),
    ] = TRAINING.refit_epochs,
    seed: Annotated[int, typer.Option(help="Seed of initialisation, dropout and batches.")] = 0,
    threads: Annotated[
        int, typer.Option(min=0, help="Torch threads (0: every core; one if OpenMP spins).")
    ] = 0,
    max_minutes: Annotated[
        float | None, typer.Option(help="Stop training after the epoch that crosses this.")
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Resume from this data's checkpoint if one is there.")
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option(help="Write every user's top-20 test ranking here (JSON Lines)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write the HTML report here (default: beside --out).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Train from scratch and evaluate next-item recommendation under the published protocol.

    Leave-one-out (last item test, second-last validation), full ranking over all items with
    each user's history excluded, HR and NDCG at 5, 10 and 20 over all users; the epoch is
    chosen on validation NDCG@20. Popularity and item-kNN are computed in the same run, and on
    Amazon Beauty the published rows are shown beside them. A checkpoint is written after
    every epoch under <data dir>/checkpoints/recsys (--resume continues from it). Exits with
    status 1 unless the model beats both baselines on test NDCG@10.
    """
    passive_openmp()
    model = ModelConfig(hidden=hidden, layers=layers, dropout=dropout)
    training = TrainConfig(
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        fuse_knn=fuse_knn,
        refit_epochs=refit_epochs,
        seed=seed,
        threads=threads,
        max_minutes=max_minutes,
    )
    result = _run(sequences, attributes, model, training, resume=resume, export=export)
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    report = report or (None if out is None else out.with_suffix(".html"))
    if report is not None:
        from tools.sequential.report import write_report

        write_report(result, report)
    if not as_json:
        _show(result, report)
    mine = result.methods[0].test["NDCG@10"] or 0.0
    baselines = [r for r in result.methods if r.kind == "baseline"]
    if any(mine <= (r.test["NDCG@10"] or 0.0) for r in baselines):
        console.print("[bold red]check failed:[/] the model does not beat the baselines")
        raise typer.Exit(code=1)


def _run(
    sequences: Path,
    attributes: Path | None,
    model: ModelConfig,
    training: TrainConfig,
    *,
    resume: bool,
    export: Path | None,
) -> RecsysEvalResult:
    """The evaluation with a progress bar (steps of the current epoch) on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from tools.sequential.evaluate import run_recsys_eval

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("preparing", total=None)

        def on_step(epoch: int, step: int, steps: int, loss: float) -> None:
            description = f"epoch {epoch}/{training.epochs} loss {loss:.3f}"
            bar.update(task, description=description, completed=step, total=steps)

        return run_recsys_eval(
            sequences=sequences,
            attributes=attributes,
            model_config=model,
            train_config=training,
            checkpoint_dir=state.settings.data_dir / CHECKPOINTS,
            resume=resume,
            export=export,
            notify=lambda text: bar.console.log(text),
            on_step=on_step,
        )


def _show(result: RecsysEvalResult, report: Path | None) -> None:
    from rich.table import Table

    console.print(
        f"{result.users:,} users, {result.items:,} items, {result.interactions:,} interactions"
        f" ({result.skipped_users} users with fewer than 3 items left out); best epoch "
        f"{result.best_epoch} of {result.epochs_run} ({result.stopped})"
    )
    table = Table("method", "kind", *KEYS, "source")
    for row in [*result.methods, *result.published]:
        cells = ["—" if (v := row.test.get(k)) is None else f"{v:.4f}" for k in KEYS]
        table.add_row(row.name, row.kind, *cells, row.source)
    console.print(table)
    console.print(
        f"training {result.train_seconds:.0f} s wall, {result.train_cpu_seconds:.0f} s CPU; "
        f"whole run {result.wall_seconds:.0f} s wall, {result.cpu_seconds:.0f} s CPU; "
        f"peak memory {result.peak_rss_mb:.0f} MiB"
    )
    for path, what in ((report, "report"), (result.export, "export")):
        if path is not None:
            console.print(f"{what}: {path}")


@handle_errors
def coldstart(
    item_share: Annotated[
        float, typer.Option(min=0.01, max=0.9, help="Share of items held out of training.")
    ] = 0.1,
    shopper_share: Annotated[
        float, typer.Option(min=0.01, max=0.9, help="Share of shoppers held out of training.")
    ] = 0.1,
    seed: Annotated[int, typer.Option(help="Seed of the held-out items and shoppers.")] = 0,
    epochs: Annotated[
        int | None, typer.Option(min=1, help="Training epochs (default: the model's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """New items and new shoppers on the store, beside the warm case.

    Items and shoppers held out of training entirely; every shopper's last purchasing
    session is the test. The sequential model (items from their attributes when new) and
    popularity are fitted on the rest and rank the whole catalogue.
    """
    from sqlmodel import Session

    from tools.exceptions import StoreError
    from tools.recommend import training_data
    from tools.sequential.coldstart import run_cold_start
    from tools.sequential.recommender import STORE_TRAINING, SequentialRecommender
    from tools.store import has_schema

    passive_openmp()
    engine = state.engine()
    try:
        if not has_schema(engine):
            url = state.settings.resolved_database_url
            raise StoreError(f"no store at {url}: run `concierge init` first")
        with Session(engine) as session:
            data = training_data(session)
    finally:
        engine.dispose()
    changes = {} if epochs is None else {"epochs": epochs}
    model = SequentialRecommender(training=STORE_TRAINING.model_copy(update=changes))
    with console.status("cold start…") as status:
        result = run_cold_start(
            data,
            item_share=item_share,
            shopper_share=shopper_share,
            seed=seed,
            sequential=model,
            progress=lambda text: status.update(f"{text}…"),
        )
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _show_cold(result)


def _show_cold(result: ColdStartResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.new_items:,} items and {result.new_shoppers:,} shoppers held out of "
        f"training ({result.train_events:,} training events)"
    )
    keys = ("NDCG@10", "HR@10", "NDCG@20", "HR@20")
    table = Table("method", "group", "cases", *keys)
    for name, groups in result.methods.items():
        for group, scores in groups.items():
            cells = [f"{scores.metrics[k]:.4f}" for k in keys]
            table.add_row(name, group, str(scores.cases), *cells)
    console.print(table)

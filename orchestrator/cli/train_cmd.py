"""`concierge train`: train the learned models (torch is imported only when a command runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

train_app = typer.Typer(help="Train the learned recommendation models.", no_args_is_help=True)
SEQUENTIAL_DIR = Path("models") / "sequential"
EMBEDDINGS_DIR = Path("models") / "embeddings"


def register(app: typer.Typer) -> None:
    """Add the `train` command group to the CLI."""
    app.add_typer(train_app, name="train")


@train_app.command("sequential")
@handle_errors
def sequential(
    epochs: Annotated[
        int | None, typer.Option(min=1, help="Training epochs (default: the model's).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of initialisation, dropout and batches.")] = 0,
    serve: Annotated[
        bool,
        typer.Option(
            help="Also export item and shopper vectors to <data dir>/models/embeddings, "
            "which the recommendation engine serves through faiss."
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Train the sequential next-item model on the store's shopper events.

    Saves it under <data dir>/models/sequential; with --serve (the default) its item vectors
    and every shopper's current vector replace the engine's learned embeddings.
    """
    result = _train_on_store(epochs=epochs, seed=seed, serve=serve)
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        console.print(
            f"trained on {result['shoppers']:,} shoppers' sequences over {result['skus']:,} "
            f"skus in {result['seconds']:.1f} s; model: {result['model_dir']}"
            + (f"; served vectors: {result['embeddings_dir']}" if serve else "")
        )


def _train_on_store(*, epochs: int | None, seed: int, serve: bool) -> dict[str, object]:
    import time

    from sqlmodel import Session

    from orchestrator.cli.eval_recsys_cmd import passive_openmp
    from tools.exceptions import StoreError
    from tools.recommend import training_data
    from tools.sequential.recommender import STORE_TRAINING, SequentialRecommender
    from tools.store import has_schema

    passive_openmp()
    settings = state.settings
    engine = state.engine()
    try:
        if not has_schema(engine):
            url = settings.resolved_database_url
            raise StoreError(f"no store at {url}: run `concierge init` first")
        with Session(engine) as session:
            data = training_data(session)
    finally:
        engine.dispose()
    changes: dict[str, object] = {"seed": seed}
    if epochs is not None:
        changes["epochs"] = epochs
    recommender = SequentialRecommender(training=STORE_TRAINING.model_copy(update=changes))
    started = time.perf_counter()
    with console.status("training the sequential model…"):
        recommender.fit(data)
    seconds = time.perf_counter() - started
    model_dir = settings.data_dir / SEQUENTIAL_DIR
    recommender.save(model_dir)
    result: dict[str, object] = {
        "shoppers": len(data.by_shopper()),
        "skus": len(data.catalog),
        "seconds": seconds,
        "model_dir": str(model_dir),
        "embeddings_dir": None,
    }
    if serve:
        embeddings_dir = settings.data_dir / EMBEDDINGS_DIR
        recommender.embedding_export(data).save(embeddings_dir)
        result["embeddings_dir"] = str(embeddings_dir)
    return result

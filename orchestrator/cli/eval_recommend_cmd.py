"""`concierge eval recommend`: the ranker against popularity on the store's held-out purchases."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

if TYPE_CHECKING:
    from evals.recommend import RecommendEvalResult


def register(eval_app: typer.Typer) -> None:
    """Add `recommend` to the `eval` command group."""
    eval_app.command("recommend")(recommend)


@handle_errors
def recommend(
    max_shoppers: Annotated[
        int | None, typer.Option(min=1, help="Evaluate a seeded sample of this many shoppers.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the shopper sample.")] = 0,
    text: Annotated[
        bool,
        typer.Option(
            "--text/--no-text",
            help="Embed product text with all-MiniLM-L6-v2 (cached in the data directory); "
            "--no-text uses hashed attributes only.",
        ),
    ] = True,
    min_lift: Annotated[
        float, typer.Option(help="Required relative NDCG@10 gain of the ranker over popularity.")
    ] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Hold out every shopper's last purchase, fit on the rest, score each method's top 20.

    Reports NDCG and HR at 5, 10 and 20 for popularity, popularity by department,
    co-occurrence, content, learned embeddings and the full ranker. Exits with status 1 unless
    the ranker beats popularity on NDCG@10 by at least --min-lift (relative).
    """
    result = _run(max_shoppers=max_shoppers, seed=seed, text=text, min_lift=min_lift, quiet=as_json)
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _show(result)
    if not result.ranker_beats_popularity:
        failure = f"the ranker's NDCG@10 is not {min_lift:.0%} above popularity's"
        console.print(f"[bold red]check failed:[/] {failure}")
        raise typer.Exit(code=1)


def _run(
    *, max_shoppers: int | None, seed: int, text: bool, min_lift: float, quiet: bool
) -> RecommendEvalResult:
    """The eval on the configured store, with a progress bar on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from evals.recommend import run_recommend_eval
    from tools.exceptions import StoreError
    from tools.recommend import text_encoder
    from tools.store import has_schema

    settings = state.settings
    engine = state.engine()
    try:
        if not has_schema(engine):
            url = settings.resolved_database_url
            raise StoreError(f"no store at {url}: run `concierge init` first")
        encoder = text_encoder(settings.data_dir) if text else None
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=quiet) as bar:
            task = bar.add_task("shoppers", total=None)
            return run_recommend_eval(
                engine=engine,
                encoder=encoder,
                max_shoppers=max_shoppers,
                seed=seed,
                required_lift=min_lift,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        engine.dispose()


def _show(result: RecommendEvalResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.test_shoppers:,} shoppers' last purchases ({result.targets:,} items) held out of "
        f"{result.train_events:,} training events over {result.skus:,} skus; "
        f"text: {result.text_encoder}"
    )
    table = Table("method", "NDCG@5", "NDCG@10", "NDCG@20", "HR@5", "HR@10", "HR@20")
    for method in result.methods:
        table.add_row(
            method.name,
            *(f"{method.ndcg[k]:.4f}" for k in ("5", "10", "20")),
            *(f"{method.hit_rate[k]:.4f}" for k in ("5", "10", "20")),
        )
    console.print(table)
    verdict = "[green]passes[/]" if result.ranker_beats_popularity else "[red]fails[/]"
    console.print(
        f"ranker vs popularity on NDCG@10: {result.lift_ndcg_at_10:+.1%} "
        f"(required {result.required_lift:+.0%}) — {verdict}"
    )

"""`concierge init`: build the deterministic demo store and its hidden truth file."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

if TYPE_CHECKING:
    from rich.progress import Progress

    from tools.demo_store import BuildResult, DemoSpec

DEFAULT_SEED = 7
DEFAULT_SKUS = 5_000
DEFAULT_SHOPPERS = 2_000


def register(app: typer.Typer) -> None:
    """Add the init command to the CLI."""
    app.command("init")(init)


@handle_errors
def init(
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed builds the same store.")
    ] = DEFAULT_SEED,
    skus: Annotated[int, typer.Option(help="Number of SKUs (at least 100).")] = DEFAULT_SKUS,
    shoppers: Annotated[
        int, typer.Option(help="Number of shoppers (at least 10).")
    ] = DEFAULT_SHOPPERS,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Reference date (UTC) the generated history counts back from "
            "(default: the generator's fixed date, 2026-11-01).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing store.")] = False,
    digest: Annotated[
        bool, typer.Option(help="Compute the store's content digest after building.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Build the demo store: catalog, stock, shoppers and their histories, deterministic by seed."""
    from tools.demo_store import DemoSpec
    from tools.demo_store.spec import DEFAULT_REFERENCE_TIME

    reference = as_of.replace(tzinfo=UTC) if as_of is not None else DEFAULT_REFERENCE_TIME
    spec = DemoSpec(seed=seed, skus=skus, shoppers=shoppers, reference_time=reference)
    started = time.perf_counter()
    result = _build(spec, force=force, quiet=as_json)
    summary = _summary(result.url, digest=digest)
    summary.update(
        {
            "seed": spec.seed,
            "skus": spec.skus,
            "shoppers": spec.shoppers,
            "reference_time": spec.as_of.isoformat(),
            "catalog_version": result.catalog_version,
            "truth_file": str(result.truth_path),
            "truth_sha256": result.truth_sha256,
            "build_seconds": round(result.seconds, 2),
            "seconds": round(time.perf_counter() - started, 2),
        }
    )
    emit_json(summary, as_json=as_json, out=out)
    if not as_json:
        _print_summary(summary)


def _build(spec: DemoSpec, *, force: bool, quiet: bool) -> BuildResult:
    """Build the store of the current settings, with a progress bar per stage."""
    from tools.demo_store import build_demo_store, ensure_buildable
    from tools.demo_store.truth import TRUTH_FILE_NAME

    settings = state.settings
    url = settings.resolved_database_url
    ensure_buildable(url, force=force)
    with _progress(quiet=quiet) as bar:
        tasks = {
            "catalog": bar.add_task("catalog", total=spec.skus),
            "shoppers": bar.add_task("shoppers", total=spec.shoppers),
        }

        def report(stage: str, done: int, total: int) -> None:
            bar.update(tasks[stage], completed=done, total=total)

        return build_demo_store(
            url=url,
            truth_path=settings.data_dir / TRUTH_FILE_NAME,
            spec=spec,
            force=force,
            progress=report,
        )


def _progress(*, quiet: bool) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )


def _summary(url: str, *, digest: bool) -> dict[str, Any]:
    """Row counts and (optionally) the content digest of the store just built."""
    from tools.store import make_engine
    from tools.store.digest import store_digest
    from tools.store.stats import table_counts

    engine = make_engine(url)
    try:
        counts = table_counts(engine)
        digests = store_digest(engine) if digest else {}
    finally:
        engine.dispose()
    summary: dict[str, Any] = {"database": url, "tables": counts}
    if digests:
        combined = hashlib.sha256()
        for name, value in digests.items():
            combined.update(f"{name}:{value}\n".encode())
        summary["digest"] = combined.hexdigest()
        summary["table_digests"] = digests
    return summary


def _print_summary(summary: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table("table", "rows", title=f"demo store built in {summary['seconds']:.1f} s")
    for name, rows in summary["tables"].items():
        if rows:
            table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(f"database: {summary['database']}", highlight=False, soft_wrap=True)
    console.print(f"catalog version: {summary['catalog_version']}", highlight=False)
    if "digest" in summary:
        console.print(f"digest: {summary['digest']}", highlight=False)
    console.print(f"hidden truth (evaluation only): {summary['truth_file']}", highlight=False)

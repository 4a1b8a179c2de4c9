"""`concierge import ...`: load a τ-bench store, a catalog file or interaction sequences.

Each import is one transaction: bad input stops it with the file, line and field at fault, and
nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.importers.report import ImportReport, Progress

import_app = typer.Typer(
    help="Import data into the store; bad input writes nothing.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")]
OutFile = Annotated[Path | None, typer.Option(help="Also write the JSON result to this file.")]
Replace = Annotated[
    bool,
    typer.Option(
        "--replace", help="Update rows whose keys are already stored instead of refusing."
    ),
]


def register(app: typer.Typer) -> None:
    """Add the import commands to the CLI."""
    app.add_typer(import_app, name="import")


@import_app.command("taubench")
@handle_errors
def taubench(
    directory: Annotated[
        Path, typer.Argument(help="Folder with products.json, users.json and orders.json.")
    ],
    default_stock: Annotated[
        int,
        typer.Option(min=1, help="Units on hand for an available variant (τ-bench has no counts)."),
    ] = 10,
    replace: Replace = False,
    as_json: JsonFlag = False,
    out: OutFile = None,
) -> None:
    """Import a τ-bench retail store: variants, stock, shoppers and orders.

    Every variant becomes a product. Available variants get --default-stock units in the
    online warehouse, unavailable ones none. Unit costs stay unknown; no consent is recorded.
    """
    from tools.importers.taubench import import_taubench

    _run(
        lambda engine, progress: import_taubench(
            engine,
            directory=directory,
            default_stock=default_stock,
            replace=replace,
            progress=progress,
        ),
        as_json=as_json,
        out=out,
    )


@import_app.command("catalog")
@handle_errors
def catalog(
    file: Annotated[Path, typer.Argument(help="Catalog file, .csv or .jsonl.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv or jsonl (default: from the file extension)."),
    ] = None,
    replace: Replace = False,
    as_json: JsonFlag = False,
    out: OutFile = None,
) -> None:
    """Import products (and optional stock) from a CSV or JSON Lines catalog.

    Required fields: sku, title, category, list_price.

    Optional: variant_group, brand, description, unit_cost, map_price, attributes (a JSON
    object, or attr.NAME columns in CSV), tags ('|'-separated in CSV, a list in JSON),
    age_restricted, regulated, launch_date (YYYY-MM-DD), stock (units in the online warehouse),
    stock.LOCATION (units at a stored location).

    Prices are decimal amounts read exactly; unknown fields are refused.
    """
    from tools.importers.catalog import import_catalog

    _run(
        lambda engine, progress: import_catalog(
            engine, path=file, fmt=fmt, replace=replace, progress=progress
        ),
        as_json=as_json,
        out=out,
    )


@import_app.command("sequences")
@handle_errors
def sequences(
    file: Annotated[Path, typer.Argument(help="One line per user: `user item item ...`.")],
    attributes: Annotated[
        Path | None,
        typer.Option(help="JSON of item id -> attributes, for items --create-items makes."),
    ] = None,
    prefix: Annotated[
        str, typer.Option(help="Prefix for shopper ids and skus, e.g. 'amazon:'.")
    ] = "",
    create_items: Annotated[
        bool, typer.Option("--create-items", help="Create products for items not in the catalog.")
    ] = False,
    default_price: Annotated[
        str | None,
        typer.Option(help="List price of created items (required with --create-items)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Re-import shoppers already stored, replacing their sequence events."
        ),
    ] = False,
    as_json: JsonFlag = False,
    out: OutFile = None,
) -> None:
    """Import purchase sequences as shoppers and ordered purchase events.

    The files carry no times, so the n-th purchase of every user is stamped
    2000-01-01T00:00:00Z + n seconds: each user's order is kept.

    Items must be in the catalog unless --create-items.
    """
    from tools.exceptions import InputError
    from tools.importers.money import parse_cents
    from tools.importers.sequences import import_sequences

    price_cents = None
    if default_price is not None:
        try:
            price_cents = parse_cents(default_price)
        except ValueError as exc:
            raise InputError(str(exc), field="default_price") from exc
    _run(
        lambda engine, progress: import_sequences(
            engine,
            path=file,
            attributes=attributes,
            prefix=prefix,
            create_items=create_items,
            default_price_cents=price_cents,
            replace=replace,
            progress=progress,
        ),
        as_json=as_json,
        out=out,
    )


def _run(
    work: Callable[[Engine, Progress], ImportReport], *, as_json: bool, out: Path | None
) -> None:
    """Run an import on the configured store, then report what it wrote."""
    from sqlalchemy.engine import make_url

    engine = state.engine()
    started = time.perf_counter()
    try:
        with _progress_bar() as progress:
            report = work(engine, progress)
    finally:
        engine.dispose()
    url = make_url(state.settings.resolved_database_url).render_as_string(hide_password=True)
    result: dict[str, Any] = {
        **report.as_dict(),
        "database": url,
        "seconds": round(time.perf_counter() - started, 3),
    }
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        _print(result)


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """A rich progress display on stderr, one bar per import stage."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


def _print(result: dict[str, Any]) -> None:
    from rich.table import Table

    console.print(f"imported [bold]{result['source']}[/]", highlight=False)
    table = Table("rows", "created", "replaced")
    for kind, created in result["created"].items():
        table.add_row(kind, f"{created:,}", f"{result['replaced'].get(kind, 0):,}")
    console.print(table)
    for note in result["notes"]:
        console.print(f"note: {note}", highlight=False)
    console.print(f"into {result['database']} in {result['seconds']:.2f} s", highlight=False)

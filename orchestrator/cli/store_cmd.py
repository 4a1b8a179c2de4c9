"""`concierge stats` and `concierge config`: what the store and the settings hold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state


def register(app: typer.Typer) -> None:
    """Add the store commands to the CLI."""
    app.command("stats")(stats)
    app.command("config")(show_config)


@handle_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Count the rows of every store table."""
    from rich.table import Table

    from tools.store.engine import has_schema
    from tools.store.stats import table_counts

    engine = state.engine()
    try:
        if not has_schema(engine):
            console.print("the store is empty: run `concierge init` or `concierge import` first")
            raise typer.Exit(code=1)
        counts = table_counts(engine)
    finally:
        engine.dispose()
    result = {"database": state.settings.resolved_database_url, "tables": counts}
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        table = Table("table", "rows", title=state.settings.resolved_database_url)
        for name, n in counts.items():
            table.add_row(name, f"{n:,}")
        console.print(table)


def show_config() -> None:
    """Print the effective settings (secrets masked) as JSON."""
    import json

    data = state.settings.model_dump(mode="json")
    data["resolved_database_url"] = state.settings.resolved_database_url
    typer.echo(json.dumps(data, indent=2, sort_keys=True))

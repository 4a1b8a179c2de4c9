"""The `concierge` command line; each command group has its own module, heavy imports stay lazy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli import (
    audit_cmd,
    backup_cmd,
    bench_cmd,
    chat_cmd,
    eval_all_cmd,
    eval_cmd,
    eval_recommend_cmd,
    eval_recsys_cmd,
    eval_utterances_cmd,
    import_cmd,
    init_cmd,
    mcp_cmd,
    merch_cmd,
    policy_cmd,
    serve_cmd,
    store_cmd,
    train_cmd,
)
from orchestrator.cli.context import set_overrides

app = typer.Typer(
    name="concierge",
    help="Retail concierge: multi-agent personalization with a deterministic policy gate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory (default: CONCIERGE_DATA_DIR or ./data)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="Database URL (default: SQLite in the data directory)."),
    ] = None,
) -> None:
    """Retail concierge: multi-agent personalization with a deterministic policy gate."""
    set_overrides(data_dir, database_url)


init_cmd.register(app)
chat_cmd.register(app)
merch_cmd.register(app)
store_cmd.register(app)
serve_cmd.register(app)
import_cmd.register(app)
eval_cmd.register(app)
policy_cmd.register(app)
audit_cmd.register(app)
backup_cmd.register(app)
bench_cmd.register(app)
mcp_cmd.register(app)
train_cmd.register(app)
eval_utterances_cmd.register(eval_cmd.eval_app)
eval_recommend_cmd.register(eval_cmd.eval_app)
eval_recsys_cmd.register(eval_cmd.eval_app)
eval_all_cmd.register(eval_cmd.eval_app)


def main() -> None:
    """Entry point of the `concierge` console script."""
    app()

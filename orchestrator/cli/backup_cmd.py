"""`concierge backup create|verify|restore`: archives of the embedded store.

The store, the conversation checkpoints and the trained models go into one `.tar.gz` with a
manifest of checksums; `restore` changes nothing until the whole archive has been verified. A
PostgreSQL store is backed up with PostgreSQL's own tools (`pg_dump`, `pg_restore`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.context import AsJson, Out, console, emit_json, handle_errors, state
from tools.exceptions import InputError

backup_app = typer.Typer(
    help="Back up, verify and restore the embedded store (SQLite).", no_args_is_help=True
)
Archive = Annotated[Path, typer.Argument(help="The archive (.tar.gz).")]


def register(app: typer.Typer) -> None:
    """Add the backup command group to the CLI."""
    app.add_typer(backup_app, name="backup")


def _paths() -> tuple[Path, Path, Path]:
    """The store, the checkpoints and the data directory (SQLite only)."""
    settings = state.settings
    if not settings.is_sqlite:
        raise InputError(
            "the store is on PostgreSQL: back it up with pg_dump and restore with pg_restore"
        )
    database = Path(settings.resolved_database_url.removeprefix("sqlite:///"))
    checkpoints_url = settings.resolved_checkpoint_url
    if not checkpoints_url.startswith("sqlite:///"):
        raise InputError("checkpoints are on PostgreSQL: back them up with pg_dump")
    return database, Path(checkpoints_url.removeprefix("sqlite:///")), settings.data_dir


@backup_app.command("create")
@handle_errors
def create(
    archive: Archive,
    with_indexes: Annotated[
        bool, typer.Option(help="Also keep search indexes and embeddings (else rebuilt on use).")
    ] = False,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Write a consistent archive of the store, its checkpoints and models (server may run)."""
    from tools.store.backup import create_backup
    from tools.store.types import utcnow

    database, checkpoints, data_dir = _paths()
    report = create_backup(
        database=database,
        checkpoints=checkpoints,
        data_dir=data_dir,
        out=archive,
        now=utcnow(),
        include_derived=with_indexes,
    )
    emit_json(report.as_dict(), as_json=as_json, out=out)
    if not as_json:
        console.print(
            f"backed up {len(report.entries)} files ({report.total_bytes / 1e6:.1f} MB) "
            f"to {archive}"
        )


@backup_app.command("verify")
@handle_errors
def verify(archive: Archive, as_json: AsJson = False, out: Out = None) -> None:
    """Check every file of an archive against its checksums and the databases' integrity."""
    from tools.store.backup import verify_backup

    report = verify_backup(archive)
    emit_json(report.as_dict(), as_json=as_json, out=out)
    if not as_json:
        console.print(f"{archive}: {len(report.entries)} files verified ({report.created_at})")


@backup_app.command("restore")
@handle_errors
def restore(
    archive: Archive,
    force: Annotated[bool, typer.Option(help="Replace the store that is there.")] = False,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Replace the store with an archive's, once verified (stop the server first)."""
    from tools.store.backup import restore_backup

    database, checkpoints, data_dir = _paths()
    report = restore_backup(
        archive, database=database, checkpoints=checkpoints, data_dir=data_dir, force=force
    )
    emit_json(report.as_dict(), as_json=as_json, out=out)
    if not as_json:
        console.print(f"restored {len(report.entries)} files from {archive} into {data_dir}")

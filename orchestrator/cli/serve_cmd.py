"""`concierge serve`: run the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli.context import console, handle_errors, state


def register(app: typer.Typer) -> None:
    """Add the serve command (and the API's key commands) to the CLI."""
    from orchestrator.cli import api_key_cmd

    app.command("serve")(serve)
    api_key_cmd.register(app)


@handle_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default from settings).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
) -> None:
    """Serve the HTTP API (chat, catalog, merchandising, approvals, audit) on the store."""
    import uvicorn

    from orchestrator.api.app import create_app

    settings = state.settings
    bind_host = host or settings.server.host
    bind_port = port or settings.server.port
    app = create_app(settings)
    console.print(
        f"serving on [bold]http://{bind_host}:{bind_port}[/] (docs: /docs, health: /health)"
    )
    if settings.mode != "prod" and settings.api.dev_keys:
        console.print(
            "development keys: dev-key-shopper-1, dev-key-merchandiser, dev-key-admin "
            "(refused in prod mode)"
        )
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning")

"""`concierge serve`: run the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli.context import console, handle_errors, state


def register(app: typer.Typer) -> None:
    """Add the serve command to the CLI."""
    app.command("serve")(serve)


@handle_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default from settings).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
) -> None:
    """Serve the HTTP API (health, OpenAPI docs) on the configured store."""
    import uvicorn

    from orchestrator.api.app import create_app

    settings = state.settings
    bind_host = host or settings.server.host
    bind_port = port or settings.server.port
    app = create_app(settings)
    console.print(
        f"serving on [bold]http://{bind_host}:{bind_port}[/] (docs: /docs, health: /health)"
    )
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning")

"""`concierge mcp`: list the MCP servers and run one alone over stdio or streamable HTTP."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from orchestrator.cli.context import console, handle_errors, state

mcp_app = typer.Typer(help="Run the engines' MCP servers alone.", no_args_is_help=True)


class Transport(StrEnum):
    """How a server talks to its client."""

    STDIO = "stdio"
    HTTP = "http"


def register(app: typer.Typer) -> None:
    """Add the mcp command group to the CLI."""
    app.add_typer(mcp_app, name="mcp")


@mcp_app.command("list")
def list_servers() -> None:
    """List the MCP servers that can be served."""
    from mcp_servers.registry import server_names

    for name in server_names():
        typer.echo(name)


@mcp_app.command("serve")
@handle_errors
def serve(
    name: Annotated[str, typer.Argument(help="Server name (see `concierge mcp list`).")],
    transport: Annotated[
        Transport, typer.Option(help="stdio or streamable HTTP.")
    ] = Transport.STDIO,
    host: Annotated[str, typer.Option(help="HTTP interface.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8765,
) -> None:
    """Serve one MCP server over stdio or streamable HTTP (path /mcp)."""
    import anyio

    from mcp_servers.exceptions import UnknownServerError
    from mcp_servers.registry import build_server

    try:
        server = build_server(name, state.settings)
    except UnknownServerError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    if transport is Transport.STDIO:
        anyio.run(server.run_stdio_async)
        return
    console.print(f"MCP server {name!r} on http://{host}:{port}/mcp")
    anyio.run(lambda: server.run_streamable_http_async(host=host, port=port))

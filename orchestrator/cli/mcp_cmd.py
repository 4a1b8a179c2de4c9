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
    token: Annotated[
        str | None,
        typer.Option(
            help="storefront over stdio: the agent's token (else storefront.stdio_token)."
        ),
    ] = None,
) -> None:
    """Serve one MCP server over stdio or streamable HTTP (path /mcp)."""
    import anyio

    from mcp_servers.exceptions import UnknownServerError
    from mcp_servers.registry import build_server

    if name == "storefront":
        _serve_storefront(transport, host=host, port=port, token=token)
        return
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


def _serve_storefront(transport: Transport, *, host: str, port: int, token: str | None) -> None:
    import anyio

    from mcp_servers.storefront.exceptions import StorefrontError
    from mcp_servers.storefront.http_app import serve_http
    from mcp_servers.storefront.identity import resource_url
    from mcp_servers.storefront.server import stdio_server

    settings = state.settings
    if transport is Transport.HTTP:
        resource = resource_url(settings, host=host, port=port)
        console.print(f"MCP server 'storefront' on http://{host}:{port}/mcp (resource {resource})")
        anyio.run(lambda: serve_http(settings, host=host, port=port))
        return
    try:
        server = stdio_server(settings, token=token)
    except StorefrontError as exc:
        console.print(f"[bold red]error:[/] token refused: {exc}")
        raise typer.Exit(code=2) from exc
    anyio.run(server.run_stdio_async)


@mcp_app.command("token")
@handle_errors
def token(
    agent: Annotated[str, typer.Option(help="The agent's id.")],
    scopes: Annotated[
        str, typer.Option(help="Space- or comma-separated: catalog:read price:quote ...")
    ] = "catalog:read",
    shopper: Annotated[str | None, typer.Option(help="The shopper the agent acts for.")] = None,
    audience: Annotated[
        str | None, typer.Option(help="The storefront's MCP URL (default: its resource URL).")
    ] = None,
    ttl_minutes: Annotated[
        int | None, typer.Option(help="Lifetime (default storefront.token_ttl_minutes).")
    ] = None,
) -> None:
    """Mint a development token for the storefront server (printed alone on stdout)."""
    from datetime import timedelta

    from mcp_servers.storefront.exceptions import StorefrontError
    from mcp_servers.storefront.identity import mint_for

    try:
        minted = mint_for(
            state.settings,
            agent=agent,
            scopes=scopes.replace(",", " ").split(),
            shopper_id=shopper,
            audience=audience,
            ttl=timedelta(minutes=ttl_minutes) if ttl_minutes else None,
        )
    except StorefrontError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    typer.echo(minted)
